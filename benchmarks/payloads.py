"""Deterministic, realistic Chatwoot payloads for the benchmarks, serialized once as the server sends them.

One conversation of ``CONVERSATION_SIZE`` messages is generated from a fixed seed: customers (contacts) and agents
(users) taking turns, a few activity messages without a sender, some attachments (a few messages carry only
files and have null content), replies with ``content_attributes``, non-ASCII names and text. The list answers are
slices of it, as a Chatwoot server would answer them (SERVER.md):

- ``LIST_20``: no query, the newest 20 (about 11 KB);
- ``LIST_100``: ``after=ID``, the 100 oldest after ID;
- ``LIST_1000``: ``before`` and ``after``, 1000 messages (about 600 KB);
- ``CREATED``: the answer to a POST; ``DELETED``: the answer to a DELETE.

JSON is compact UTF-8 (not ASCII-escaped), as Rails writes it. ``python benchmarks/payloads.py`` prints the sizes.
"""

from __future__ import annotations

import json
import random
from typing import Any, Dict, List, Optional

SEED = 20261127
ACCOUNT_ID = 1
CONVERSATION_ID = 17
INBOX_ID = 3
FIRST_MESSAGE_ID = 41000
CONVERSATION_SIZE = 1251  # the newest 20 come to about 11 KB with their meta
FIRST_CREATED_AT = 1764201600  # unix seconds: 2025-11-27T00:00:00Z
LIST_100_AFTER = FIRST_MESSAGE_ID + 49  # after=ID answers the 100 messages that follow it
LIST_1000_AFTER = FIRST_MESSAGE_ID + 100  # after <= id < before: 1000 messages
LIST_1000_BEFORE = LIST_1000_AFTER + 1000
CREATED_ID = FIRST_MESSAGE_ID + CONVERSATION_SIZE

_AGENTS = [
    (5, "Ada Lovelace", "online"),
    (8, "José Ramírez", "busy"),
    (13, "Priya Raghunathan", "online"),
]
_CONTACT = {
    "id": 2318,
    "name": "Mathilde Lefèvre",
    "type": "contact",
    "identifier": None,
    "phone_number": "+33612345678",
    "thumbnail": "",
    "email": "mathilde@example.fr",
    "additional_attributes": {"city": "Lyon", "country": "France"},
    "custom_attributes": {"plan": "business"},
}
_OPENINGS = [
    "Hi,",
    "Hello again,",
    "Thanks for the quick answer.",
    "Sorry to bother you,",
    "Good morning!",
    "Quick question:",
    "Merci beaucoup !",
    "Following up on this:",
]
_CUSTOMER_LINES = [
    "the invoice for October still shows the old billing address",
    "I cannot upload the CSV export, the page keeps spinning",
    "two of my colleagues did not receive the invitation email",
    "the mobile app logs me out every time I switch networks",
    "we would like to move from the monthly to the yearly plan",
    "the webhook stopped firing after we rotated the secret",
    "is there a way to export every conversation of last quarter",
    "the widget shows up twice on our checkout page",
    "our SSO login fails with an error about the audience claim",
    "could you confirm that the refund was processed",
]
_AGENT_LINES = [
    "I have checked your account and the change is now visible on your side",
    "could you send me a screenshot of the error, including the browser console",
    "I have escalated this to our billing team and will update you as soon as I hear back",
    "the export runs in the background and you should receive an email with the file",
    "please clear the cache of the app and sign in again, that refreshes the session token",
    "this is a known issue and a fix is planned for the next release",
    "I have resent both invitations, they can take a few minutes to arrive",
    "you can switch plans under Settings, Billing; the difference is prorated",
]
_CLOSINGS = [
    "Thanks!",
    "Best regards.",
    "Let me know if anything else comes up.",
    "Have a nice day 🙂",
    "",
    "Cheers.",
]
_ACTIVITY = [
    "Conversation was assigned to {agent}",
    "Conversation was marked resolved by {agent}",
    "Conversation was reopened",
    "{agent} added billing",
    "Conversation was unassigned by {agent}",
]
_FILES = [
    ("image", "png", 64, 64),
    ("image", "jpg", 1280, 960),
    ("file", "pdf", None, None),
    ("audio", "ogg", None, None),
]


def _agent_sender(index: int) -> Dict[str, Any]:
    agent_id, name, availability = _AGENTS[index % len(_AGENTS)]
    return {
        "id": agent_id,
        "name": name,
        "available_name": name.split()[0],
        "avatar_url": f"https://chat.example.com/avatars/agent-{agent_id}.png",
        "type": "user",
        "availability_status": availability,
        "thumbnail": f"https://chat.example.com/avatars/agent-{agent_id}.png",
    }


def _text(rng: random.Random, lines: List[str]) -> str:
    sentences = [rng.choice(_OPENINGS), rng.choice(lines) + "."]
    if rng.random() < 0.3:
        line = rng.choice(lines)
        sentences.append(line[0].upper() + line[1:] + ".")
    sentences.append(rng.choice(_CLOSINGS))
    return " ".join(part for part in sentences if part)


