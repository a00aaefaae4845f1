"""Agent bot webhooks: checking the signature of a delivery and reading its payload as a ``WebhookEvent``.

Chatwoot posts events to an agent bot's outgoing URL with three headers: ``X-Chatwoot-Signature: sha256=<hex>``,
the HMAC-SHA256 of ``"{timestamp}.{raw body}"`` keyed with the bot's secret; ``X-Chatwoot-Timestamp: <unix
seconds>``; and ``X-Chatwoot-Delivery: <id>``, which stays the same when Chatwoot redelivers an event::

    if not verify_signature(secret, raw_body, headers.get(SIGNATURE_HEADER), headers.get(TIMESTAMP_HEADER)):
        return 401
    event = parse_event(raw_body, headers)
"""

from __future__ import annotations

import hmac
import math
import re
import time
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, Optional, Protocol, Tuple, Union

from chatwoot_client._signature import compute_signature
from chatwoot_client.models.base import _loads

SIGNATURE_HEADER = "X-Chatwoot-Signature"
TIMESTAMP_HEADER = "X-Chatwoot-Timestamp"
DELIVERY_HEADER = "X-Chatwoot-Delivery"
DEFAULT_TOLERANCE = 300  # seconds a signed timestamp may lie before or after now, against replayed deliveries

_SIGNATURE = re.compile(r"sha256=[0-9a-fA-F]{64}")
_TIMESTAMP = re.compile(r"[0-9]{1,15}")  # ASCII digits only: str.isdigit() would also take other scripts' digits
_MESSAGE_TYPE_NAMES = {0: "incoming", 1: "outgoing", 2: "activity", 3: "template"}

__all__ = [
    "DEFAULT_TOLERANCE",
    "DELIVERY_HEADER",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "WebhookEvent",
    "parse_event",
    "verify_signature",
]


class _Headers(Protocol):
    """Anything with ``items()`` of (name, value): a dict, or the ``http.server`` request headers."""

    def items(self) -> Iterable[Tuple[str, Any]]: ...


@dataclass(frozen=True)
class WebhookEvent:
    """One webhook delivery, read leniently: a field the payload lacks is None (``sender`` an empty dict).

    ``message_type`` is the string form ('incoming', 'outgoing', 'activity', 'template'), ``conversation_id``
    the display id used in API paths, ``raw`` the whole payload, ``delivery_id`` the X-Chatwoot-Delivery
    header (None when no headers were given) and ``client_message_id`` the id the SDK tagged the message with,
    from its content_attributes (None when it has none): a bot recognises its own sends by it.
    """

    event: str
    id: Optional[int] = None
    content: Optional[str] = None
    message_type: Optional[str] = None
    private: bool = False
    account_id: Optional[int] = None
    conversation_id: Optional[int] = None
    sender: Dict[str, Any] = field(default_factory=dict, hash=False)
    raw: Dict[str, Any] = field(default_factory=dict, hash=False, repr=False)
    delivery_id: Optional[str] = None
    client_message_id: Optional[str] = None


def verify_signature(
    secret: Union[str, bytes],
    body: Union[bytes, str],
    signature: Optional[str],
    timestamp: Union[str, int, None],
    tolerance: float = DEFAULT_TOLERANCE,
    now: Optional[float] = None,
) -> bool:
    """Check a webhook's X-Chatwoot-Signature in constant time.

    False for a wrong signature, an empty secret, a missing or malformed signature or timestamp, or a timestamp
    more than ``tolerance`` seconds before or after ``now`` (the current time when None).

    :param secret: the agent bot's (or webhook's) secret
    :param body: the raw request body exactly as received (bytes, or str encoded as UTF-8)
    :param signature: the X-Chatwoot-Signature header, ``sha256=<hex>``
    :param timestamp: the X-Chatwoot-Timestamp header, unix seconds
    :param tolerance: seconds the timestamp may differ from now
    :param now: unix seconds to compare the timestamp with, for tests
    :return: bool
    """
    if not isinstance(secret, (str, bytes)):
        raise TypeError(f"secret must be str or bytes, got {type(secret).__name__}")
    if not isinstance(body, (bytes, bytearray, memoryview, str)):
        raise TypeError(f"body must be the raw body as bytes or str, got {type(body).__name__}")
    _check_seconds("tolerance", tolerance)
    if now is not None:
        _check_seconds("now", now)
    if not secret or not isinstance(signature, str) or not _SIGNATURE.fullmatch(signature.strip()):
        return False
    stamp = _timestamp_text(timestamp)
    if stamp is None:
        return False
    current = time.time() if now is None else now
    if abs(current - int(stamp)) > tolerance:
        return False
    expected = compute_signature(secret, bytes(body) if not isinstance(body, str) else body, stamp)
    return hmac.compare_digest(expected, signature.strip().lower())


