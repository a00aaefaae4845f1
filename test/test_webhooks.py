"""Tests of chatwoot_client.webhooks: signature checks, event parsing, and a signed delivery from the mock server."""

from __future__ import annotations

import dataclasses
import gc
import json
from typing import Any, Dict, Iterator, Tuple, Union

import pytest
from _constants import WEBHOOK_BODY as BODY
from _constants import WEBHOOK_SECRET as SECRET
from _constants import WEBHOOK_TIMESTAMP as NOW
from _loopback import WebhookReceiver

import chatwoot_client
from chatwoot_client.testing import MockChatwootServer, sign_webhook
from chatwoot_client.webhooks import WebhookEvent, parse_event, verify_signature

DELIVERY_WAIT = 5.0  # seconds; the mock delivers before it answers, so this only bounds a broken run

# The message_created payload an agent bot receives (SERVER.md, "Agent bot webhook").
AGENT_BOT_PAYLOAD: Dict[str, Any] = {
    "event": "message_created",
    "id": 1042,
    "content": "Where is my order?",
    "message_type": "incoming",
    "content_type": "text",
    "content_attributes": {},
    "private": False,
    "source_id": None,
    "created_at": "2026-11-27T10:15:00.000Z",
    "sender": {"id": 7, "name": "Grace Hopper", "type": "contact"},
    "account": {"id": 1, "name": "Acme Support"},
    "inbox": {"id": 3, "name": "API"},
    "conversation": {"id": 17, "inbox_id": 3, "status": "open"},
}


def signed(body: Union[bytes, str] = BODY, secret: str = SECRET, timestamp: Any = NOW) -> Tuple[str, str]:
    """The (signature, timestamp) headers the mock server's helper signs ``body`` with."""
    headers = sign_webhook(secret, body, timestamp)
    return headers["X-Chatwoot-Signature"], headers["X-Chatwoot-Timestamp"]


# -- verify_signature -------------------------------------------------------------------------------------------


def test_valid_signature_is_accepted() -> None:
    signature, timestamp = signed()
    assert verify_signature(SECRET, BODY, signature, timestamp, now=NOW) is True


@pytest.mark.parametrize(
    ("body", "secret", "timestamp"),
    [
        (BODY.decode(), SECRET, str(NOW)),
        (BODY, SECRET.encode(), str(NOW)),
        (BODY, SECRET, NOW),
        (bytearray(BODY), SECRET, str(NOW)),
    ],
    ids=["str-body", "bytes-secret", "int-timestamp", "bytearray-body"],
)
def test_signature_accepts_each_input_form(body: Any, secret: Any, timestamp: Any) -> None:
    signature, _ = signed()
    assert verify_signature(secret, body, signature, timestamp, now=NOW) is True


def test_signature_with_uppercase_hex_is_accepted() -> None:
    signature, timestamp = signed()
    assert verify_signature(SECRET, BODY, "sha256=" + signature[7:].upper(), timestamp, now=NOW) is True


def test_tampered_body_is_rejected() -> None:
    signature, timestamp = signed()
    assert verify_signature(SECRET, BODY.replace(b"Hi", b"Ho"), signature, timestamp, now=NOW) is False


def test_wrong_secret_is_rejected() -> None:
    signature, timestamp = signed(secret="another-secret")
    assert verify_signature(SECRET, BODY, signature, timestamp, now=NOW) is False


def test_timestamp_that_was_not_signed_is_rejected() -> None:
    signature, _ = signed()
    assert verify_signature(SECRET, BODY, signature, str(NOW + 1), now=NOW) is False


@pytest.mark.parametrize(("age", "accepted"), [(300, True), (-300, True), (301, False), (-301, False)])
def test_timestamp_freshness_uses_the_tolerance(age: int, accepted: bool) -> None:
    signature, timestamp = signed()
    assert verify_signature(SECRET, BODY, signature, timestamp, now=NOW + age) is accepted


def test_a_smaller_tolerance_rejects_an_older_timestamp() -> None:
    signature, timestamp = signed()
    assert verify_signature(SECRET, BODY, signature, timestamp, tolerance=10, now=NOW + 11) is False


def test_empty_secret_is_rejected_even_with_a_matching_signature() -> None:
    signature, timestamp = signed(secret="")
    assert verify_signature("", BODY, signature, timestamp, now=NOW) is False


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        "sha256=",
        "sha256=" + "0" * 63,
        "sha256=" + "0" * 65,
        "sha256=" + "z" * 64,
        "sha1=" + "0" * 64,
        "0" * 64,
        "sha256=" + "\u0660" * 64,
    ],
    ids=["missing", "empty", "no-hex", "short", "long", "not-hex", "other-algorithm", "no-prefix", "non-ascii"],
)
def test_malformed_signature_header_is_rejected(signature: Any) -> None:
    _, timestamp = signed()
    assert verify_signature(SECRET, BODY, signature, timestamp, now=NOW) is False


@pytest.mark.parametrize(
    "timestamp",
    [None, "", "soon", "-5", "1.5", "\u0661\u0662", True],
    ids=["missing", "empty", "word", "negative", "fraction", "non-ascii-digits", "bool"],
)
def test_malformed_timestamp_header_is_rejected(timestamp: Any) -> None:
    signature, _ = signed(timestamp=timestamp)
    assert verify_signature(SECRET, BODY, signature, timestamp, now=NOW) is False


def test_parsed_body_instead_of_raw_bytes_raises_type_error() -> None:
    signature, timestamp = signed()
    with pytest.raises(TypeError, match="raw body"):
        verify_signature(SECRET, json.loads(BODY), signature, timestamp, now=NOW)  # type: ignore[arg-type]


