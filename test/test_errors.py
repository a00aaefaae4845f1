"""Every error answer and network failure becomes the right ApiException, with a one-line str() and no token."""

from __future__ import annotations

import socket
from typing import Any, Iterator, Type

import pytest
import urllib3

import chatwoot_client
from chatwoot_client import exceptions, rest
from chatwoot_client.testing import MockChatwootServer
from conftest import ACCOUNT_ID, API_CONVERSATION_ID, make_configuration

NO_POOL: Any = None  # urllib3 errors name the pool they came from; these come from none


@pytest.fixture
def api_without_retries(server: MockChatwootServer) -> Iterator[chatwoot_client.MessagesApi]:
    configuration = make_configuration(server, server.user_token)
    configuration.retries = 0
    with chatwoot_client.ApiClient(configuration) as client:
        yield chatwoot_client.MessagesApi(client)


@pytest.mark.parametrize(
    ("status", "exception_class"),
    [
        (400, exceptions.BadRequestException),
        (401, exceptions.UnauthorizedException),
        (403, exceptions.ForbiddenException),
        (404, exceptions.NotFoundException),
        (409, exceptions.ApiException),
        (422, exceptions.UnprocessableEntityException),
        (429, exceptions.TooManyRequestsException),
        (500, exceptions.ServiceException),
        (502, exceptions.ServiceException),
        (503, exceptions.ServiceException),
        (504, exceptions.ServiceException),
    ],
)
def test_error_status_raises_its_exception_class(
    api_without_retries: chatwoot_client.MessagesApi,
    server: MockChatwootServer,
    status: int,
    exception_class: Type[exceptions.ApiException],
) -> None:
    server.fail_next(status)

    with pytest.raises(exceptions.ApiException) as info:
        api_without_retries.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)

    assert type(info.value) is exception_class
    assert info.value.status == status


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"error": "Invalid Access Token"}, "(401) Unauthorized: Invalid Access Token"),
        ({"message": "Token expired"}, "(401) Unauthorized: Token expired"),
        ({"errors": ["You need to sign in", "again"]}, "(401) Unauthorized: You need to sign in, again"),
        ("Retry later", "(401) Unauthorized: Retry later"),
        (
            "<html>\n<body>\n<h1>Bad   gateway</h1></body></html>",
            "(401) Unauthorized: <html> <body> <h1>Bad gateway</h1>",
        ),
    ],
)
def test_str_shows_status_reason_and_server_text(
    api_without_retries: chatwoot_client.MessagesApi, server: MockChatwootServer, body: Any, expected: str
) -> None:
    server.fail_next(401, body=body)

    with pytest.raises(exceptions.UnauthorizedException) as info:
        api_without_retries.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)

    assert str(info.value).startswith(expected)
    assert "\n" not in str(info.value)


def test_long_html_body_is_cut_to_two_hundred_characters() -> None:
    error = exceptions.ServiceException(502, "Bad Gateway", "x" * 5000, {})

    assert str(error) == "(502) Bad Gateway: " + "x" * 200


def test_unknown_token_raises_unauthorized_with_server_text(server: MockChatwootServer, new_api: Any) -> None:
    api = new_api(make_configuration(server, "tok-SECRET"))

    with pytest.raises(exceptions.UnauthorizedException) as info:
        api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)

    assert str(info.value) == "(401) Unauthorized: Invalid Access Token"


def test_other_account_raises_unauthorized(api: chatwoot_client.MessagesApi, server: MockChatwootServer) -> None:
    conversation_id = server.add_conversation(account_id=2)

    with pytest.raises(exceptions.UnauthorizedException, match="not authorized to access this account"):
        api.list_all_messages(2, conversation_id)


def test_unknown_account_raises_not_found(api: chatwoot_client.MessagesApi) -> None:
    with pytest.raises(exceptions.NotFoundException):
        api.list_all_messages(999, API_CONVERSATION_ID)


@pytest.mark.parametrize(
    "call",
    [
        lambda api: api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID),
        lambda api: api.delete_a_message(ACCOUNT_ID, API_CONVERSATION_ID, 1),
    ],
)
def test_bot_token_may_not_list_or_delete(bot_api: chatwoot_client.MessagesApi, call: Any) -> None:
    with pytest.raises(exceptions.UnauthorizedException, match="not authorized for bots"):
        call(bot_api)


def test_bot_token_may_create(bot_api: chatwoot_client.MessagesApi, server: MockChatwootServer) -> None:
    created = bot_api.create_a_new_message_in_a_conversation({"content": "beep"}, ACCOUNT_ID, API_CONVERSATION_ID)

    assert created.sender is not None and created.sender.type == "agent_bot"
    assert server.requests[0].headers["api_access_token"] == server.bot_token


