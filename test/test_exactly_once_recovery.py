"""Exactly-once creates: a create whose answer is lost or a 5xx is looked up, returned, sent again only where it is
safe, or raised with ``client_message_id`` and ``stored``; a create with the caller's id looks before it sends."""

from __future__ import annotations

import socket
import threading
from typing import Any, Iterator, List

import pytest
import urllib3

import chatwoot_client
from chatwoot_client import _lookup, _reconcile
from chatwoot_client.exceptions import (
    ApiConnectionError,
    ApiException,
    ApiTimeoutError,
    ApiValueError,
    NotFoundException,
    ServiceException,
    UnprocessableEntityException,
)
from chatwoot_client.testing import MockChatwootServer
from chatwoot_client.webhooks import parse_event

ACCOUNT_ID = 1
CONVERSATION_ID = 17
FAST = (1.0, 0.1)  # (connect, read): a lost answer is noticed in a tenth of a second
SHORT = (0.2, 0.05)  # with retries=0: a create's deadline half a second after it started


def _create(api: chatwoot_client.MessagesApi, key: Any = None, **options: Any) -> Any:
    if key is not None:
        options["client_message_id"] = key
    return api.create_a_new_message_in_a_conversation({"content": "Hi"}, ACCOUNT_ID, CONVERSATION_ID, **options)


def _count(server: MockChatwootServer, method: str) -> int:
    return sum(1 for request in server.requests if request.method == method)


def _stored_ids(server: MockChatwootServer) -> List[Any]:
    return [message["content_attributes"].get("client_message_id") for message in server.messages(1, 17)]


@pytest.fixture
def taught(api: chatwoot_client.MessagesApi, server: MockChatwootServer) -> chatwoot_client.MessagesApi:
    """A client that has seen this server keep a client message id (one create), with the records cleared."""
    _create(api, "first")
    server.reset()
    return api


# -- the server is done with the request: 500, 502, 503 -----------------------------------------------------------