# -- parse_event ------------------------------------------------------------------------------------------------


def test_agent_bot_payload_is_parsed() -> None:
    event = parse_event(json.dumps(AGENT_BOT_PAYLOAD).encode())
    assert event == WebhookEvent(
        event="message_created",
        id=1042,
        content="Where is my order?",
        message_type="incoming",
        private=False,
        account_id=1,
        conversation_id=17,
        sender={"id": 7, "name": "Grace Hopper", "type": "contact"},
        raw=AGENT_BOT_PAYLOAD,
        delivery_id=None,
    )


@pytest.mark.parametrize(
    "body",
    [json.dumps(AGENT_BOT_PAYLOAD).encode(), json.dumps(AGENT_BOT_PAYLOAD), AGENT_BOT_PAYLOAD],
    ids=["bytes", "str", "dict"],
)
def test_event_reads_bytes_str_and_dict_alike(body: Any) -> None:
    assert parse_event(body).raw == AGENT_BOT_PAYLOAD


@pytest.mark.parametrize("name", ["X-Chatwoot-Delivery", "x-chatwoot-delivery", "X-CHATWOOT-DELIVERY"])
def test_delivery_id_header_is_found_in_any_case(name: str) -> None:
    assert parse_event(AGENT_BOT_PAYLOAD, {name: "delivery-7"}).delivery_id == "delivery-7"


def test_delivery_id_is_none_when_the_header_is_absent() -> None:
    assert parse_event(AGENT_BOT_PAYLOAD, {"Content-Type": "application/json"}).delivery_id is None


def test_conversation_id_is_the_display_id_not_a_top_level_conversation_id() -> None:
    payload = dict(AGENT_BOT_PAYLOAD, conversation_id=90210)
    assert parse_event(payload).conversation_id == 17


def test_conversation_id_falls_back_to_a_top_level_conversation_id() -> None:
    payload = {key: value for key, value in AGENT_BOT_PAYLOAD.items() if key != "conversation"}
    assert parse_event(dict(payload, conversation_id=17)).conversation_id == 17


def test_conversation_event_is_its_own_conversation() -> None:
    event = parse_event({"event": "conversation_created", "id": 21, "account": {"id": 1}})
    assert (event.conversation_id, event.account_id) == (21, 1)


@pytest.mark.parametrize(("number", "name"), [(0, "incoming"), (1, "outgoing"), (2, "activity"), (3, "template")])
def test_integer_message_type_is_given_its_name(number: int, name: str) -> None:
    assert parse_event(dict(AGENT_BOT_PAYLOAD, message_type=number)).message_type == name


def test_missing_fields_read_as_none_and_an_empty_sender() -> None:
    event = parse_event('{"event": "webwidget_triggered"}')
    assert (event.id, event.content, event.message_type, event.private) == (None, None, None, False)
    assert (event.account_id, event.conversation_id, event.sender) == (None, None, {})


def test_unknown_fields_stay_in_raw() -> None:
    assert parse_event(dict(AGENT_BOT_PAYLOAD, new_field=[1, 2])).raw["new_field"] == [1, 2]


def test_event_is_immutable() -> None:
    event = parse_event(AGENT_BOT_PAYLOAD)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.content = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe", "not UTF-8"),
        (b"[1, 2]", "must be a JSON object, got a JSON list"),
        ("42", "must be a JSON object, got a JSON int"),
        (b'{"id": 1}', "no 'event'"),
        ({"event": 3}, "no 'event'"),
        (None, "must be bytes, str or dict"),
        (b'{"event": "message_created", "id": ' + b"[" * 100000 + b"]" * 100000 + b"}", "nested too deeply"),
        (b'{"event": "message_created", "id": NaN}', "not valid JSON: NaN is not a JSON value"),
        ('{"event": "message_created", "id": -Infinity}', "not valid JSON: -Infinity is not a JSON value"),
    ],
    ids=["not-json", "not-utf8", "list", "number", "no-event", "event-not-text", "none", "too-deep", "nan", "inf"],
)
def test_malformed_payload_raises_value_error_naming_the_problem(body: Any, problem: str) -> None:
    gc.collect()  # CPython 3.10 may run a pending finalizer inside a deep parse, where it hits the recursion limit
    with pytest.raises(ValueError, match=problem):
        parse_event(body)


# -- end to end -------------------------------------------------------------------------------------------------


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as endpoint:
        yield endpoint


def test_incoming_message_is_delivered_signed_and_parses(
    server: MockChatwootServer, api: chatwoot_client.MessagesApi, receiver: WebhookReceiver
) -> None:
    server.agent_bot_url = receiver.url
    body = chatwoot_client.ConversationMessageCreate(content="Where is my parcel?", message_type="incoming")
    created = api.create_a_new_message_in_a_conversation(body, 1, 17)
    assert receiver.wait(1, DELIVERY_WAIT)
    raw, headers = receiver.deliveries[0]
    assert verify_signature(server.bot_secret, raw, headers["X-Chatwoot-Signature"], headers["X-Chatwoot-Timestamp"])
    event = parse_event(raw, headers)
    assert (event.event, event.id, event.content, event.message_type) == (
        "message_created",
        created.id,
        "Where is my parcel?",
        "incoming",
    )
    assert created.sender is not None
    assert (event.account_id, event.conversation_id, event.sender["id"]) == (1, 17, created.sender.id)
    assert "type" not in event.sender and event.sender["account"] == {"id": 1, "name": "Acme Support"}
    assert event.delivery_id == headers["X-Chatwoot-Delivery"]
