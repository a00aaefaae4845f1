"""MessageListMeta: what a message list says about its conversation."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Dict, List, Optional

from chatwoot_client.models.base import Model

if TYPE_CHECKING:
    from chatwoot_client.models.sender import Sender


class MessageListMeta(Model):
    """The conversation's labels, attributes, contact, assignee and when they last read it (aware datetimes)."""

    openapi_types = {
        "labels": "list[str]",
        "additional_attributes": "dict(str, object)",
        "contact": "Sender",
        "assignee": "Sender",
        "agent_last_seen_at": "datetime",
        "assignee_last_seen_at": "datetime",
    }
    attribute_map = {key: key for key in openapi_types}

    labels: Optional[List[str]] = None
    additional_attributes: Optional[Dict[str, Any]] = None
    contact: Optional[Sender] = None
    assignee: Optional[Sender] = None
    agent_last_seen_at: Optional[datetime.datetime] = None
    assignee_last_seen_at: Optional[datetime.datetime] = None


__all__ = ["MessageListMeta"]
