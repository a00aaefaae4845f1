"""SERVER.md sections 5 to 7: status update, retry and delete of one message, over raw HTTP."""

from __future__ import annotations

import time
from typing import Any, Dict

import pytest
from _mock_http import MESSAGES, call, call_json, multipart, page_ids

from chatwoot_client.testing import MockChatwootServer

# --- delete ----------------------------------------------------------------------------------------------------


def test_delete_is_soft_and_idempotent(server: MockChatwootServer) -> None:
    body, headers = multipart({"content": "with file"}, [("a.png", "image/png", b"png")])
    _, created = call_json(server, "POST", MESSAGES, body=body, headers=headers)
    data_path = created["attachments"][0]["data_url"][len(server.url) :]
    status, deleted = call_json(server, "DELETE", f"{MESSAGES}/{created['id']}")
    assert status == 200 and deleted["content"] == "This message was deleted"
    assert deleted["content_type"] == "text" and deleted["content_attributes"] == {"deleted": True}
    assert "attachments" not in deleted and call(server, "GET", data_path, token=None)[0] == 404
    assert call_json(server, "DELETE", f"{MESSAGES}/{created['id']}") == (200, deleted)
    assert page_ids(server) == [created["id"]]


def stored(server: MockChatwootServer, conversation_id: int = 17, **fields: Any) -> Dict[str, Any]:
    return server.add_message(1, conversation_id, "stored", "outgoing", **fields)


@pytest.mark.parametrize("method", ["PATCH", "PUT"])
def test_rule_5_a_status_update_answers_the_changed_message(server: MockChatwootServer, method: str) -> None:
    """SERVER.md 5: PATCH or PUT with a known status."""
    message = stored(server)
    status, answer = call_json(server, method, f"{MESSAGES}/{message['id']}", body={"status": "delivered"})
    assert status == 200 and answer["status"] == "delivered" and answer["content_attributes"] == {}


def test_rule_5_status_is_read_from_the_query_too(server: MockChatwootServer) -> None:
    """SERVER.md 5: body or query."""
    message = stored(server)
    assert call_json(server, "PATCH", f"{MESSAGES}/{message['id']}?status=read")[1]["status"] == "read"


@pytest.mark.parametrize(
    ("start", "body"),
    [("sent", {}), ("sent", {"status": "lost"}), ("read", {"status": "delivered"}), ("sent", {"status": ["read"]})],
)
def test_rule_5_an_unknown_missing_or_backward_status_changes_nothing_and_is_200(
    server: MockChatwootServer, start: str, body: Dict[str, Any]
) -> None:
    """SERVER.md 5: nothing changes, still 200 with the message as it stands."""
    message = stored(server, status=start)
    assert call_json(server, "PATCH", f"{MESSAGES}/{message['id']}", body=body) == (200, message)


def test_rule_5_failed_sets_external_error_and_other_statuses_clear_it(server: MockChatwootServer) -> None:
    """SERVER.md 5: external_error only with failed; a key not present stays absent."""
    message = stored(server)
    path = f"{MESSAGES}/{message['id']}"
    assert (
        call_json(server, "PATCH", path, body={"status": "sent", "external_error": "x"})[1]["content_attributes"] == {}
    )
    failed = call_json(server, "PATCH", path, body={"status": "failed", "external_error": "Timeout"})[1]
    assert failed["content_attributes"] == {"external_error": "Timeout"}
    sent = call_json(server, "PATCH", path, body={"status": "sent", "external_error": "ignored"})[1]
    assert sent["content_attributes"] == {"external_error": None}


def test_rule_5_status_update_outside_an_api_inbox_is_forbidden_before_the_message_lookup(
    server: MockChatwootServer,
) -> None:
    """SERVER.md 2.6 and 5: 403 even for a message that does not exist."""
    answer = call_json(server, "PATCH", "/api/v1/accounts/1/conversations/18/messages/999", body={"status": "read"})
    assert answer == (403, {"error": "Message status update is only allowed for API inboxes"})


def test_rule_6_retry_sets_sent_and_empties_content_attributes(server: MockChatwootServer) -> None:
    """SERVER.md 6: status sent, content_attributes {} (every key, custom and deleted included), in any inbox."""
    message = stored(server, 18, status="failed", content_attributes={"external_error": "x", "custom": 1})
    status, answer = call_json(server, "POST", f"/api/v1/accounts/1/conversations/18/messages/{message['id']}/retry")
    assert status == 200 and (answer["status"], answer["content_attributes"]) == ("sent", {})


