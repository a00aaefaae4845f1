"""Agent bot webhooks: the signed ``message_created`` payload, its delivery, and ``sign_webhook`` for users' tests."""

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
from chatwoot_client.testing._state import MESSAGE_TYPES, Account, Conversation

DELIVERY_TIMEOUT = 5.0  # seconds to wait for the bot's answer

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


def message_created(account: Account, conversation: Conversation, message: JsonObject) -> JsonObject:
    """The ``message_created`` payload for a message just created through the API, with its context."""
    payload = copy.deepcopy(message)
    payload["event"] = "message_created"
    payload["message_type"] = _MESSAGE_TYPE_NAMES[message["message_type"]]
    payload["created_at"] = iso_time(message["created_at"])
    payload["account"] = {"id": account.account_id, "name": account.name}
    payload["inbox"] = {"id": conversation.inbox.inbox_id, "name": conversation.inbox.name}
    payload["conversation"] = {
        "id": conversation.display_id,
        "inbox_id": conversation.inbox.inbox_id,
        "status": "open",
        "channel": conversation.inbox.channel,
        "labels": list(conversation.labels),
        "additional_attributes": copy.deepcopy(conversation.additional_attributes),
        "custom_attributes": {},
        "meta": {"sender": copy.deepcopy(conversation.contact), "assignee": copy.deepcopy(conversation.assignee)},
    }
    return payload


def deliver(url: str, payload: JsonObject, secret: str) -> JsonObject:
    """POST a signed payload to ``url``; return the delivery record (failures are recorded, never raised)."""
    body = json.dumps(payload, separators=(",", ":")).encode("utf-8")
    headers = {"Content-Type": "application/json", **sign_webhook(secret, body)}
    record: JsonObject = {
        "delivery_id": headers["X-Chatwoot-Delivery"],
        "url": url,
        "event": payload.get("event"),
        "message_id": payload.get("id"),
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