def _attachments(rng: random.Random, message_id: int) -> List[Dict[str, Any]]:
    result = []
    for number in range(rng.choice((1, 1, 1, 2))):
        file_type, extension, width, height = rng.choice(_FILES)
        url = f"https://chat.example.com/rails/active_storage/blobs/redirect/{message_id}-{number}/file.{extension}"
        result.append(
            {
                "id": message_id * 4 + number,
                "message_id": message_id,
                "file_type": file_type,
                "account_id": ACCOUNT_ID,
                "extension": extension,
                "data_url": url,
                "thumb_url": url if file_type == "image" else "",
                "file_size": rng.randint(2_000, 2_500_000),
                "width": width,
                "height": height,
            }
        )
    return result


def message(rng: random.Random, message_id: int, created_at: int, kind: Optional[str] = None) -> Dict[str, Any]:
    """One message as the server sends it; ``kind`` is 'incoming', 'outgoing' or 'activity' (random when None)."""
    if kind is None:
        roll = rng.random()
        kind = "activity" if roll < 0.06 else "incoming" if roll < 0.55 else "outgoing"
    agent = rng.randrange(len(_AGENTS))
    result: Dict[str, Any] = {
        "id": message_id,
        "content": None,
        "inbox_id": INBOX_ID,
        "echo_id": None,
        "conversation_id": CONVERSATION_ID,
        "message_type": {"incoming": 0, "outgoing": 1, "activity": 2}[kind],
        "content_type": "text",
        "status": "sent",
        "content_attributes": {},
        "created_at": created_at,
        "private": False,
        "source_id": None,
    }
    if kind == "activity":
        result["content"] = rng.choice(_ACTIVITY).format(agent=_AGENTS[agent][1])
        return result  # system messages have no sender
    if kind == "incoming":
        result["content"] = _text(rng, _CUSTOMER_LINES)
        if rng.random() < 0.3:
            result["source_id"] = f"api-{rng.getrandbits(48):012x}"
        result["sender"] = _CONTACT
    else:
        result["content"] = _text(rng, _AGENT_LINES)
        result["status"] = rng.choice(("sent", "delivered", "read", "read"))
        result["private"] = rng.random() < 0.1
        if rng.random() < 0.3:
            result["echo_id"] = f"{rng.getrandbits(64):016x}-{rng.getrandbits(32):08x}"
        result["sender"] = _agent_sender(agent)
    if rng.random() < 0.15:
        result["content_attributes"] = {"in_reply_to": message_id - rng.randint(1, 5), "in_reply_to_external_id": None}
    if rng.random() < 0.12:
        result["attachments"] = _attachments(rng, message_id)
        if rng.random() < 0.4:
            result["content"] = None  # an attachment-only message
    return result


def conversation() -> List[Dict[str, Any]]:
    """Every message of the benchmark conversation, oldest first; the same on every call."""
    rng = random.Random(SEED)
    created_at = FIRST_CREATED_AT
    messages = []
    for offset in range(CONVERSATION_SIZE):
        created_at += rng.randint(5, 900)
        messages.append(message(rng, FIRST_MESSAGE_ID + offset, created_at))
    return messages


def meta() -> Dict[str, Any]:
    """The meta of a message list: labels, attributes, contact, assignee and ISO 8601 read times."""
    return {
        "labels": ["billing", "priority"],
        "additional_attributes": {"browser": {"browser_name": "Firefox", "platform_name": "macOS"}, "type": "api"},
        "contact": _CONTACT,
        "assignee": _agent_sender(0),
        "agent_last_seen_at": "2026-11-27T10:15:00.000Z",
        "assignee_last_seen_at": "2026-11-27T10:14:31.482Z",
    }


def encode(value: Any) -> bytes:
    """Compact UTF-8 JSON, as the server writes it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _page(messages: List[Dict[str, Any]]) -> bytes:
    return encode({"meta": meta(), "payload": messages})


def build() -> Dict[str, bytes]:
    """Every answer body the benchmark server sends, by name."""
    messages = conversation()
    after_100 = LIST_100_AFTER - FIRST_MESSAGE_ID + 1
    after_1000 = LIST_1000_AFTER - FIRST_MESSAGE_ID
    created = message(random.Random(SEED + 1), CREATED_ID, FIRST_CREATED_AT + 10**6, kind="outgoing")
    created.pop("attachments", None)
    created["content"] = "Hello from the benchmark: your refund was processed and should reach your account soon."
    deleted = dict(created, content="This message was deleted", content_attributes={"deleted": True})
    return {
        "list_20": _page(messages[-20:]),
        "list_100": _page(messages[after_100 : after_100 + 100]),
        "list_1000": _page(messages[after_1000 : after_1000 + 1000]),
        "created": encode(created),
        "deleted": encode(deleted),
    }


if __name__ == "__main__":
    for name, body in build().items():
        print(f"{name:10} {len(body):8,d} bytes")
