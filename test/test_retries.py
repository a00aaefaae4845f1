"""The retry policy against injected faults: requests the server saw, what the caller got, messages stored."""

from __future__ import annotations

import email.utils
import time
from typing import Any, Callable, List, Optional, Type

import pytest
import urllib3

import chatwoot_client
from chatwoot_client import exceptions, rest
from chatwoot_client.testing import MockChatwootServer
from conftest import ACCOUNT_ID, API_CONVERSATION_ID, make_configuration

LIST = "GET"
CREATE = "POST"
DELETE = "DELETE"


def _call(api: chatwoot_client.MessagesApi, server: MockChatwootServer, method: str, **keywords: Any) -> Any:
    if method == CREATE:
        return api.create_a_new_message_in_a_conversation(
            {"content": "once"}, ACCOUNT_ID, API_CONVERSATION_ID, **keywords
        )
    if method == DELETE:
        message_id = server.add_message(ACCOUNT_ID, API_CONVERSATION_ID, "to delete")["id"]
        return api.delete_a_message(ACCOUNT_ID, API_CONVERSATION_ID, message_id, **keywords)
    return api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID, **keywords)


def _created(server: MockChatwootServer) -> int:
    return sum(message["content"] == "once" for message in server.messages(ACCOUNT_ID, API_CONVERSATION_ID))


@pytest.mark.parametrize("method", [LIST, DELETE])
@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_get_and_delete_are_retried_on_throttling_and_proxy_errors(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, method: str, status: int
) -> None:
    server.fail_next(status, method=method)

    _call(api, server, method)

    assert [request.method for request in server.requests] == [method, method]


@pytest.mark.parametrize("method", [LIST, DELETE])
def test_get_and_delete_give_up_after_three_retries(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, method: str, backoff_sleeps: List[float]
) -> None:
    server.fail_next(503, times=10, method=method)

    with pytest.raises(exceptions.ServiceException):
        _call(api, server, method)

    assert len(server.requests) == 4
    assert len(backoff_sleeps) == 3


def test_backoff_starts_at_half_a_second_doubles_and_is_jittered(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, backoff_sleeps: List[float]
) -> None:
    server.fail_next(503, times=3)

    api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)

    for wait, base in zip(backoff_sleeps, [0.5, 1.0, 2.0]):
        assert base * (1 - rest.BACKOFF_JITTER) <= wait <= base
    assert len(backoff_sleeps) == 3


def test_backoff_is_capped_at_eight_seconds() -> None:
    policy = rest._retry_policy(10)
    for _ in range(8):
        policy = policy.increment("GET", "/x", error=urllib3.exceptions.ConnectTimeoutError())

    assert rest.BACKOFF_MAX * (1 - rest.BACKOFF_JITTER) <= policy.get_backoff_time() <= rest.BACKOFF_MAX


def test_get_is_not_retried_on_internal_server_error(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.fail_next(500)

    with pytest.raises(exceptions.ServiceException):
        api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)

    assert len(server.requests) == 1


@pytest.mark.parametrize("fault", [lambda server: server.drop_next(), lambda server: server.delay_next(5)])
def test_get_is_retried_after_a_lost_answer(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, fault: Callable[[Any], None]
) -> None:
    fault(server)

    page = api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID, _request_timeout=(1, 0.2))

    assert isinstance(page, chatwoot_client.MessageList)
    assert len(server.requests) == 2


