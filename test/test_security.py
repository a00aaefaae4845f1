"""The token never leaves its origin or shows up in logs, reprs, errors or reports; TLS is verified."""

from __future__ import annotations

import http.client
import http.server
import logging
import ssl
from typing import Any, Iterator, List, Tuple

import pytest
import trustme
from _constants import MESSAGES_PATH
from _loopback import LoopbackServer, answer

import chatwoot_client
from chatwoot_client import exceptions, rest
from chatwoot_client.testing import MockChatwootServer
from conftest import ACCOUNT_ID, API_CONVERSATION_ID, make_configuration

SECRET = "tok-SECRET"


@pytest.fixture
def other_host() -> Iterator[Tuple[str, List[Any]]]:
    """A second listener on 127.0.0.2: another origin, that records whatever reaches it."""
    with LoopbackServer([answer(body=b"{}")], host="127.0.0.2") as listener:
        yield listener.url, listener.requests


def test_same_origin_redirect_of_a_get_is_followed(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.redirect_next(f"{server.url}{MESSAGES_PATH}?after=0")

    page = api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)

    assert isinstance(page, chatwoot_client.MessageList)
    assert [request.query for request in server.requests] == [{}, {"after": "0"}]
    assert server.requests[1].headers["api_access_token"] == server.user_token


def test_relative_redirect_of_a_delete_is_followed(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    message_id = server.add_message(ACCOUNT_ID, API_CONVERSATION_ID, "bye")["id"]
    server.redirect_next(f"{MESSAGES_PATH}/{message_id}", status=307)

    api.delete_a_message(ACCOUNT_ID, API_CONVERSATION_ID, message_id)

    assert [request.method for request in server.requests] == ["DELETE", "DELETE"]


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirect_to_another_host_is_not_followed_and_gets_no_token(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, other_host: Tuple[str, List[Any]], status: int
) -> None:
    other_url, seen = other_host
    server.redirect_next(f"{other_url}/steal", status=status)

    with pytest.raises(exceptions.ApiException) as info:
        api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)

    assert info.value.status == status
    assert f"{other_url}/steal" in str(info.value)
    assert seen == []


def test_redirect_to_another_port_on_the_same_host_is_not_followed(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    with MockChatwootServer() as other:
        server.redirect_next(f"{other.url}{MESSAGES_PATH}")

        with pytest.raises(exceptions.ApiException, match="not followed"):
            api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)

        assert other.requests == []


def test_redirect_of_a_post_is_never_followed(api: chatwoot_client.MessagesApi, server: MockChatwootServer) -> None:
    server.redirect_next(f"{server.url}{MESSAGES_PATH}", status=307)

    with pytest.raises(exceptions.ApiException) as info:
        api.create_a_new_message_in_a_conversation({"content": "x"}, ACCOUNT_ID, API_CONVERSATION_ID)

    assert info.value.status == 307
    assert len(server.requests) == 1
    assert server.messages(ACCOUNT_ID, API_CONVERSATION_ID) == []


def test_more_than_five_redirects_raise(api: chatwoot_client.MessagesApi, server: MockChatwootServer) -> None:
    server.redirect_next(f"{server.url}{MESSAGES_PATH}", times=10)

    with pytest.raises(exceptions.ApiException, match="Too many redirects"):
        api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)

    assert len(server.requests) == 6


@pytest.mark.parametrize(
    ("origin", "target", "same"),
    [
        ("https://chat.example.com", "https://chat.example.com/other", True),
        ("https://chat.example.com", "https://CHAT.example.com:443/x", True),
        ("http://chat.example.com", "https://chat.example.com/x", True),
        ("https://chat.example.com", "http://chat.example.com/x", False),
        ("https://chat.example.com", "https://evil.example.com/x", False),
        ("https://chat.example.com", "https://chat.example.com:8443/x", False),
        ("http://chat.example.com:8080", "https://chat.example.com/x", False),
        ("https://chat.example.com", "https://chat.example.com.evil.test/x", False),
        ("https://chat.example.com", "https://user@evil.test/x", False),
    ],
)
def test_same_origin_rule(origin: str, target: str, same: bool) -> None:
    assert rest._same_origin(origin, target) is same


def _leaky_session(server: MockChatwootServer, new_api: Any) -> Tuple[chatwoot_client.Configuration, List[Exception]]:
    """Run successful and failing calls with the SECRET token; return the configuration and errors raised."""
    configuration = make_configuration(server, SECRET)
    api = new_api(configuration)
    errors: List[Exception] = []
    for fault in (lambda: server.fail_next(503, times=10), lambda: server.drop_next(times=10), lambda: None):
        fault()
        try:
            api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)
        except exceptions.ApiException as error:
            errors.append(error)
        server.reset()
    return configuration, errors


