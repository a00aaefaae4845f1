"""SERVER.md section 10: agent bot webhooks, received by a loopback receiver, driven over raw HTTP."""

from __future__ import annotations

import http.client
import io
import itertools
import json
import queue
import socket
import threading
import time
from contextlib import redirect_stdout
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Iterator, List, Tuple

import pytest
from _mock_http import MESSAGES, call, call_json

from chatwoot_client._signature import compute_signature
from chatwoot_client.testing import MockChatwootServer, _webhook, sign_webhook
from chatwoot_client.testing.__main__ import main
from chatwoot_client.webhooks import parse_event

WEBHOOK_KEYS = [
    "account",
    "additional_attributes",
    "content_attributes",
    "content_type",
    "content",
    "conversation",
    "created_at",
    "id",
    "inbox",
    "message_type",
    "private",
    "sender",
    "source_id",
    "event",
]
Delivery = Tuple[Dict[str, str], bytes, float]  # headers, raw body, monotonic arrival time


class Receiver:
    """A loopback bot endpoint: answers each POST with the next scripted status (200 when none is left)."""

    def __init__(self) -> None:
        self.received: queue.Queue[Delivery] = queue.Queue()
        self.statuses: List[int] = []
        self.release = threading.Event()
        self.release.set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {name.lower(): value for name, value in self.headers.items()}
                receiver.received.put((headers, body, time.monotonic()))
                receiver.release.wait(5)
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/bot"

    def next(self) -> Tuple[Dict[str, str], Dict[str, Any], bytes]:
        headers, body, _ = self.received.get(timeout=5)
        return headers, json.loads(body), body


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    bot = Receiver()
    thread = threading.Thread(target=bot.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield bot
    finally:
        bot.release.set()
        bot.httpd.shutdown()
        bot.httpd.server_close()
        thread.join(2)


@pytest.fixture
def hooked(server: MockChatwootServer, receiver: Receiver) -> MockChatwootServer:
    server.agent_bot_url = receiver.url
    return server


def create(server: MockChatwootServer, body: Dict[str, Any], token: str = "user") -> Dict[str, Any]:
    status, message = call_json(server, "POST", MESSAGES, body=body, token=token)
    assert status == 200
    return dict(message)


def test_rule_10_an_incoming_message_is_posted_signed_in_the_webhook_shape(
    hooked: MockChatwootServer, receiver: Receiver
) -> None:
    """SERVER.md 10: payload keys in order, string message_type, ISO created_at; headers and signature."""
    message = create(hooked, {"content": "ping", "message_type": "incoming"})
    headers, payload, raw = receiver.next()
    assert list(payload) == WEBHOOK_KEYS
    assert (payload["event"], payload["id"], payload["message_type"]) == ("message_created", message["id"], "incoming")
    assert payload["created_at"].endswith(".000Z") and payload["account"] == {"id": 1, "name": "Acme Support"}
    assert payload["inbox"] == {"id": 1, "name": "API"} and payload["conversation"]["id"] == 17
    expected = compute_signature(hooked.bot_secret, raw, headers["x-chatwoot-timestamp"])
    assert headers["x-chatwoot-signature"] == expected
    assert (headers["content-type"], headers["accept"]) == ("application/json", "application/json")
    assert len(headers["x-chatwoot-delivery"]) == 36


def test_rule_10_a_contact_sender_has_the_webhook_shape_without_type(
    hooked: MockChatwootServer, receiver: Receiver
) -> None:
    """SERVER.md 10: contact webhook_data: account and avatar, no type."""
    create(hooked, {"content": "ping", "message_type": "incoming"})
    sender = receiver.next()[1]["sender"]
    keys = ["account", "additional_attributes", "avatar", "custom_attributes", "email", "id", "identifier"]
    assert list(sender) == [*keys, "name", "phone_number", "thumbnail", "blocked"]


@pytest.mark.parametrize(
    ("token", "sender"),
    [
        ("user", {"id": 1, "name": "Ada Agent", "email": "ada@example.com", "type": "user"}),
        ("bot", {"id": 1, "name": "Echo Bot", "type": "agent_bot"}),
    ],
)
def test_rule_10_outgoing_messages_the_bots_own_included_are_posted(
    hooked: MockChatwootServer, receiver: Receiver, token: str, sender: Dict[str, Any]
) -> None:
    """SERVER.md 10: outgoing messages by users and by the bot itself come back to the bot."""
    create(hooked, {"content": "pong"}, token=token)
    payload = receiver.next()[1]
    assert (payload["event"], payload["message_type"], payload["sender"]) == ("message_created", "outgoing", sender)


@pytest.mark.parametrize(
    ("body", "kind"), [({"message_type": "template"}, "template"), ({"private": True}, "outgoing")]
)
def test_rule_10_template_messages_and_private_notes_are_posted(
    hooked: MockChatwootServer, receiver: Receiver, body: Dict[str, Any], kind: str
) -> None:
    """SERVER.md 10: template messages and private notes too."""
    create(hooked, {"content": "x", **body})
    assert receiver.next()[1]["message_type"] == kind


def test_rule_10_activity_messages_and_add_message_are_never_posted(
    hooked: MockChatwootServer, receiver: Receiver
) -> None:
    """SERVER.md 10: activity never; add_message stores without HTTP and without webhooks."""
    create(hooked, {"content": "x", "message_type": "activity"})
    hooked.add_message(1, 17, "stored directly")
    create(hooked, {"content": "marker"})
    assert receiver.next()[1]["content"] == "marker" and receiver.received.empty()


def test_rule_10_the_webhook_shows_additional_attributes(hooked: MockChatwootServer, receiver: Receiver) -> None:
    """SERVER.md 4 and 10: campaign_id and template_params are seen only in webhooks."""
    create(hooked, {"content": "x", "campaign_id": 9, "template_params": {"name": "order"}})
    payload = receiver.next()[1]
    assert payload["additional_attributes"] == {"campaign_id": 9, "template_params": {"name": "order"}}


def test_rule_10_the_body_is_rails_to_json(hooked: MockChatwootServer, receiver: Receiver) -> None:
    """SERVER.md 10: compact UTF-8 with <, > and & escaped."""
    create(hooked, {"content": "<b>Tom & Jerry</b> café"})
    raw = receiver.next()[2]
    assert b'"content":"\\u003cb\\u003eTom \\u0026 Jerry\\u003c/b\\u003e caf\xc3\xa9"' in raw


def test_rule_10_message_updated_after_delete_but_not_after_a_repeated_delete(
    hooked: MockChatwootServer, receiver: Receiver
) -> None:
    """SERVER.md 10: message_updated after a delete that changed the message."""
    message = create(hooked, {"content": "x"})
    receiver.next()
    call(hooked, "DELETE", f"{MESSAGES}/{message['id']}")
    payload = receiver.next()[1]
    assert (payload["event"], payload["content"]) == ("message_updated", "This message was deleted")
    call(hooked, "DELETE", f"{MESSAGES}/{message['id']}")
    create(hooked, {"content": "marker"})
    assert receiver.next()[1]["content"] == "marker"


@pytest.mark.parametrize(("suffix", "body"), [("", {"status": "read"}), ("/retry", None)])
def test_rule_10_message_updated_after_a_status_update_or_retry(
    hooked: MockChatwootServer, receiver: Receiver, suffix: str, body: Any
) -> None:
    """SERVER.md 10: a status update and a retry that change the message."""
    message = hooked.add_message(1, 17, "x", "outgoing", status="failed")
    method = "POST" if suffix else "PATCH"
    call(hooked, method, f"{MESSAGES}/{message['id']}{suffix}", body=body)
    assert receiver.next()[1]["event"] == "message_updated"


def test_rule_10_a_slow_receiver_never_delays_the_api_answer(hooked: MockChatwootServer, receiver: Receiver) -> None:
    """SERVER.md 10: posted after the answer, never inside the request."""
    receiver.release.clear()  # the bot holds every webhook until released
    started = time.monotonic()
    create(hooked, {"content": "x", "message_type": "incoming"})
    assert time.monotonic() - started < 1.0 and hooked.webhook_deliveries == []
    receiver.next()
    receiver.release.set()
    assert hooked.wait_for_webhooks(1)[0]["status"] == 200


def test_rule_10_a_dead_receiver_is_recorded_and_the_answer_is_200(server: MockChatwootServer) -> None:
    """SERVER.md 10: a connection error is not retried and never breaks the answer."""
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        server.agent_bot_url = f"http://127.0.0.1:{unused.getsockname()[1]}/"
        assert call(server, "POST", MESSAGES, body={"content": "x", "message_type": "incoming"})[0] == 200
        (delivery,) = server.wait_for_webhooks(1)
    assert delivery["status"] is None and delivery["error"] and delivery["attempt"] == 1


@pytest.mark.parametrize("status", [429, 500])
def test_rule_10_a_429_or_500_is_redelivered_with_the_same_id_and_a_new_signature(
    receiver: Receiver, monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    """SERVER.md 10: same body and X-Chatwoot-Delivery, new timestamp and signature, retry delay apart."""
    clock = itertools.count(1_800_000_000)
    monkeypatch.setattr(_webhook, "_now", lambda: next(clock))
    receiver.statuses = [status, status]
    with MockChatwootServer(webhook_retry_delay=0.2) as server:
        server.agent_bot_url = receiver.url
        create(server, {"content": "x"})
        attempts = [receiver.received.get(timeout=5) for _ in range(3)]
        records = server.wait_for_webhooks(3)
    bodies = {body for _, body, _ in attempts}
    assert len(bodies) == 1 and len({headers["x-chatwoot-delivery"] for headers, _, _ in attempts}) == 1
    assert len({headers["x-chatwoot-timestamp"] for headers, _, _ in attempts}) == 3
    assert len({headers["x-chatwoot-signature"] for headers, _, _ in attempts}) == 3
    gaps = [later - earlier for (_, _, earlier), (_, _, later) in zip(attempts, attempts[1:])]
    assert all(gap >= 0.2 for gap in gaps)
    assert [(record["attempt"], record["status"]) for record in records] == [(1, status), (2, status), (3, 200)]


def test_rule_10_at_most_three_attempts_in_all(receiver: Receiver) -> None:
    """SERVER.md 10: a third failure is the last."""
    receiver.statuses = [500, 500, 500, 500]
    with MockChatwootServer(webhook_retry_delay=0) as server:
        server.agent_bot_url = receiver.url
        create(server, {"content": "x"})
        server.wait_for_webhooks(3)
        create(server, {"content": "marker"})  # answered 500 too: the fourth scripted status
        records = server.wait_for_webhooks(4)
    assert [record["attempt"] for record in records if record["message_id"] == 1] == [1, 2, 3]


@pytest.mark.parametrize("status", [404, 502, 503])
def test_rule_10_other_statuses_are_not_redelivered(receiver: Receiver, status: int) -> None:
    """SERVER.md 10: only 429 and 500 are retried."""
    receiver.statuses = [status]
    with MockChatwootServer(webhook_retry_delay=0) as server:
        server.agent_bot_url = receiver.url
        create(server, {"content": "x"})
        assert server.wait_for_webhooks(1)[0]["status"] == status
        create(server, {"content": "marker"})
        records = server.wait_for_webhooks(2)
    assert sorted(record["message_id"] for record in records) == [1, 2]


def test_wait_for_webhooks_raises_at_its_deadline(server: MockChatwootServer) -> None:
    with pytest.raises(TimeoutError):
        server.wait_for_webhooks(1, timeout=0.05)


def test_main_posts_webhooks_to_the_agent_bot_url(receiver: Receiver) -> None:
    """``python -m chatwoot_client.testing --agent-bot-url URL`` sets the server's agent bot URL."""
    stop = threading.Event()
    output = io.StringIO()

    def serve() -> None:
        with redirect_stdout(output):
            main(["--agent-bot-url", receiver.url], stop=stop)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 5
        while output.getvalue().count("\n") < 4 and time.monotonic() < deadline:
            time.sleep(0.01)
        values = dict(line.split(": ", 1) for line in output.getvalue().splitlines())
        host, port = values["url"].rsplit("/", 1)[1].split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=5)
        body = json.dumps({"content": "hi", "message_type": "incoming"})
        headers = {"api_access_token": values["user_token"], "Content-Type": "application/json"}
        connection.request("POST", MESSAGES, body=body, headers=headers)
        assert connection.getresponse().status == 200
        connection.close()
        assert receiver.next()[1]["content"] == "hi"
    finally:
        stop.set()
        thread.join(5)


def test_sign_webhook_headers_verify_with_the_shared_helper() -> None:
    headers = sign_webhook("secret", b'{"event": "message_created"}', timestamp=1700000000)
    assert headers["X-Chatwoot-Timestamp"] == "1700000000" and len(headers["X-Chatwoot-Delivery"]) == 36
    assert headers["X-Chatwoot-Signature"] == compute_signature("secret", '{"event": "message_created"}', 1700000000)
    assert sign_webhook("secret", b"x")["X-Chatwoot-Delivery"] != headers["X-Chatwoot-Delivery"]


def test_a_dropped_answer_after_the_save_still_posts_the_webhook(
    hooked: MockChatwootServer, receiver: Receiver
) -> None:
    """SERVER.md 4 and 10: the message was stored, so its webhook goes out although the answer never came."""
    hooked.drop_next(method="POST")
    with pytest.raises(http.client.RemoteDisconnected):
        call(hooked, "POST", MESSAGES, body={"content": "lost answer"})
    assert receiver.next()[1]["content"] == "lost answer"


def test_stop_ends_a_pending_redelivery(receiver: Receiver) -> None:
    receiver.statuses = [500]
    server = MockChatwootServer(webhook_retry_delay=30).start()
    server.agent_bot_url = receiver.url
    create(server, {"content": "x"})
    server.wait_for_webhooks(1)
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 5 and len(server.webhook_deliveries) == 1


def test_reset_forgets_deliveries_still_in_flight(server: MockChatwootServer, receiver: Receiver) -> None:
    server.agent_bot_url = receiver.url
    receiver.release.clear()
    create(server, {"content": "x"})
    receiver.next()  # the delivery is in flight, held by the receiver
    server.reset()
    server.agent_bot_url = receiver.url
    receiver.release.set()
    create(server, {"content": "after reset"})
    (record,) = server.wait_for_webhooks(1)
    assert record["message_id"] == 1 and receiver.next()[1]["content"] == "after reset"
    assert len(server.webhook_deliveries) == 1


def test_reset_ends_a_pending_redelivery(receiver: Receiver) -> None:
    receiver.statuses = [500]
    with MockChatwootServer(webhook_retry_delay=0.2) as server:
        server.agent_bot_url = receiver.url
        create(server, {"content": "x"})
        receiver.next()
        server.wait_for_webhooks(1)
        server.reset()
        with pytest.raises(queue.Empty):
            receiver.received.get(timeout=0.5)  # no second attempt after the retry delay


def test_the_sdk_parses_the_bots_own_reply_as_outgoing_from_the_bot(
    hooked: MockChatwootServer, receiver: Receiver
) -> None:
    """The SDK's WebhookEvent reads the webhook shape the mock posts (SERVER.md 10)."""
    message = create(hooked, {"content": "Hello from the bot"}, token="bot")
    headers, _, raw = receiver.next()
    event = parse_event(raw, headers)
    assert (event.event, event.id, event.message_type, event.conversation_id, event.account_id) == (
        "message_created",
        message["id"],
        "outgoing",
        17,
        1,
    )
    assert event.sender == {"id": 1, "name": "Echo Bot", "type": "agent_bot"}
    assert event.delivery_id == headers["x-chatwoot-delivery"]


def test_the_sdk_parses_a_deletes_message_updated_with_its_conversation(
    hooked: MockChatwootServer, receiver: Receiver
) -> None:
    stored = hooked.add_message(1, 17, "to delete", "outgoing")
    call(hooked, "DELETE", f"{MESSAGES}/{stored['id']}")
    headers, _, raw = receiver.next()
    event = parse_event(raw, headers)
    assert (event.event, event.id, event.conversation_id, event.content) == (
        "message_updated",
        stored["id"],
        17,
        "This message was deleted",
    )
