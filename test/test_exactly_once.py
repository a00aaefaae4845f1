"""Exactly-once creates: every create carries a checked client message id, and the mock's faults on both sides
of storing."""

from __future__ import annotations

import json
import re
import threading
from typing import Any, Dict

import pytest

import chatwoot_client
from chatwoot_client.exceptions import ApiConnectionError, ApiTimeoutError, ApiValueError, ServiceException
from chatwoot_client.testing import MockChatwootServer

ACCOUNT_ID = 1
CONVERSATION_ID = 17


def _sent_attributes(server: MockChatwootServer) -> Dict[str, Any]:
    posts = [request for request in server.requests if request.method == "POST"]
    attributes: Dict[str, Any] = posts[-1].json()["content_attributes"]
    return attributes


def test_create_without_id_sends_a_fresh_random_one(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    first = api.create_a_new_message_in_a_conversation({"content": "a"}, ACCOUNT_ID, CONVERSATION_ID)
    second = api.create_a_new_message_in_a_conversation({"content": "b"}, ACCOUNT_ID, CONVERSATION_ID)
    ids = [message["content_attributes"]["client_message_id"] for message in server.messages(1, 17)]
    assert all(re.fullmatch(r"[A-Za-z0-9._:-]{16,64}", value) for value in ids)
    assert ids[0] != ids[1]
    assert first.content_attributes == {"client_message_id": ids[0]}
    assert second.source_id is None


def test_create_sends_the_callers_id_and_keeps_other_attributes(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    body = chatwoot_client.ConversationMessageCreate(content="Hi", content_attributes={"order": 7})
    api.create_a_new_message_in_a_conversation(body, ACCOUNT_ID, CONVERSATION_ID, client_message_id="order-7:a.b")
    assert _sent_attributes(server) == {"order": 7, "client_message_id": "order-7:a.b"}
    assert body.content_attributes == {"order": 7}  # the caller's body is untouched


def test_create_does_not_change_the_callers_dict(api: chatwoot_client.MessagesApi) -> None:
    attributes = {"order": 7}
    body = {"content": "Hi", "content_attributes": attributes}
    api.create_a_new_message_in_a_conversation(body, ACCOUNT_ID, CONVERSATION_ID, client_message_id="k1")
    assert body == {"content": "Hi", "content_attributes": {"order": 7}}
    assert attributes == {"order": 7}


def test_multipart_create_carries_the_id_as_json_text(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    api.create_a_new_message_in_a_conversation(
        {"content": "file"}, ACCOUNT_ID, CONVERSATION_ID, client_message_id="with-file", attachments=[("a.txt", b"x")]
    )
    body = server.requests[-1].body
    part = body.split(b'name="content_attributes"\r\n\r\n', 1)[1].split(b"\r\n--", 1)[0]
    assert json.loads(part) == {"client_message_id": "with-file"}
    assert server.messages(1, 17)[-1]["content_attributes"] == {"client_message_id": "with-file"}


def test_body_id_equal_to_the_keyword_is_accepted(api: chatwoot_client.MessagesApi, server: MockChatwootServer) -> None:
    body = {"content": "Hi", "content_attributes": {"client_message_id": "same"}}
    api.create_a_new_message_in_a_conversation(body, ACCOUNT_ID, CONVERSATION_ID, client_message_id="same")
    assert _sent_attributes(server) == {"client_message_id": "same"}


def test_body_id_differing_from_the_keyword_raises_before_io(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    body = {"content": "Hi", "content_attributes": {"client_message_id": "one"}}
    with pytest.raises(ValueError, match="differs from client_message_id"):
        api.create_a_new_message_in_a_conversation(body, ACCOUNT_ID, CONVERSATION_ID, client_message_id="two")
    assert server.requests == []


@pytest.mark.parametrize(
    "value",
    [b"bytes", 17, True, ["a"], "", "x" * 65, "has space", "slash/", "newline\n", "é", "tab\t", "semi;colon", "\uff11"],
)
def test_bad_client_message_id_raises_before_io(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, value: Any
) -> None:
    with pytest.raises(ApiValueError, match="client_message_id"):
        api.create_a_new_message_in_a_conversation(
            {"content": "Hi"}, ACCOUNT_ID, CONVERSATION_ID, client_message_id=value
        )
    assert server.requests == []


def test_bad_id_in_the_body_raises_before_io(api: chatwoot_client.MessagesApi, server: MockChatwootServer) -> None:
    body = {"content": "Hi", "content_attributes": {"client_message_id": "no spaces"}}
    with pytest.raises(ApiValueError, match="client_message_id"):
        api.create_a_new_message_in_a_conversation(body, ACCOUNT_ID, CONVERSATION_ID)
    assert server.requests == []


def test_longest_allowed_id_is_sent(api: chatwoot_client.MessagesApi, server: MockChatwootServer) -> None:
    key = "A-z0.9:_" * 8
    api.create_a_new_message_in_a_conversation({"content": "Hi"}, ACCOUNT_ID, CONVERSATION_ID, client_message_id=key)
    assert _sent_attributes(server)["client_message_id"] == key


def test_exceptions_carry_no_create_state_by_default() -> None:
    error = chatwoot_client.ApiException(500, "Internal Server Error")
    assert (error.client_message_id, error.stored) == (None, None)
    assert str(error) == "(500) Internal Server Error"


# -- the mock's faults on both sides of storing -----------------------------------------------------------------


def _create(api: chatwoot_client.MessagesApi, **options: Any) -> Any:
    api.api_client.configuration.reconcile_creates = False  # the fault as it reaches the caller, no lookup
    return api.create_a_new_message_in_a_conversation({"content": "Hi"}, ACCOUNT_ID, CONVERSATION_ID, **options)


@pytest.mark.parametrize(("after_save", "stored"), [(None, 1), (True, 1), (False, 0)])
def test_fail_next_500_before_and_after_the_save(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, after_save: Any, stored: int
) -> None:
    server.fail_next(500, after_save=after_save)
    with pytest.raises(ServiceException):
        _create(api)
    assert len(server.messages(1, 17)) == stored


@pytest.mark.parametrize(("after_save", "stored"), [(None, 0), (True, 1), (False, 0)])
def test_fail_next_504_after_the_save_stores(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, after_save: Any, stored: int
) -> None:
    server.fail_next(504, method="POST", after_save=after_save)
    with pytest.raises(ServiceException):
        _create(api)
    assert len(server.messages(1, 17)) == stored


@pytest.mark.parametrize(("after_save", "stored"), [(True, 1), (False, 0)])
def test_drop_next_before_and_after_processing(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, after_save: bool, stored: int
) -> None:
    server.drop_next(after_save=after_save)
    with pytest.raises(ApiConnectionError):
        _create(api)
    assert len(server.messages(1, 17)) == stored


def test_delay_after_save_stores_before_the_client_times_out(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.delay_next(2.0)
    with pytest.raises(ApiTimeoutError):
        _create(api, _request_timeout=(1.0, 0.05))
    assert len(server.messages(1, 17)) == 1


def test_slow_processing_stores_only_after_the_wait(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.delay_next(0.3, after_save=False)
    with pytest.raises(ApiTimeoutError):
        _create(api, _request_timeout=(1.0, 0.05))
    assert server.messages(1, 17) == []  # the server is still working on it
    for _ in range(100):  # a poll with a deadline of about a second
        if server.messages(1, 17):
            break
        threading.Event().wait(0.01)
    assert len(server.messages(1, 17)) == 1


@pytest.mark.parametrize("value", [1, "yes"])
def test_fault_side_must_be_a_bool(server: MockChatwootServer, value: Any) -> None:
    with pytest.raises(TypeError, match="after_save"):
        server.drop_next(after_save=value)
    with pytest.raises(TypeError, match="after_save"):
        server.delay_next(0.1, after_save=value)
    with pytest.raises(TypeError, match="after_save"):
        server.fail_next(500, after_save=value)