def test_token_never_appears_in_debug_logs(
    server: MockChatwootServer, caplog: pytest.LogCaptureFixture, new_api: Any
) -> None:
    caplog.set_level(logging.DEBUG)

    _, errors = _leaky_session(server, new_api)

    assert len(errors) == 3
    assert "GET /api/v1/accounts/1/conversations/17/messages" in caplog.text
    assert SECRET not in caplog.text


def test_token_never_appears_in_exceptions_or_reprs(server: MockChatwootServer, new_api: Any) -> None:
    configuration, errors = _leaky_session(server, new_api)
    client = chatwoot_client.ApiClient(configuration, header_name="api_access_token", header_value=SECRET)

    texts = [str(error) for error in errors] + [repr(error) for error in errors]
    texts += [repr(configuration), str(configuration), repr(client), configuration.to_debug_report()]
    assert all(SECRET not in text for text in texts)


def test_debug_never_switches_on_raw_http_logging(
    server: MockChatwootServer, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture, new_api: Any
) -> None:
    configuration = make_configuration(server, SECRET)
    configuration.debug = True
    try:
        with pytest.raises(exceptions.UnauthorizedException):
            new_api(configuration).list_all_messages(1, 17)
    finally:
        configuration.debug = False

    assert http.client.HTTPConnection.debuglevel == 0
    assert SECRET not in capsys.readouterr().out
    assert SECRET not in caplog.text


def test_logger_file_receives_debug_lines_without_the_token(
    server: MockChatwootServer, tmp_path: Any, new_api: Any
) -> None:
    configuration = make_configuration(server, SECRET)
    configuration.debug = True
    configuration.logger_file = str(tmp_path / "sdk.log")
    try:
        with pytest.raises(exceptions.UnauthorizedException):
            new_api(configuration).list_all_messages(1, 17)
    finally:
        configuration.logger_file = None
        configuration.debug = False

    text = (tmp_path / "sdk.log").read_text()
    assert "-> 401" in text
    assert SECRET not in text


@pytest.fixture(scope="module")
def certificate_authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_server(certificate_authority: trustme.CA) -> Iterator[str]:
    """An HTTPS listener on 127.0.0.1 with a certificate for 127.0.0.1 from a private CA."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate_authority.issue_cert("127.0.0.1").configure_cert(context)
    with LoopbackServer([answer(body=b"{}")], tls=context) as listener:
        yield listener.url


def _tls_configuration(url: str, **settings: Any) -> chatwoot_client.Configuration:
    configuration = chatwoot_client.Configuration(host=url, api_key={"api_access_token": SECRET}, retries=0)
    for name, value in settings.items():
        setattr(configuration, name, value)
    return configuration


def test_tls_certificate_from_an_unknown_authority_is_refused(tls_server: str, new_api: Any) -> None:
    with pytest.raises(exceptions.ApiConnectionError, match="TLS error"):
        new_api(_tls_configuration(tls_server)).list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)


def test_ssl_ca_cert_trusts_a_private_authority(
    tls_server: str, certificate_authority: trustme.CA, tmp_path: Any, new_api: Any
) -> None:
    bundle = tmp_path / "ca.pem"
    certificate_authority.cert_pem.write_to_path(str(bundle))

    api = new_api(_tls_configuration(tls_server, ssl_ca_cert=str(bundle)))

    page = api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)

    assert isinstance(page, chatwoot_client.MessageList)


def test_assert_hostname_checks_the_certificate_name(
    tls_server: str, certificate_authority: trustme.CA, tmp_path: Any, new_api: Any
) -> None:
    bundle = tmp_path / "ca.pem"
    certificate_authority.cert_pem.write_to_path(str(bundle))
    api = new_api(_tls_configuration(tls_server, ssl_ca_cert=str(bundle), assert_hostname="chat.example.com"))

    with pytest.raises(exceptions.ApiConnectionError, match="TLS error"):
        api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)


def test_proxy_credentials_are_not_shown_by_repr() -> None:
    configuration = chatwoot_client.Configuration(proxy="http://user:pass-SECRET@127.0.0.1:3128")

    assert "pass-SECRET" not in repr(configuration)
    assert "***@127.0.0.1:3128" in repr(configuration)
