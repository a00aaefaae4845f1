"""The mock server as an object: its fresh state, add_message and add_conversation, records, reset and lifecycle."""

from __future__ import annotations

import json
import threading
import time
from typing import Any, Dict, Optional

import pytest
from _mock_http import (
    MESSAGES,
    WIDGET_MESSAGES,
    call,
    call_json,
    connect,
)

from chatwoot_client.testing import MockChatwootServer, RecordedRequest

# --- fresh state -----------------------------------------------------------------------------------------------


def test_fresh_server_has_two_empty_conversations_and_distinct_tokens(server: MockChatwootServer) -> None:
    assert server.url == f"http://127.0.0.1:{server.port}"
    assert server.messages(1, 17) == [] and server.messages(1, 18) == []
    assert len({server.user_token, server.bot_token, server.bot_secret}) == 3
    assert server.requests == [] and server.connections_opened == 0


def test_list_of_fresh_api_conversation_has_meta_with_assignee(server: MockChatwootServer) -> None:
    status, page = call_json(server, "GET", MESSAGES)
    assert status == 200 and page["payload"] == []
    meta = page["meta"]
    assert meta["labels"] == [] and meta["additional_attributes"] == {}
    assert meta["contact"]["type"] == "contact" and meta["assignee"]["type"] == "user"
    assert meta["agent_last_seen_at"] == "2026-11-27T10:15:00.000Z"


def test_widget_conversation_is_unassigned(server: MockChatwootServer) -> None:
    _, page = call_json(server, "GET", WIDGET_MESSAGES)
    assert "assignee" not in page["meta"] and page["meta"]["agent_last_seen_at"] is None


def test_tokens_differ_between_servers() -> None:
    assert MockChatwootServer().user_token != MockChatwootServer().user_token


# --- add_message -----------------------------------------------------------------------------------------------


def test_add_message_stores_extra_fields_and_serves_them(server: MockChatwootServer) -> None:
    added = server.add_message(1, 17, "hi", "outgoing", brand_new_field={"x": 1}, status="read")
    _, page = call_json(server, "GET", MESSAGES)
    assert page["payload"] == [added]
    assert added["brand_new_field"] == {"x": 1} and added["status"] == "read" and added["message_type"] == 1


@pytest.mark.parametrize(
    ("message_type", "number", "sender_type"),
    [
        ("incoming", 0, "contact"),
        ("outgoing", 1, "user"),
        ("activity", 2, None),
        ("template", 3, "user"),
        (7, 7, "user"),
    ],
)
def test_add_message_types_and_senders(
    server: MockChatwootServer, message_type: Any, number: int, sender_type: Optional[str]
) -> None:
    message = server.add_message(1, 17, "x", message_type)
    assert message["message_type"] == number
    assert (message["sender"]["type"] if "sender" in message else None) == sender_type


@pytest.mark.parametrize(
    ("arguments", "fields"), [((1, 17, "x", "bogus"), {}), ((1, 17, "x", True), {}), ((1, 17, "x"), {"id": 5})]
)
def test_add_message_refuses_bad_arguments(server: MockChatwootServer, arguments: Any, fields: Any) -> None:
    with pytest.raises(ValueError):
        server.add_message(*arguments, **fields)


def test_delete_of_a_message_with_hand_made_attachments(server: MockChatwootServer) -> None:
    added = server.add_message(1, 17, "x", attachments=["not an attachment object", {"id": 99}])
    status, deleted = call_json(server, "DELETE", f"{MESSAGES}/{added['id']}")
    assert status == 200 and "attachments" not in deleted


def test_add_message_to_unknown_conversation_raises(server: MockChatwootServer) -> None:
    with pytest.raises(ValueError, match="no conversation 99"):
        server.add_message(1, 99, "hi")


# --- connections, records, reset -------------------------------------------------------------------------------


