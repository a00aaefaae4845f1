"""The API classes."""

from __future__ import annotations

from chatwoot_client.api.messages_api import MessagesApi

__all__ = ["MessagesApi"]