def test_post_is_retried_on_throttling_and_stored_once(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.fail_next(429, method=CREATE)

    created = _call(api, server, CREATE)

    assert len(server.requests) == 2
    assert _created(server) == 1
    assert created.content == "once"


@pytest.mark.parametrize(
    ("fault", "expected", "stored"),
    [
        (lambda server: server.fail_next(500), exceptions.ServiceException, 1),
        (lambda server: server.fail_next(502), exceptions.ServiceException, 0),
        (lambda server: server.fail_next(503), exceptions.ServiceException, 0),
        (lambda server: server.fail_next(504), exceptions.ServiceException, 0),
        (lambda server: server.drop_next(), exceptions.ApiConnectionError, 1),
        (lambda server: server.delay_next(5), exceptions.ApiTimeoutError, 1),
    ],
)
def test_post_is_never_resent_once_the_server_may_have_acted(
    api: chatwoot_client.MessagesApi,
    server: MockChatwootServer,
    fault: Callable[[Any], None],
    expected: Type[Exception],
    stored: int,
) -> None:
    api.api_client.configuration.reconcile_creates = False  # the transport's policy alone, without lookups
    fault(server)

    with pytest.raises(expected):
        _call(api, server, CREATE, _request_timeout=(1, 0.2))

    assert len(server.requests) == 1
    assert _created(server) == stored


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_post_is_retried_when_the_connection_was_never_established(
    server: MockChatwootServer, backoff_sleeps: List[float], new_api: Any
) -> None:
    configuration = make_configuration(server, server.user_token)
    configuration.host = f"http://127.0.0.1:{_closed_port()}"
    api = new_api(configuration)

    with pytest.raises(exceptions.ApiConnectionError):
        api.create_a_new_message_in_a_conversation({"content": "x"}, ACCOUNT_ID, API_CONVERSATION_ID)

    assert len(backoff_sleeps) == 3


@pytest.mark.parametrize(("retry_after", "expected_wait"), [("2", 2.0), ("0", 0.0)])
def test_retry_after_in_seconds_replaces_the_backoff(
    api: chatwoot_client.MessagesApi,
    server: MockChatwootServer,
    backoff_sleeps: List[float],
    retry_after: str,
    expected_wait: float,
) -> None:
    server.fail_next(429, retry_after=retry_after)

    api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)

    assert backoff_sleeps == [expected_wait]


def test_retry_after_as_http_date_is_honoured(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, backoff_sleeps: List[float]
) -> None:
    server.fail_next(503, retry_after=email.utils.formatdate(time.time() + 30, usegmt=True))

    api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)

    (wait,) = backoff_sleeps
    assert 25 <= wait <= 30


@pytest.mark.parametrize("method", [LIST, CREATE])
def test_retry_after_over_sixty_seconds_ends_retrying(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, backoff_sleeps: List[float], method: str
) -> None:
    server.fail_next(429, retry_after=120)

    with pytest.raises(exceptions.TooManyRequestsException) as info:
        _call(api, server, method)

    assert info.value.retry_after == 120
    assert len(server.requests) == 1
    assert backoff_sleeps == []


def test_throttled_to_the_end_raises_too_many_requests(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.fail_next(429, times=10)

    with pytest.raises(exceptions.TooManyRequestsException):
        _call(api, server, CREATE)

    assert len(server.requests) == 4
    assert _created(server) == 0


def test_dropped_four_times_raises_connection_error(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.drop_next(times=10)

    with pytest.raises(exceptions.ApiConnectionError):
        api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)

    assert len(server.requests) == 4


@pytest.fixture
def api_with_retries(server: MockChatwootServer, new_api: Any) -> Callable[[Any], chatwoot_client.MessagesApi]:
    def build(retries: Any) -> chatwoot_client.MessagesApi:
        configuration = make_configuration(server, server.user_token)
        configuration.retries = retries
        return new_api(configuration)  # type: ignore[no-any-return]

    return build


@pytest.mark.parametrize(("retries", "requests_seen"), [(0, 1), (False, 1), (1, 2), (2, 3), (None, 4)])
def test_retries_setting_bounds_the_attempts(
    api_with_retries: Callable[[Any], chatwoot_client.MessagesApi],
    server: MockChatwootServer,
    retries: Optional[int],
    requests_seen: int,
) -> None:
    server.fail_next(503, times=10)

    with pytest.raises(exceptions.ServiceException):
        api_with_retries(retries).list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)

    assert len(server.requests) == requests_seen


def test_a_urllib3_retry_is_used_as_given(
    api_with_retries: Callable[[Any], chatwoot_client.MessagesApi], server: MockChatwootServer
) -> None:
    server.fail_next(500, times=1)

    page = api_with_retries(urllib3.util.Retry(total=1, status_forcelist=[500])).list_all_messages(1, 17)

    assert isinstance(page, chatwoot_client.MessageList)
    assert len(server.requests) == 2


def test_unreadable_retry_after_falls_back_to_the_backoff(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, backoff_sleeps: List[float]
) -> None:
    server.fail_next(429, retry_after="soon")

    api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)

    assert len(server.requests) == 2
    (wait,) = backoff_sleeps
    assert rest.BACKOFF_START * (1 - rest.BACKOFF_JITTER) <= wait <= rest.BACKOFF_START


def test_unreadable_retry_after_on_the_last_answer_still_raises_too_many_requests(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.fail_next(429, times=10, retry_after="soon")

    with pytest.raises(exceptions.TooManyRequestsException) as info:
        api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)

    assert info.value.retry_after is None
