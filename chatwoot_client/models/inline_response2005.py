"""InlineResponse2005: the message a create answers with."""

from __future__ import annotations

from chatwoot_client.models.message import Message


class InlineResponse2005(Message):
    """The message just created: every Message field, as the server filled it."""


__all__ = ["InlineResponse2005"]