def test_500_after_the_save_returns_the_stored_message(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.fail_next(500, method="POST", after_save=True)
    created = _create(api, "k-500")
    assert created.id == server.messages(1, 17)[0]["id"]
    assert created.content_attributes == {"client_message_id": "k-500"}
    assert _count(server, "POST") == 1


@pytest.mark.parametrize("status", [500, 502, 503])
def test_answer_that_shows_the_server_done_and_nothing_stored_is_sent_again(
    taught: chatwoot_client.MessagesApi, server: MockChatwootServer, status: int
) -> None:
    server.fail_next(status, method="POST", after_save=False)
    created = _create(taught, "k-again")
    assert _stored_ids(server) == ["k-again"]
    assert created.id == server.messages(1, 17)[0]["id"]
    assert _count(server, "POST") == 2


def test_no_resend_before_the_client_has_seen_the_server_keep_an_id(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.fail_next(500, method="POST", after_save=False)
    with pytest.raises(ServiceException) as info:
        _create(api, "k-fresh")
    assert (info.value.client_message_id, info.value.stored) == ("k-fresh", None)  # a lookup proves nothing yet
    assert _count(server, "POST") == 1


def test_resends_stop_at_the_retry_budget_with_stored_false(
    taught: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    taught.api_client.configuration.retries = 2
    server.fail_next(503, times=5, method="POST")
    with pytest.raises(ServiceException) as info:
        _create(taught, "k-budget")
    assert (info.value.client_message_id, info.value.stored) == ("k-budget", False)
    assert _count(server, "POST") == 3
    assert server.messages(1, 17) == []


def test_resends_wait_the_backoff_between_them(
    taught: chatwoot_client.MessagesApi, server: MockChatwootServer, backoff_sleeps: List[float]
) -> None:
    server.fail_next(502, times=2, method="POST")
    _create(taught, "k-backoff")
    assert len(backoff_sleeps) == 2
    assert 0.375 <= backoff_sleeps[0] <= 0.5 and 0.75 <= backoff_sleeps[1] <= 1.0


def test_resend_honours_retry_after(
    taught: chatwoot_client.MessagesApi, server: MockChatwootServer, backoff_sleeps: List[float]
) -> None:
    server.fail_next(503, method="POST", retry_after=2)
    _create(taught, "k-after")
    assert backoff_sleeps == [2.0]


def test_retry_after_beyond_the_limit_ends_with_stored_false(
    taught: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.fail_next(503, method="POST", retry_after=3600)
    with pytest.raises(ServiceException) as info:
        _create(taught, "k-late")
    assert info.value.stored is False
    assert _count(server, "POST") == 1


# -- the server may still be working: read timeout, 504, dropped connection ---------------------------------------


def test_late_answer_after_the_save_returns_the_stored_message(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.delay_next(2.0, method="POST")
    created = _create(api, "k-late-answer", _request_timeout=FAST)
    assert created.content_attributes["client_message_id"] == "k-late-answer"
    assert _count(server, "POST") == 1


def test_slow_processing_within_a_read_timeout_of_the_failure_is_found(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.delay_next(0.45, method="POST", after_save=False)  # stores 0.15 s after the client gave up at 0.3 s
    created = _create(api, "k-slow", _request_timeout=(1.0, 0.3))
    assert created.content_attributes["client_message_id"] == "k-slow"
    assert _count(server, "POST") == 1


def test_slow_processing_past_the_lookups_raises_stored_none_without_a_resend(
    taught: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    taught.api_client.configuration.retries = 0  # a deadline of 2 * (0.2 + 0.05) s
    server.delay_next(1.0, method="POST", after_save=False)
    with pytest.raises(ApiTimeoutError) as info:
        _create(taught, "k-slower", _request_timeout=SHORT)
    assert (info.value.client_message_id, info.value.stored) == ("k-slower", None)
    assert _count(server, "POST") == 1
    assert 2 <= _count(server, "GET") <= 1 + _reconcile.PENDING_LOOKS  # the lookup before the send, then the looks


def test_slow_processing_is_looked_for_past_one_read_timeout(
    taught: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.delay_next(0.5, method="POST", after_save=False)  # saved 4 read timeouts after the client gave up
    created = _create(taught, "k-slow-save", _request_timeout=FAST)
    assert created.content_attributes["client_message_id"] == "k-slow-save"
    assert _count(server, "POST") == 1


def test_504_without_a_save_raises_stored_none_and_is_never_resent(
    taught: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    taught.api_client.configuration.retries = 0
    server.fail_next(504, method="POST", after_save=False)
    with pytest.raises(ServiceException) as info:
        _create(taught, "k-504", _request_timeout=SHORT)
    assert info.value.stored is None  # the proxy gave up; the application may still save it
    assert _count(server, "POST") == 1
    assert server.messages(1, 17) == []


def test_drop_before_processing_raises_stored_false_and_is_not_resent(
    taught: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.drop_next(method="POST", after_save=False)
    with pytest.raises(ApiConnectionError) as info:
        _create(taught, "k-drop", _request_timeout=FAST)
    assert not isinstance(info.value, ApiTimeoutError)
    assert (info.value.client_message_id, info.value.stored) == ("k-drop", False)
    assert _count(server, "POST") == 1
    assert 1 + 2 <= _count(server, "GET") <= 1 + _reconcile.LOOKS  # looked for a read timeout after the drop


def test_drop_before_the_client_has_seen_the_server_keep_an_id_raises_stored_none(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.drop_next(method="POST", after_save=False)
    with pytest.raises(ApiConnectionError) as info:
        _create(api, "k-drop-fresh", _request_timeout=FAST)
    assert info.value.stored is None


@pytest.mark.parametrize(
    "fault",
    [
        lambda server: server.fail_next(504, method="POST", after_save=True),
        lambda server: server.drop_next(method="POST", after_save=True),
    ],
    ids=["504", "drop"],
)
def test_lost_answer_after_the_save_returns_the_stored_message(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, fault: Any
) -> None:
    fault(server)
    created = _create(api, _request_timeout=FAST)  # a fresh random id is looked up too
    assert created.content_attributes == server.messages(1, 17)[0]["content_attributes"]
    assert _count(server, "POST") == 1


# -- answers that come before the create, or after it ------------------------------------------------------------


@pytest.mark.parametrize("status", [400, 401, 403, 404, 429])
def test_answer_refusing_the_create_raises_stored_false_without_a_lookup(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, status: int
) -> None:
    api.api_client.configuration.retries = 0
    server.fail_next(status, method="POST")
    with pytest.raises(ApiException) as info:
        _create(api)
    assert info.value.status == status
    assert info.value.stored is False
    assert _count(server, "GET") == 0


def test_unknown_conversation_raises_stored_false(api: chatwoot_client.MessagesApi) -> None:
    with pytest.raises(NotFoundException) as info:
        api.create_a_new_message_in_a_conversation({"content": "Hi"}, ACCOUNT_ID, 999)
    assert info.value.stored is False
    assert isinstance(info.value.client_message_id, str)


def test_422_after_the_save_raises_stored_true(taught: chatwoot_client.MessagesApi, server: MockChatwootServer) -> None:
    server.fail_next(422, method="POST", after_save=True)
    with pytest.raises(UnprocessableEntityException) as info:
        _create(taught, "k-422")
    assert info.value.stored is True
    assert _count(server, "POST") == 1


def test_422_without_a_save_raises_stored_false_and_is_not_resent(
    taught: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.fail_next(422, method="POST", after_save=False)
    with pytest.raises(UnprocessableEntityException) as info:
        _create(taught, "k-422-no")
    assert info.value.stored is False
    assert _count(server, "POST") == 1


def test_2xx_with_an_unreadable_body_raises_stored_true(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.fail_next(200, method="POST", body="not json")
    with pytest.raises(ApiException) as info:
        _create(api)
    assert info.value.stored is True
    assert _count(server, "GET") == 0


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_connection_never_established_raises_stored_false(server: MockChatwootServer) -> None:
    configuration = chatwoot_client.Configuration(host=f"http://127.0.0.1:{_closed_port()}")
    configuration.api_key["api_access_token"] = server.user_token
    with chatwoot_client.ApiClient(configuration) as client, pytest.raises(ApiConnectionError) as info:
        _create(chatwoot_client.MessagesApi(client))
    assert info.value.stored is False


# -- the caller's id: look first, so that calling again is safe ----------------------------------------------------


def test_create_again_with_the_same_id_returns_the_message_without_sending(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    first = _create(api, "k-twice")
    second = _create(api, "k-twice")
    assert second.id == first.id
    assert _count(server, "POST") == 1
    assert _stored_ids(server) == ["k-twice"]


def test_create_again_finds_a_message_another_client_stored(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    stored = server.add_message(1, 17, "Hi", "outgoing", content_attributes={"client_message_id": "k-other"})
    found = api.create_a_new_message_in_a_conversation_with_http_info(
        {"content": "Hi"}, ACCOUNT_ID, CONVERSATION_ID, client_message_id="k-other"
    )
    assert found[0].id == stored["id"] and found[1] == 200
    assert isinstance(found[0], chatwoot_client.InlineResponse2005)
    assert _count(server, "POST") == 0


def test_caller_loop_after_stored_none_ends_with_one_message(
    taught: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    taught.api_client.configuration.retries = 0
    server.delay_next(1.0, method="POST", after_save=False)
    with pytest.raises(ApiTimeoutError) as info:
        _create(taught, "k-loop", _request_timeout=SHORT)
    assert info.value.stored is None
    for _ in range(100):  # the README's wait, as a poll with a deadline of about two seconds
        if server.messages(1, 17):
            break
        threading.Event().wait(0.02)
    created = _create(taught, "k-loop")
    assert _stored_ids(server) == ["k-loop"]
    assert created.id == server.messages(1, 17)[0]["id"]


def test_lookup_before_the_send_that_fails_raises_stored_none_without_sending(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.fail_next(500, times=5, method="GET")  # more than the retry budget
    with pytest.raises(ServiceException) as info:
        _create(api, "k-unknown")
    assert (info.value.client_message_id, info.value.stored) == ("k-unknown", None)
    assert _count(server, "POST") == 0


def test_create_without_an_id_makes_no_lookup(api: chatwoot_client.MessagesApi, server: MockChatwootServer) -> None:
    _create(api)
    assert [request.method for request in server.requests] == ["POST"]


def test_async_create_recovers_on_the_pool(api: chatwoot_client.MessagesApi, server: MockChatwootServer) -> None:
    server.fail_next(500, method="POST", after_save=True)
    created = _create(api, "k-async", async_req=True).get(10)
    assert created.content_attributes["client_message_id"] == "k-async"


def test_async_create_checks_its_arguments_before_any_io(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    with pytest.raises(ApiValueError, match="conversation_id"):
        api.create_a_new_message_in_a_conversation({"content": "Hi"}, ACCOUNT_ID, 0, async_req=True)
    assert server.requests == []


# -- reconcile_creates and agent bot tokens ------------------------------------------------------------------------


def test_reconcile_creates_false_makes_no_lookup_and_no_resend(
    taught: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    taught.api_client.configuration.reconcile_creates = False
    server.fail_next(500, method="POST", after_save=False)
    with pytest.raises(ServiceException) as info:
        _create(taught, "k-off")
    assert (info.value.client_message_id, info.value.stored) == ("k-off", None)
    assert [request.method for request in server.requests] == ["POST"]


@pytest.mark.parametrize("value", [None, 1, "yes"])
def test_reconcile_creates_must_be_a_bool(value: Any) -> None:
    with pytest.raises(ApiValueError, match="reconcile_creates"):
        chatwoot_client.Configuration().reconcile_creates = value


def test_reconcile_creates_is_on_by_default() -> None:
    assert chatwoot_client.Configuration().reconcile_creates is True


@pytest.fixture
def bot(server: MockChatwootServer) -> Iterator[chatwoot_client.MessagesApi]:
    configuration = chatwoot_client.Configuration(host=server.url)
    configuration.api_key["api_access_token"] = server.bot_token
    with chatwoot_client.ApiClient(configuration) as client:
        yield chatwoot_client.MessagesApi(client)


def test_bot_token_is_refused_one_lookup_then_sends_without_looking(
    bot: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    _create(bot, "bot-1")
    _create(bot, "bot-2")
    assert [request.method for request in server.requests] == ["GET", "POST", "POST"]
    assert _stored_ids(server) == ["bot-1", "bot-2"]


def test_message_sent_by_a_bot_turns_lookups_off(bot: chatwoot_client.MessagesApi, server: MockChatwootServer) -> None:
    _create(bot)  # the answer's sender is the agent bot
    _create(bot, "bot-3")
    assert [request.method for request in server.requests] == ["POST", "POST"]


def test_bot_create_whose_answer_is_lost_raises_stored_none_without_a_resend(
    bot: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    _create(bot)
    server.fail_next(500, method="POST", after_save=False)
    with pytest.raises(ServiceException) as info:
        _create(bot, "bot-lost")
    assert info.value.stored is None
    assert _count(server, "POST") == 2 and _count(server, "GET") == 0


def test_bot_confirms_its_send_by_the_webhooks_client_message_id(
    bot: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    created = _create(bot, "bot-hook")
    payload = {"event": "message_created", "id": created.id, "content_attributes": created.content_attributes}
    assert parse_event(payload).client_message_id == "bot-hook"


@pytest.mark.parametrize("attributes", [None, {}, {"client_message_id": 7}, "text"])
def test_webhook_without_a_client_message_id_reads_none(attributes: Any) -> None:
    assert parse_event({"event": "message_created", "content_attributes": attributes}).client_message_id is None


def test_state_is_keyed_by_a_hash_of_the_token_never_the_token(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    _create(api, "k-state")
    keys = list(getattr(api.api_client, _lookup._SERVERS))
    assert keys and server.user_token not in repr(keys)
    assert keys[0][0] == server.url


# -- find_message_by_client_message_id -----------------------------------------------------------------------------


def test_find_returns_the_tagged_message(api: chatwoot_client.MessagesApi) -> None:
    created = _create(api, "k-find")
    for index in range(30):
        _create(api, f"k-later-{index}")
    found = api.find_message_by_client_message_id(ACCOUNT_ID, CONVERSATION_ID, "k-find")
    assert found is not None and found.id == created.id


def test_find_returns_none_after_at_most_three_pages(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    for index in range(100):
        server.add_message(1, 17, f"m{index}", content_attributes={"client_message_id": f"old-{index}"})
    assert api.find_message_by_client_message_id(ACCOUNT_ID, CONVERSATION_ID, "old-39") is None  # 61st newest
    assert api.find_message_by_client_message_id(ACCOUNT_ID, CONVERSATION_ID, "old-40") is not None  # 60th
    assert _count(server, "GET") == 6


def test_find_in_a_short_conversation_stops_at_its_start(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.add_message(1, 17, "only")
    assert api.find_message_by_client_message_id(ACCOUNT_ID, CONVERSATION_ID, "absent") is None
    assert _count(server, "GET") == 1


@pytest.mark.parametrize("value", ["", "x" * 65, "a b", 7, None])
def test_find_with_a_bad_id_raises_before_io(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, value: Any
) -> None:
    with pytest.raises(ApiValueError, match="client_message_id"):
        api.find_message_by_client_message_id(ACCOUNT_ID, CONVERSATION_ID, value)
    assert server.requests == []


def test_find_refuses_an_unknown_keyword(api: chatwoot_client.MessagesApi) -> None:
    with pytest.raises(TypeError, match="'before'"):
        api.find_message_by_client_message_id(ACCOUNT_ID, CONVERSATION_ID, "k", before=3)  # type: ignore[call-arg]


def test_find_passes_its_timeout_to_each_request(api: chatwoot_client.MessagesApi, server: MockChatwootServer) -> None:
    api.api_client.configuration.retries = 0
    server.delay_next(1.0, method="GET")
    with pytest.raises(ApiTimeoutError):
        api.find_message_by_client_message_id(ACCOUNT_ID, CONVERSATION_ID, "k", _request_timeout=(1.0, 0.05))


def test_lookup_after_a_failure_stops_at_the_newest_message_before_the_send(
    taught: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    for index in range(100):
        server.add_message(1, 17, f"m{index}")
    server.fail_next(500, method="POST", after_save=False)
    _create(taught, "k-anchor")
    assert _count(server, "GET") == 3 + 1  # three pages before the send; after the 500 one reaches the anchor
    assert _count(server, "POST") == 2
    assert _stored_ids(server)[-1] == "k-anchor"


def test_create_without_an_id_in_a_long_conversation_is_sent_again_after_500(
    taught: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    for index in range(100):
        server.add_message(1, 17, f"m{index}")
    server.fail_next(500, method="POST", after_save=False)
    created = _create(taught)
    assert _count(server, "GET") == 3 and _count(server, "POST") == 2
    assert created.id == server.messages(1, 17)[-1]["id"]


def test_bot_refused_lookup_after_a_failure_raises_stored_none(
    bot: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.fail_next(500, method="POST", after_save=False)
    with pytest.raises(ServiceException) as info:
        _create(bot)
    assert info.value.stored is None
    _create(bot, "bot-after")
    assert [request.method for request in server.requests] == ["POST", "GET", "POST"]


@pytest.mark.parametrize("timeout", [0.1, urllib3.Timeout(connect=1.0, read=0.1)], ids=["number", "Timeout"])
def test_lookups_follow_a_timeout_given_as_a_number_or_a_urllib3_timeout(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, timeout: Any
) -> None:
    server.delay_next(2.0, method="POST")
    created = _create(api, "k-timeout", _request_timeout=timeout)
    assert created.content_attributes["client_message_id"] == "k-timeout"


def test_resend_budget_of_a_urllib3_retry_is_its_total(
    taught: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    taught.api_client.configuration.retries = urllib3.util.Retry(total=1)
    server.fail_next(500, times=3, method="POST", after_save=False)
    with pytest.raises(ServiceException) as info:
        _create(taught, "k-retry")
    assert info.value.stored is False
    assert _count(server, "POST") == 2


def test_create_with_preload_content_false_returns_the_raw_answer(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    response = _create(api, "k-raw", _preload_content=False)
    assert response.status == 200
    assert b"k-raw" in response.read()


def test_create_with_an_id_in_an_unknown_conversation_raises_stored_false_without_sending(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    with pytest.raises(NotFoundException) as info:
        api.create_a_new_message_in_a_conversation({"content": "Hi"}, ACCOUNT_ID, 999, client_message_id="k-404")
    assert (info.value.client_message_id, info.value.stored) == ("k-404", False)
    assert _count(server, "POST") == 0


def test_lookup_answered_500_is_tried_again(api: chatwoot_client.MessagesApi, server: MockChatwootServer) -> None:
    server.fail_next(500, method="GET")
    _create(api, "k-look-again")
    assert [request.method for request in server.requests] == ["GET", "GET", "POST"]


def test_a_listed_message_with_an_id_shows_the_server_keeps_ids(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.add_message(1, 17, "earlier", "outgoing", content_attributes={"client_message_id": "someone-else"})
    server.fail_next(500, method="POST", after_save=False)
    created = _create(api, "k-evidence")  # a fresh client: what it listed before the send is the evidence
    assert _count(server, "POST") == 2
    assert created.content_attributes["client_message_id"] == "k-evidence"


def test_tls_failure_is_not_claimed_unsent(server: MockChatwootServer) -> None:
    configuration = chatwoot_client.Configuration(host=server.url.replace("http://", "https://"))
    configuration.api_key["api_access_token"] = server.user_token
    configuration.retries = 0
    with chatwoot_client.ApiClient(configuration) as client, pytest.raises(ApiConnectionError) as info:
        _create(chatwoot_client.MessagesApi(client), _request_timeout=FAST)
    assert "TLS" in str(info.value)
    assert info.value.stored is None  # the lookup cannot be made either; a TLS error may follow the send


def test_caller_mistake_found_before_io_says_nothing_was_stored(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    with pytest.raises(ApiValueError) as info:
        api.create_a_new_message_in_a_conversation({"content": ""}, ACCOUNT_ID, CONVERSATION_ID, client_message_id="k")
    assert (getattr(info.value, "client_message_id", None), getattr(info.value, "stored", None)) == ("k", False)
    assert server.requests == []


def _wait_for_a_message(server: MockChatwootServer) -> None:
    for _ in range(200):  # a poll with a deadline of about two seconds
        if server.messages(1, 17):
            return
        threading.Event().wait(0.01)


def test_calling_again_after_stored_none_finds_the_message_however_busy_the_conversation(
    taught: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    taught.api_client.configuration.retries = 0
    server.delay_next(0.8, method="POST", after_save=False)
    with pytest.raises(ApiTimeoutError) as info:
        _create(taught, "k-busy", _request_timeout=SHORT)
    assert info.value.stored is None
    _wait_for_a_message(server)
    for index in range(100):  # the message is now far beyond the newest 60
        server.add_message(1, 17, f"later {index}")
    created = _create(taught, "k-busy")
    assert _stored_ids(server).count("k-busy") == 1
    assert created.id == server.messages(1, 17)[0]["id"]


def test_a_settled_id_is_forgotten(taught: chatwoot_client.MessagesApi, server: MockChatwootServer) -> None:
    server.drop_next(method="POST", after_save=False)
    with pytest.raises(ApiConnectionError):
        _create(taught, "k-settle", _request_timeout=FAST)
    state = next(iter(getattr(taught.api_client, _lookup._SERVERS).values()))
    assert (1, 17, "k-settle") in state.unsettled
    _create(taught, "k-settle")
    assert (1, 17, "k-settle") not in state.unsettled


def test_remembered_ids_are_bounded(taught: chatwoot_client.MessagesApi) -> None:
    state = next(iter(getattr(taught.api_client, _lookup._SERVERS).values()))
    for index in range(_lookup.UNSETTLED + 5):
        state.remember(_lookup.Call(taught, None, 1, 17, f"k{index}", True), index)
    assert len(state.unsettled) == _lookup.UNSETTLED
    assert (1, 17, "k0") not in state.unsettled and (1, 17, f"k{_lookup.UNSETTLED + 4}") in state.unsettled


def test_lookup_with_an_anchor_goes_past_the_newest_60(
    taught: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.delay_next(1.0, method="POST")  # saved at once, answered after the client gave up
    pending = _create(taught, "k-deep", async_req=True, _request_timeout=(1.0, 0.4))
    _wait_for_a_message(server)
    for index in range(100):  # before the client looks, 100 newer messages bury it
        server.add_message(1, 17, f"burying {index}")
    created = pending.get(10)
    assert created.content_attributes["client_message_id"] == "k-deep"
    assert _count(server, "POST") == 1