def test_rule_6_retry_of_an_unknown_message_is_unprocessable(server: MockChatwootServer) -> None:
    """SERVER.md 6: 422, not 404 (inferred text)."""
    status, answer = call_json(server, "POST", f"{MESSAGES}/99999/retry")
    assert status == 422 and answer["error"].startswith("Couldn't find Message with 'id'=99999")


def test_rule_7_delete_keeps_every_other_field(server: MockChatwootServer) -> None:
    """SERVER.md 7: only content, content_type and content_attributes change."""
    message = stored(server, content_type="input_select", content_attributes={"items": [{"title": "a"}]}, private=True)
    _, deleted = call_json(server, "DELETE", f"{MESSAGES}/{message['id']}")
    assert {**message, "content": "This message was deleted", "content_type": "text"} | {
        "content_attributes": {"deleted": True}
    } == deleted


def flooded(limit: int = 3) -> MockChatwootServer:
    server = MockChatwootServer(message_rate_limit=limit).start()
    for _ in range(limit):
        server.add_message(1, 17, "recent", "outgoing")
    return server


def test_rule_4_flood_guard_refuses_a_create_past_the_limit_and_stores_nothing() -> None:
    """SERVER.md 4, flood guard: 422 ``Validation failed: Too many messages`` once the minute holds the limit."""
    server = flooded()
    try:
        assert call_json(server, "POST", MESSAGES, body={"content": "x"}) == (
            422,
            {"error": "Validation failed: Too many messages"},
        )
        assert len(server.messages(1, 17)) == 3
        assert call_json(server, "POST", "/api/v1/accounts/1/conversations/18/messages", body={})[0] == 200
    finally:
        server.stop()


def test_rule_4_flood_guard_text_joins_other_validation_texts() -> None:
    """SERVER.md 4: the guard is a base error before the validations, so its text comes first."""
    server = flooded()
    try:
        status, answer = call_json(server, "POST", MESSAGES, body={"content": "x" * 150_001})
        assert (status, answer["error"]) == (
            422,
            "Validation failed: Too many messages, Content is too long (maximum is 150000 characters)",
        )
    finally:
        server.stop()


def test_rule_4_flood_guard_default_is_200_per_minute(server: MockChatwootServer) -> None:
    """SERVER.md 4: CONVERSATION_MESSAGE_PER_MINUTE_LIMIT defaults to 200."""
    for _ in range(199):
        server.add_message(1, 17, "recent", "outgoing")
    assert call_json(server, "POST", MESSAGES, body={"content": "200th"})[0] == 200
    assert call_json(server, "POST", MESSAGES, body={"content": "201st"})[0] == 422


def test_rule_4_flood_guard_counts_only_the_last_minute(server: MockChatwootServer) -> None:
    """SERVER.md 4: messages with created_at older than 60 seconds do not count."""
    for _ in range(200):
        server.add_message(1, 17, "old", "outgoing", created_at=int(time.time()) - 120)
    assert call_json(server, "POST", MESSAGES, body={"content": "x"})[0] == 200


def test_rule_4_flood_guard_off_with_none() -> None:
    """CONTRACT 8: message_rate_limit=None turns the guard off."""
    with MockChatwootServer(message_rate_limit=None) as server:
        for _ in range(201):
            server.add_message(1, 17, "recent", "outgoing")
        assert call_json(server, "POST", MESSAGES, body={"content": "x"})[0] == 200


@pytest.mark.parametrize(
    ("method", "suffix", "body", "answer"),
    [
        ("DELETE", "", None, {"message": "Too many messages", "attributes": ["base"]}),
        ("PATCH", "", {"status": "read"}, {"message": "Too many messages", "attributes": ["base"]}),
        ("POST", "/retry", None, {"error": "Validation failed: Too many messages"}),
    ],
)
def test_rule_4_flood_guard_applies_to_delete_update_and_retry(
    method: str, suffix: str, body: Any, answer: Dict[str, Any]
) -> None:
    """SERVER.md 4: delete and status update answer the {message, attributes} form, retry the rescued form."""
    server = flooded()
    try:
        message = server.messages(1, 17)[0]
        assert call_json(server, method, f"{MESSAGES}/{message['id']}{suffix}", body=body) == (422, answer)
        assert server.messages(1, 17)[0] == message
    finally:
        server.stop()


def test_rule_5_an_update_that_changes_nothing_is_not_flood_guarded() -> None:
    """SERVER.md 5: only a valid status reaches the save, and so the guard."""
    server = flooded()
    try:
        message = server.messages(1, 17)[0]
        assert call_json(server, "PATCH", f"{MESSAGES}/{message['id']}", body={"status": "nope"})[0] == 200
    finally:
        server.stop()
