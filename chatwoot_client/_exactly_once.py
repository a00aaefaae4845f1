"""Exactly-once creates: the client message id every create carries in ``content_attributes``.

Each create is tagged with a client message id, the caller's or a fresh random one, so that the message can be
found again in the conversation's list after a lost answer. The id is checked before any I/O and the caller's
body is never changed: the tagged body is a new dict.
"""

from __future__ import annotations

import re
import secrets
from typing import Any, Dict, Optional, Tuple

from chatwoot_client.exceptions import ApiValueError
from chatwoot_client.models.conversation_message_create import ConversationMessageCreate

CLIENT_MESSAGE_ID = "client_message_id"
MAX_ID_LENGTH = 64  # characters
_ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_SHOWN = 80  # characters of a refused value shown in the error


def check_client_message_id(value: Any, name: str = CLIENT_MESSAGE_ID) -> str:
    """A client message id: a str of 1-64 characters of A-Za-z0-9._:-; anything else raises ApiValueError."""
    if not isinstance(value, str):
        raise ApiValueError(f"{name} must be a str of 1-{MAX_ID_LENGTH} characters, got {type(value).__name__}")
    if not _ID_PATTERN.fullmatch(value):
        shown = repr(value[:_SHOWN]) + ("..." if len(value) > _SHOWN else "")
        raise ApiValueError(
            f"{name} must be 1-{MAX_ID_LENGTH} characters of A-Za-z0-9._:- (got {len(value)} characters: {shown})"
        )
    return str(value)


def new_client_message_id() -> str:
    """A fresh random id: 32 hex characters (128 bits)."""
    return secrets.token_hex(16)


def tag(body: Any, client_message_id: Optional[str]) -> Tuple[Any, str, bool]:
    """The body with the id in its content_attributes, the id, and whether the caller chose it.

    A body that is neither a model nor a dict, or whose content_attributes is not a dict, is handed back as it
    is: the request builder refuses it with its own error. The caller's objects are never changed.
    """
    explicit = client_message_id is not None
    if explicit:
        client_message_id = check_client_message_id(client_message_id)
    if isinstance(body, ConversationMessageCreate):
        attributes = body.content_attributes
    elif isinstance(body, dict):
        attributes = body.get("content_attributes")
    else:
        return body, client_message_id or new_client_message_id(), explicit
    if attributes is None:
        attributes = {}
    if not isinstance(attributes, dict):
        return body, client_message_id or new_client_message_id(), explicit
    own = attributes.get(CLIENT_MESSAGE_ID)
    if own is not None:
        own = check_client_message_id(own, f"body.content_attributes['{CLIENT_MESSAGE_ID}']")
        if client_message_id is not None and own != client_message_id:
            raise ApiValueError(
                f"body.content_attributes['{CLIENT_MESSAGE_ID}'] ({own!r}) differs from "
                f"{CLIENT_MESSAGE_ID} ({client_message_id!r})"
            )
        client_message_id, explicit = own, True
    if client_message_id is None:
        client_message_id = new_client_message_id()
    return _with_attributes(body, {**attributes, CLIENT_MESSAGE_ID: client_message_id}), client_message_id, explicit


def _with_attributes(body: Any, attributes: Dict[str, Any]) -> Any:
    """A copy of the body (model or dict) with these content_attributes; every other field exactly as given."""
    if isinstance(body, dict):
        return {**body, "content_attributes": attributes}
    duplicate = ConversationMessageCreate.from_dict(body._raw)
    duplicate._values.update(body._values)
    duplicate._values["content_attributes"] = attributes
    return duplicate
