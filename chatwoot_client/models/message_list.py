"""MessageList: a page of messages and the conversation's meta."""

from __future__ import annotations

from typing import TYPE_CHECKING, List, Optional

from chatwoot_client.models.base import Model

if TYPE_CHECKING:
    from chatwoot_client.models.message import Message
    from chatwoot_client.models.message_list_meta import MessageListMeta


class MessageList(Model):
    """A page of messages, oldest first, and the conversation's meta."""

    openapi_types = {"meta": "MessageListMeta", "payload": "list[Message]"}
    attribute_map = {key: key for key in openapi_types}

    meta: Optional[MessageListMeta] = None
    payload: Optional[List[Message]] = None


__all__ = ["MessageList"]
