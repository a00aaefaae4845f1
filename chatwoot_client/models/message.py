"""Message: a message of a conversation, as the server sends it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional

from chatwoot_client.models.base import Model

if TYPE_CHECKING:
    from chatwoot_client.models.attachment import Attachment
    from chatwoot_client.models.sender import Sender


class Message(Model):
    """A message. ``message_type`` is an int: 0 incoming, 1 outgoing, 2 activity, 3 template."""

    openapi_types = {
        "id": "int",
        "content": "str",
        "inbox_id": "int",
        "echo_id": "str",
        "conversation_id": "int",
        "message_type": "int",
        "content_type": "str",
        "status": "str",
        "content_attributes": "dict(str, object)",
        "created_at": "int",
        "private": "bool",
        "source_id": "str",
        "sender": "Sender",
        "attachments": "list[Attachment]",
    }
    attribute_map = {key: key for key in openapi_types}

    id: Optional[int] = None  # null in a list answer that lacks it (read leniently); a created message has one
    content: Optional[str] = None
    inbox_id: Optional[int] = None
    echo_id: Optional[str] = None
    conversation_id: Optional[int] = None
    message_type: Optional[int] = None
    content_type: Optional[str] = None
    status: Optional[str] = None
    content_attributes: Optional[Dict[str, Any]] = None
    created_at: Optional[int] = None
    private: Optional[bool] = None
    source_id: Optional[str] = None
    sender: Optional[Sender] = None
    attachments: Optional[List[Attachment]] = None


__all__ = ["Message"]