def test_keep_alive_serves_two_requests_on_one_connection(server: MockChatwootServer) -> None:
    connection = connect(server)
    try:
        for _ in range(2):
            connection.request("GET", MESSAGES, headers={"api_access_token": server.user_token})
            response = connection.getresponse()
            assert response.status == 200 and response.getheader("Content-Length")
            response.read()
    finally:
        connection.close()
    assert server.connections_opened == 1


def test_stop_is_prompt_with_an_idle_keep_alive_connection(server: MockChatwootServer) -> None:
    connection = connect(server)
    try:
        connection.request("GET", MESSAGES, headers={"api_access_token": server.user_token})
        connection.getresponse().read()
        started = time.monotonic()
        server.stop()
        assert time.monotonic() - started < 0.5
    finally:
        connection.close()


def test_concurrent_creates_get_distinct_ids(server: MockChatwootServer) -> None:
    def send(worker: int) -> None:
        for index in range(5):
            assert call(server, "POST", MESSAGES, body={"content": f"{worker}-{index}"})[0] == 200

    threads = [threading.Thread(target=send, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    ids = [message["id"] for message in server.messages(1, 17)]
    assert ids == list(range(1, 41)) and server.connections_opened == 40


def test_requests_are_recorded(server: MockChatwootServer) -> None:
    server.fail_next(503)
    connection = connect(server)
    try:
        body = json.dumps({"content": "x"}).encode()
        headers = {"api_access_token": "tok", "Content-Type": "application/json", "X-Custom": "1"}
        connection.request("POST", MESSAGES + "?a=1&a=2&b=", body=body, headers=headers)
        connection.getresponse().read()
        local_port = connection.sock.getsockname()[1]
    finally:
        connection.close()
    (recorded,) = server.requests
    assert isinstance(recorded, RecordedRequest)
    assert (recorded.method, recorded.path, recorded.query) == ("POST", MESSAGES, {"a": "2", "b": ""})
    assert recorded.headers["x-custom"] == "1" and recorded.headers["api_access_token"] == "tok"
    assert recorded.body == body and recorded.json() == {"content": "x"} and recorded.client_port == local_port


def test_reset_restores_the_fresh_state_with_the_same_tokens(server: MockChatwootServer) -> None:
    token = server.user_token
    call(server, "POST", MESSAGES, body={"content": "x"})
    server.add_conversation()
    server.fail_next(503)
    server.agent_bot_url = "http://127.0.0.1:9/"
    server.reset()
    assert server.user_token == token and server.agent_bot_url is None
    assert server.requests == [] and server.connections_opened == 0
    assert call(server, "GET", MESSAGES)[0] == 200
    assert server.messages(1, 17) == [] and server.add_conversation() == 19


def test_lifecycle_details() -> None:
    with pytest.raises(ValueError):
        MockChatwootServer(port=70000)
    server = MockChatwootServer()
    assert repr(server) == "<MockChatwootServer stopped>" and server.port == 0
    server.stop()  # stopping a stopped server does nothing
    with server:
        assert server.start() is server and repr(server) == f"<MockChatwootServer {server.url}>"
    with pytest.raises(ValueError):
        server.add_conversation(account_id=0)


def test_restart_keeps_the_url(server: MockChatwootServer) -> None:
    url = server.url
    server.stop()
    with pytest.raises(RuntimeError):
        _ = server.url
    assert server.start().url == url and call(server, "GET", MESSAGES)[0] == 200


@pytest.mark.parametrize(
    "arguments",
    [
        {"message_rate_limit": 0},
        {"message_rate_limit": True},
        {"message_rate_limit": "200"},
        {"webhook_retry_delay": -1},
        {"webhook_retry_delay": float("inf")},
        {"webhook_retry_delay": True},
        {"webhook_retry_delay": "3"},
    ],
)
def test_constructor_refuses_bad_limits_and_delays(arguments: Dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=next(iter(arguments))):
        MockChatwootServer(**arguments)
