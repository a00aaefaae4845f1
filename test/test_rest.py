"""rest: the backoff wait, per-call urllib3 timeouts, RESTResponse's generated-style header access, and an error
answer whose body breaks off."""

from __future__ import annotations

import logging
import re
from typing import Any, Iterator, List

import pytest
import urllib3
from _loopback import LoopbackServer

import chatwoot_client
from chatwoot_client import rest
from chatwoot_client.testing import MockChatwootServer
from conftest import ACCOUNT_ID, API_CONVERSATION_ID, make_configuration

REAL_SLEEP = rest._sleep  # taken before the autouse fixture swaps in a recorder


def test_backoff_wait_sleeps_the_given_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    slept: List[float] = []
    monkeypatch.setattr(rest.time, "sleep", slept.append)

    REAL_SLEEP(1.5)

    assert slept == [1.5]


def test_no_backoff_before_the_first_retry() -> None:
    assert rest._retry_policy(None).get_backoff_time() == 0.0


def test_urllib3_timeout_per_call_is_used_as_given(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.delay_next(5, times=4)

    with pytest.raises(chatwoot_client.ApiTimeoutError):
        api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID, _request_timeout=urllib3.Timeout(connect=1.0, read=0.05))


def test_rest_response_gives_one_header_or_a_default(api_client: chatwoot_client.ApiClient) -> None:
    configuration = api_client.configuration
    url = f"{configuration.host}/api/v1/accounts/{ACCOUNT_ID}/conversations/{API_CONVERSATION_ID}/messages"
    headers = {"api_access_token": configuration.api_key["api_access_token"]}

    response = api_client.rest_client.request("GET", url, headers, None, (2.0, 5.0))

    assert isinstance(response, rest.RESTResponse)
    assert (response.getheader("Content-Type") or "").startswith("application/json")
    assert response.getheader("X-Not-Sent", "absent") == "absent"


@pytest.fixture
def truncating_server() -> Iterator[str]:
    """A server on 127.0.0.1 that answers one request with a 500 whose body stops after 5 of 100 bytes."""
    with LoopbackServer([b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 100\r\n\r\nshort"]) as server:
        yield server.url


def test_error_answer_cut_short_without_preload_raises_connection_error(
    truncating_server: str, server: MockChatwootServer, new_api: Any
) -> None:
    configuration = make_configuration(server, server.user_token)
    configuration.host = truncating_server
    api = new_api(configuration)

    with pytest.raises(chatwoot_client.ApiConnectionError) as raised:
        api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID, _preload_content=False)

    assert raised.value.status == 0
    assert "Connection lost before an answer" in str(raised.value)


def test_each_call_logs_one_debug_line_with_path_status_and_attempt(
    api: chatwoot_client.MessagesApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="chatwoot_client.rest")

    api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID, after=1)

    lines = [record.getMessage() for record in caplog.records if record.name == "chatwoot_client.rest"]
    path = f"/api/v1/accounts/{ACCOUNT_ID}/conversations/{API_CONVERSATION_ID}/messages?after=1"
    assert len(lines) == 1
    assert re.fullmatch(rf"GET {re.escape(path)} -> 200 in \d+ ms \(attempt 1\)", lines[0])


def test_no_debug_line_is_made_when_debug_is_off(
    api: chatwoot_client.MessagesApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="chatwoot_client.rest")

    api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)

    assert [record for record in caplog.records if record.name == "chatwoot_client.rest"] == []


def test_a_changed_timeout_setting_is_used_by_the_next_call(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    configuration = api.api_client.configuration
    configuration.timeout = (5.0, 5.0)
    api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)  # the (5, 5) timeout is made and kept
    configuration.timeout = (5.0, 0.05)
    server.delay_next(2, times=4)

    with pytest.raises(chatwoot_client.ApiTimeoutError):
        api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)


def test_timeouts_kept_for_reuse_stay_few_and_each_reads_its_own_setting() -> None:
    made = [rest._timeout((1.0, 1.0 + index / 1000)) for index in range(3 * rest._TIMEOUTS_KEPT)]

    assert [timeout.read_timeout for timeout in made] == [1.0 + index / 1000 for index in range(len(made))]
    assert all(timeout.connect_timeout == 1.0 for timeout in made)
    assert len(rest._TIMEOUTS) <= rest._TIMEOUTS_KEPT
    assert rest._timeout(7.0) is rest._timeout(7.0)
