"""When an ApiClient reads each Configuration setting, as docs/Configuration.md states: at each call, or once
when the ApiClient is made. Every setting on that page is pinned here by a test of its moment."""

from __future__ import annotations

import re
import socket
from pathlib import Path
from typing import Any, Dict, List

import pytest
from _constants import EMPTY_PAGE
from _loopback import LoopbackServer, answer

import chatwoot_client
from chatwoot_client import exceptions

PAGE_PATH = Path(__file__).resolve().parent.parent / "docs" / "Configuration.md"
TOKEN = "tok-reads"
_ROW = re.compile(r"^\*\*(\w+)\*\* \|")


def _documented() -> Dict[str, List[str]]:
    """The setting names of each section of docs/Configuration.md, by section title."""
    sections: Dict[str, List[str]] = {}
    title = ""
    for line in PAGE_PATH.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            title = line[3:].strip()
            sections[title] = []
        match = _ROW.match(line)
        if match:
            sections[title].append(match.group(1))
    return sections


def _api(clients: List[chatwoot_client.ApiClient], url: str) -> chatwoot_client.MessagesApi:
    configuration = chatwoot_client.Configuration(host=url, api_key={"api_access_token": TOKEN}, retries=0)
    configuration.timeout = (1.0, 10.0)
    clients.append(chatwoot_client.ApiClient(configuration))
    return chatwoot_client.MessagesApi(clients[-1])


def _token_sent(request: bytes) -> str:
    for line in request.split(b"\r\n\r\n")[0].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.lower() == b"api_access_token":
            return value.strip().decode()
    raise AssertionError("no api_access_token header")


# -- read at each call -------------------------------------------------------------------------------------------


def _host(clients: List[chatwoot_client.ApiClient]) -> None:
    with LoopbackServer([answer(body=EMPTY_PAGE)]) as first, LoopbackServer([answer(body=EMPTY_PAGE)]) as second:
        api = _api(clients, first.url)
        api.api_client.configuration.host = second.url
        api.list_all_messages(1, 17)
    assert (len(first.requests), len(second.requests)) == (0, 1)


def _api_key(clients: List[chatwoot_client.ApiClient]) -> None:
    with LoopbackServer([answer(body=EMPTY_PAGE)]) as server:
        api = _api(clients, server.url)
        api.api_client.configuration.api_key["api_access_token"] = "tok-replaced"
        api.list_all_messages(1, 17)
    assert _token_sent(server.requests[0]) == "tok-replaced"


def _api_key_prefix(clients: List[chatwoot_client.ApiClient]) -> None:
    with LoopbackServer([answer(body=EMPTY_PAGE)]) as server:
        api = _api(clients, server.url)
        api.api_client.configuration.api_key_prefix["api_access_token"] = "Bearer"
        api.list_all_messages(1, 17)
    assert _token_sent(server.requests[0]) == f"Bearer {TOKEN}"


def _refresh_api_key_hook(clients: List[chatwoot_client.ApiClient]) -> None:
    def refresh(configuration: chatwoot_client.Configuration) -> None:
        configuration.api_key["api_access_token"] = "tok-refreshed"

    with LoopbackServer([answer(body=EMPTY_PAGE)]) as server:
        api = _api(clients, server.url)
        api.api_client.configuration.refresh_api_key_hook = refresh
        api.list_all_messages(1, 17)
    assert _token_sent(server.requests[0]) == "tok-refreshed"


def _timeout(clients: List[chatwoot_client.ApiClient]) -> None:
    # About 1.4 s to send the whole answer: within the first read timeout (10 s), not within the new one.
    with LoopbackServer([answer(body=EMPTY_PAGE)], trickle=0.01) as server:
        api = _api(clients, server.url)
        api.api_client.configuration.timeout = (1.0, 0.2)
        with pytest.raises(chatwoot_client.ApiTimeoutError):
            api.list_all_messages(1, 17)


def _retries(clients: List[chatwoot_client.ApiClient]) -> None:
    with LoopbackServer([answer("503 Service Unavailable", b""), answer(body=EMPTY_PAGE)]) as server:
        api = _api(clients, server.url)
        api.api_client.configuration.retries = 1
        api.list_all_messages(1, 17)
    assert len(server.requests) == 2  # with retries=0, as the client was made, the 503 would have been raised


def _reconcile_creates(clients: List[chatwoot_client.ApiClient]) -> None:
    created = b'{"id": 5, "content": "x", "content_attributes": {"client_message_id": "k-1"}}'
    with LoopbackServer([answer(body=created)]) as server:
        api = _api(clients, server.url)
        api.api_client.configuration.reconcile_creates = False
        api.create_a_new_message_in_a_conversation({"content": "x"}, 1, 17, client_message_id="k-1")
    # With lookups on, as the client was made, a create with the caller's id lists the conversation first.
    assert [request.split(b" ", 1)[0] for request in server.requests] == [b"POST"]


