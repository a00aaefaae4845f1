"""Agent bot webhooks: the payload in Chatwoot's webhook shape, one signed delivery attempt, and ``sign_webhook``.

SERVER.md section 10: ``message_created`` and ``message_updated`` carry ``Message#webhook_data`` (string
message_type, ISO created_at, account, inbox, conversation, the sender's webhook shape), never the REST
shape; the body is Rails ``to_json``. The engine decides when and how often to post it.
"""

from __future__ import annotations

import copy
import json
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone
from typing import Dict, Optional, Union

from chatwoot_client._signature import compute_signature
from chatwoot_client.testing._records import JsonObject
from chatwoot_client.testing._state import MESSAGE_TYPES, USER_EMAIL, Account, Conversation

DELIVERY_TIMEOUT = 5.0  # seconds to wait for the bot's answer (WEBHOOK_TIMEOUT's default)
MAX_ATTEMPTS = 3  # a delivery answered 429 or 500 is tried again, at most this many times in all
RETRIED_STATUSES = (429, 500)
_JSON_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))

_MESSAGE_TYPE_NAMES = {number: name for name, number in MESSAGE_TYPES.items()}
# Never send a local webhook through a proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def sign_webhook(secret: Union[str, bytes], body: Union[bytes, str], timestamp: Optional[int] = None) -> Dict[str, str]:
    """Return the headers Chatwoot signs a webhook with: signature, timestamp (now by default) and a new delivery id.

    :param secret: the agent bot's (or webhook's) secret
    :param body: the raw body exactly as it will be sent
    :param timestamp: unix seconds; the current time when None
    :return: ``X-Chatwoot-Signature``, ``X-Chatwoot-Timestamp`` and ``X-Chatwoot-Delivery``
    """
    stamp = int(time.time()) if timestamp is None else timestamp
    return {
        "X-Chatwoot-Signature": compute_signature(secret, body, stamp),
        "X-Chatwoot-Timestamp": str(stamp),
        "X-Chatwoot-Delivery": str(uuid.uuid4()),
    }


def iso_time(unix_seconds: int) -> str:
    """Format unix seconds as Chatwoot does in JSON, e.g. ``2026-11-27T10:15:00.000Z``."""
    return datetime.fromtimestamp(unix_seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def rails_json(payload: JsonObject) -> bytes:
    """Rails ``to_json``: compact UTF-8 with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    for char, escape in _JSON_ESCAPES:
        text = text.replace(char, escape)
    return text.encode("utf-8")


def webhook_payload(event: str, account: Account, conversation: Conversation, message: JsonObject) -> JsonObject:
    """``Message#webhook_data`` plus ``event`` (message.rb:171-189), in its key order."""
    payload: JsonObject = {
        "account": {"id": account.account_id, "name": account.name},
        "additional_attributes": copy.deepcopy(conversation.hidden.get(message["id"], {})),
        "content_attributes": copy.deepcopy(message.get("content_attributes", {})),
        "content_type": message.get("content_type"),
        "content": message.get("content"),
        "conversation": _conversation_data(account, conversation),
        "created_at": iso_time(message["created_at"]) if isinstance(message.get("created_at"), int) else None,
        "id": message["id"],
        "inbox": {"id": conversation.inbox.inbox_id, "name": conversation.inbox.name},
        "message_type": _MESSAGE_TYPE_NAMES.get(message["message_type"], message["message_type"]),
        "private": message.get("private"),
        "sender": webhook_sender(account, message.get("sender")),
        "source_id": message.get("source_id"),
    }
    if message.get("attachments"):
        payload["attachments"] = copy.deepcopy(message["attachments"])
    payload["event"] = event
    return payload


def webhook_sender(account: Account, sender: Optional[JsonObject]) -> Optional[JsonObject]:
    """``sender.webhook_data``: contact (no type), user ``{id, name, email, type}`` or bot ``{id, name, type}``."""
    if sender is None:
        return None
    kind = sender.get("type")
    if kind == "user":
        return {"id": sender.get("id"), "name": sender.get("name"), "email": USER_EMAIL, "type": "user"}
    if kind == "agent_bot":
        return {"id": sender.get("id"), "name": sender.get("name"), "type": "agent_bot"}
    return {
        "account": {"id": account.account_id, "name": account.name},
        "additional_attributes": copy.deepcopy(sender.get("additional_attributes", {})),
        "avatar": sender.get("thumbnail", ""),
        "custom_attributes": copy.deepcopy(sender.get("custom_attributes", {})),
        "email": sender.get("email"),
        "id": sender.get("id"),
        "identifier": sender.get("identifier"),
        "name": sender.get("name"),
        "phone_number": sender.get("phone_number"),
        "thumbnail": sender.get("thumbnail", ""),
        "blocked": sender.get("blocked", False),
    }


def _now() -> int:
    """Unix seconds of this attempt (one function, so that tests can step the clock)."""
    return int(time.time())


def _conversation_data(account: Account, conversation: Conversation) -> JsonObject:
    """The conversation's push data (event_data_presenter.rb:2-49) for the mock's always-open conversations."""
    chat = [m for m in conversation.messages.values() if not m.get("private") and m.get("message_type") != 2]
    last_activity = max((m["created_at"] for m in chat if isinstance(m.get("created_at"), int)), default=0)
    return {
        "additional_attributes": copy.deepcopy(conversation.additional_attributes),
        "can_reply": True,
        "channel": conversation.inbox.channel,
        "contact_inbox": {"contact_id": conversation.contact.get("id"), "inbox_id": conversation.inbox.inbox_id},
        "id": conversation.display_id,
        "inbox_id": conversation.inbox.inbox_id,
        "messages": [copy.deepcopy(chat[-1])] if chat else [],
        "labels": list(conversation.labels),
        "meta": {
            "sender": copy.deepcopy(conversation.contact),
            "assignee": copy.deepcopy(conversation.assignee),
            "assignee_type": "User" if conversation.assignee is not None else None,
            "team": None,
            "hmac_verified": False,
        },
        "status": "open",
        "custom_attributes": {},
        "snoozed_until": None,
        "unread_count": 0,
        "first_reply_created_at": None,
        "priority": None,
        "waiting_since": 0,
        "agent_last_seen_at": 0,
        "contact_last_seen_at": 0,
        "last_activity_at": last_activity,
        "timestamp": last_activity,
        "created_at": conversation.created_at,
        "updated_at": float(max(last_activity, conversation.created_at)),
    }


def post(url: str, body: bytes, secret: str, delivery_id: str, attempt: int) -> JsonObject:
    """POST one signed attempt of a webhook to ``url``; return its record (failures are recorded, never raised)."""
    timestamp = _now()
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-Chatwoot-Delivery": delivery_id,
        "X-Chatwoot-Timestamp": str(timestamp),
        "X-Chatwoot-Signature": compute_signature(secret, body, timestamp),
    }
    payload = json.loads(body)
    record: JsonObject = {
        "delivery_id": delivery_id,
        "url": url,
        "event": payload.get("event"),
        "message_id": payload.get("id"),
        "attempt": attempt,
        "timestamp": timestamp,
        "status": None,
        "error": None,
    }
    try:
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        with _OPENER.open(request, timeout=DELIVERY_TIMEOUT) as response:
            response.read()
            record["status"] = response.status
    except urllib.error.HTTPError as error:
        record["status"] = error.code
        error.close()
    except (OSError, ValueError) as error:  # URLError, refused, timed out, or not a URL at all
        record["error"] = str(error) or type(error).__name__
    return record
