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

    id: int  # required by the API; read leniently all the same
    content: Optional[str]
    inbox_id: Optional[int]
    echo_id: Optional[str]
    conversation_id: Optional[int]
    message_type: Optional[int]
    content_type: Optional[str]
    status: Optional[str]
    content_attributes: Optional[Dict[str, Any]]
    created_at: Optional[int]
    private: Optional[bool]
    source_id: Optional[str]
    sender: Optional[Sender]
    attachments: Optional[List[Attachment]]


__all__ = ["Message"]