def parse_event(body: Union[bytes, str, Dict[str, Any]], headers: Optional[_Headers] = None) -> WebhookEvent:
    """Read a webhook payload (raw bytes, JSON text or an already parsed dict) as a WebhookEvent.

    Raises ValueError when the body is not JSON, not a JSON object, or has no ``event``.

    :param body: the request body
    :param headers: the request headers, to read X-Chatwoot-Delivery from (names in any case)
    :return: WebhookEvent
    """
    payload = _payload(body)
    event = payload.get("event")
    if not isinstance(event, str) or not event:
        raise ValueError(f"webhook payload has no 'event' name, got {event!r}")
    return WebhookEvent(
        event=event,
        id=_integer(payload.get("id")),
        content=_text(payload.get("content")),
        message_type=_message_type(payload.get("message_type")),
        private=payload.get("private") is True,
        account_id=_first_integer(_nested(payload, "account", "id"), payload.get("account_id")),
        conversation_id=_conversation_id(event, payload),
        sender=dict(payload["sender"]) if isinstance(payload.get("sender"), dict) else {},
        raw=payload,
        delivery_id=_header(_check_headers(headers), DELIVERY_HEADER) if headers is not None else None,
        client_message_id=_text(_nested(payload, "content_attributes", "client_message_id")),
    )


def _check_seconds(name: str, value: Any) -> None:
    """A number of seconds: a real, finite number; anything else is the caller's mistake, not a bad delivery."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, got {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number of seconds, got {value!r}")


def _timestamp_text(timestamp: Union[str, int, None]) -> Optional[str]:
    """The timestamp exactly as it was signed, or None when it is not unix seconds."""
    if isinstance(timestamp, bool):
        return None
    if isinstance(timestamp, int):
        return str(timestamp) if timestamp >= 0 else None
    if isinstance(timestamp, str) and _TIMESTAMP.fullmatch(timestamp.strip()):
        return timestamp.strip()
    return None


def _payload(body: Union[bytes, str, Dict[str, Any]]) -> Dict[str, Any]:
    """The payload as a dict, with a ValueError that says what is wrong with it."""
    if isinstance(body, dict):
        return body
    if isinstance(body, (bytes, bytearray, memoryview)):
        try:
            body = bytes(body).decode("utf-8")
        except UnicodeDecodeError as err:
            raise ValueError(f"webhook body is not UTF-8 text: {err}") from err
    if not isinstance(body, str):
        raise ValueError(f"webhook body must be bytes, str or dict, got {type(body).__name__}")
    try:
        payload = _loads(body)
    except ValueError as err:
        raise ValueError(f"webhook body is not valid JSON: {err}") from err
    except RecursionError:
        raise ValueError("webhook body is not valid JSON: nested too deeply") from None
    if not isinstance(payload, dict):
        raise ValueError(f"webhook body must be a JSON object, got a JSON {type(payload).__name__}")
    return payload


def _conversation_id(event: str, payload: Dict[str, Any]) -> Optional[int]:
    """The display id of the event's conversation.

    Message events carry the conversation under ``conversation``; conversation events are the conversation
    itself, so their own ``id`` is it; a top-level ``conversation_id`` is the last resort.
    """
    own_id = payload.get("id") if event.startswith("conversation_") and "conversation" not in payload else None
    return _first_integer(_nested(payload, "conversation", "id"), own_id, payload.get("conversation_id"))


def _nested(payload: Dict[str, Any], key: str, inner: str) -> Any:
    value = payload.get(key)
    return value.get(inner) if isinstance(value, dict) else None


def _integer(value: Any) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _first_integer(*values: Any) -> Optional[int]:
    """The first of ``values`` that is an int (not a bool), else None."""
    return next((value for value in map(_integer, values) if value is not None), None)


def _text(value: Any) -> Optional[str]:
    return value if isinstance(value, str) else None


def _message_type(value: Any) -> Optional[str]:
    """The string form; the integer form of the REST API is translated, unknown names are kept."""
    if isinstance(value, str):
        return value
    number = _integer(value)
    return _MESSAGE_TYPE_NAMES.get(number, str(number)) if number is not None else None


def _check_headers(headers: Any) -> _Headers:
    """The headers, when they are a mapping (anything with items(), such as http.server's); else TypeError."""
    if isinstance(headers, (str, bytes)) or not callable(getattr(headers, "items", None)):
        raise TypeError(f"headers must be a mapping of header names to values, got {type(headers).__name__}")
    return headers  # type: ignore[no-any-return]


def _header(headers: _Headers, name: str) -> Optional[str]:
    """A header's value, its name matched in any case."""
    wanted = name.lower()
    for key, value in headers.items():
        if str(key).lower() == wanted:
            return str(value)
    return None