READ_AT_EACH_CALL = {
    "host": _host,
    "api_key": _api_key,
    "api_key_prefix": _api_key_prefix,
    "refresh_api_key_hook": _refresh_api_key_hook,
    "timeout": _timeout,
    "retries": _retries,
    "reconcile_creates": _reconcile_creates,
}


@pytest.mark.parametrize("name", sorted(READ_AT_EACH_CALL))
def test_setting_read_at_each_call_reaches_a_client_already_made(
    clients: List[chatwoot_client.ApiClient], name: str
) -> None:
    READ_AT_EACH_CALL[name](clients)


def test_redirect_after_a_host_change_is_judged_against_the_new_host(clients: List[chatwoot_client.ApiClient]) -> None:
    with (
        LoopbackServer([answer(body=EMPTY_PAGE)]) as first,
        LoopbackServer(
            [answer("302 Found", b"", ["Location: /moved"]), answer(body=EMPTY_PAGE)], "127.0.0.2"
        ) as second,
    ):
        api = _api(clients, first.url)
        api.list_all_messages(1, 17)  # a connection to the first host is open in the pool
        api.api_client.configuration.host = second.url
        api.list_all_messages(1, 17)
    assert [request.split(b" ")[1] for request in second.requests][1:] == [b"/moved"]


def test_redirect_back_to_the_old_host_after_a_change_is_refused(clients: List[chatwoot_client.ApiClient]) -> None:
    with LoopbackServer([answer(body=EMPTY_PAGE)]) as first, LoopbackServer([b""], "127.0.0.2") as second:
        second.answers[0] = answer("302 Found", b"", [f"Location: {first.url}/api/v1/accounts/1/x"])
        api = _api(clients, first.url)
        api.api_client.configuration.host = second.url
        with pytest.raises(exceptions.ApiException, match="not followed"):
            api.list_all_messages(1, 17)
    assert first.requests == []


# -- read when the ApiClient is made -----------------------------------------------------------------------------

CHANGED_AFTER_CREATION: Dict[str, Any] = {
    "verify_ssl": False,
    "ssl_ca_cert": __file__,
    "cert_file": __file__,
    "key_file": __file__,
    "assert_hostname": "elsewhere.example",
    "proxy": "http://127.0.0.1:3128",
    "proxy_headers": {"Proxy-Authorization": "Basic eDp5"},
    "connection_pool_maxsize": 3,
}


def _pool_state(client: chatwoot_client.ApiClient) -> Any:
    manager: Any = client.rest_client.pool_manager
    return (
        type(manager),
        dict(manager.connection_pool_kw),
        getattr(manager, "proxy", None),
        dict(getattr(manager, "proxy_headers", {})),
    )


@pytest.mark.parametrize("name", sorted(CHANGED_AFTER_CREATION))
def test_setting_read_when_the_client_is_made_is_not_read_again(
    clients: List[chatwoot_client.ApiClient], name: str
) -> None:
    configuration = chatwoot_client.Configuration(host="http://127.0.0.1:9", api_key={"api_access_token": TOKEN})
    if name == "proxy_headers":
        configuration.proxy = "http://127.0.0.1:3128"  # proxy headers go only with a proxy
    api = chatwoot_client.MessagesApi(chatwoot_client.ApiClient(configuration))
    clients.append(api.api_client)
    before = _pool_state(api.api_client)

    setattr(api.api_client.configuration, name, CHANGED_AFTER_CREATION[name])

    assert _pool_state(api.api_client) == before
    made_now = chatwoot_client.ApiClient(api.api_client.configuration)
    clients.append(made_now)
    assert _pool_state(made_now) != before  # the same change, read by a new client


def test_proxy_set_after_creation_is_not_used(clients: List[chatwoot_client.ApiClient]) -> None:
    with socket.socket() as dead_proxy, LoopbackServer([answer(body=EMPTY_PAGE)]) as server:
        dead_proxy.bind(("127.0.0.1", 0))
        api = _api(clients, server.url)
        api.api_client.configuration.proxy = f"http://127.0.0.1:{dead_proxy.getsockname()[1]}"
        api.list_all_messages(1, 17)
    assert len(server.requests) == 1


# -- the page ----------------------------------------------------------------------------------------------------


def test_every_setting_is_documented_once() -> None:
    configuration = chatwoot_client.Configuration()
    settings = {
        name for name in dir(configuration) if not name.startswith("_") and not callable(getattr(configuration, name))
    }
    documented = [name for names in _documented().values() for name in names]

    assert sorted(documented) == sorted(settings)


def test_the_page_and_the_tests_name_the_same_moments() -> None:
    sections = _documented()

    assert set(sections["Read at each call"]) == set(READ_AT_EACH_CALL)
    assert set(sections["Read when the ApiClient is made"]) == set(CHANGED_AFTER_CREATION)