def test_too_many_requests_carries_retry_after(
    api_without_retries: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.fail_next(429, retry_after=7)

    with pytest.raises(exceptions.TooManyRequestsException) as info:
        api_without_retries.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)

    assert info.value.retry_after == 7
    assert str(info.value) == "(429) Too Many Requests: Retry later"


def test_too_many_requests_without_header_has_no_retry_after(
    api_without_retries: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.fail_next(429)

    with pytest.raises(exceptions.TooManyRequestsException) as info:
        api_without_retries.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)

    assert info.value.retry_after is None


def test_refused_connection_raises_connection_error(server: MockChatwootServer, new_api: Any) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    configuration = make_configuration(server, server.user_token)
    configuration.host = f"http://127.0.0.1:{closed_port}"
    configuration.retries = 0

    with pytest.raises(exceptions.ApiConnectionError) as info:
        new_api(configuration).list_all_messages(1, 17)

    assert type(info.value) is exceptions.ApiConnectionError
    assert info.value.status == 0
    assert str(info.value).startswith("(0) Connection failed")


def test_dropped_connection_raises_connection_error(
    api_without_retries: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.drop_next()

    with pytest.raises(exceptions.ApiConnectionError) as info:
        api_without_retries.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)

    assert type(info.value) is exceptions.ApiConnectionError


def test_read_timeout_raises_timeout_error(
    api_without_retries: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.delay_next(5)

    with pytest.raises(exceptions.ApiTimeoutError) as info:
        api_without_retries.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID, _request_timeout=0.05)

    assert info.value.status == 0


@pytest.mark.parametrize("body", ["<html>maintenance</html>", "[1, 2]", ""])
def test_success_with_a_body_that_is_not_the_expected_json_raises(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, body: str
) -> None:
    server.fail_next(200, body=body)

    with pytest.raises(exceptions.ApiException) as info:
        api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)

    assert info.value.status == 200
    assert "Invalid response body" in str(info.value)
    assert len(server.requests) == 1


@pytest.mark.parametrize("body", ['{"content": "Hi"}', '{"id": null}', '{"id": "1042"}', '{"id": true}'])
def test_create_answer_without_an_int_id_raises(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, body: str
) -> None:
    server.fail_next(200, body=body)

    with pytest.raises(exceptions.ApiException) as info:
        api.create_a_new_message_in_a_conversation({"content": "Hi"}, ACCOUNT_ID, API_CONVERSATION_ID)

    assert info.value.status == 200
    assert "Invalid response body: expected InlineResponse2005, got a created message has an int id" in str(info.value)


def test_delete_does_not_need_its_answer_body(api: chatwoot_client.MessagesApi, server: MockChatwootServer) -> None:
    server.fail_next(200, body="")

    assert api.delete_a_message(ACCOUNT_ID, API_CONVERSATION_ID, 1) is None  # type: ignore[func-returns-value]


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (urllib3.exceptions.ReadTimeoutError(NO_POOL, "/", "read timed out"), exceptions.ApiTimeoutError),
        (urllib3.exceptions.ConnectTimeoutError("connect timed out"), exceptions.ApiTimeoutError),
        (urllib3.exceptions.NewConnectionError(NO_POOL, "refused"), exceptions.ApiConnectionError),
        (urllib3.exceptions.ProtocolError("Connection aborted."), exceptions.ApiConnectionError),
        (urllib3.exceptions.SSLError("certificate verify failed"), exceptions.ApiConnectionError),
        (urllib3.exceptions.ProxyError("proxy down", OSError("refused")), exceptions.ApiConnectionError),
        (urllib3.exceptions.DecodeError("bad gzip"), exceptions.ApiConnectionError),
        (urllib3.exceptions.IncompleteRead(3, 10), exceptions.ApiConnectionError),
        (
            urllib3.exceptions.MaxRetryError(NO_POOL, "/", urllib3.exceptions.ReadTimeoutError(NO_POOL, "/", "t")),
            exceptions.ApiTimeoutError,
        ),
        (ConnectionResetError("reset"), exceptions.ApiConnectionError),
    ],
)
def test_every_urllib3_error_becomes_an_api_exception(
    monkeypatch: pytest.MonkeyPatch, error: Exception, expected: Type[Exception]
) -> None:
    client = rest.RESTClientObject(chatwoot_client.Configuration(host="http://127.0.0.1:9"))

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise error

    monkeypatch.setattr(client.pool_manager, "urlopen", fail)
    with pytest.raises(exceptions.ApiException) as info:
        client.request("GET", "http://127.0.0.1:9/x", {}, None, 1.0)

    assert type(info.value) is expected
    assert info.value.__cause__ is error
