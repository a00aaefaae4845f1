"""ConversationMessageCreate: the body of a new message."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional

from chatwoot_client.models.base import Model

if TYPE_CHECKING:
    from chatwoot_client.models.template_params import TemplateParams


class ConversationMessageCreate(Model):
    """A message to create: its content, type, privacy and rich-content attributes.

    ``source_id`` is stored and listed, but a bot should not set it on outgoing messages: a channel inbox
    (WhatsApp, SMS, email, ...) takes an outgoing message with a source_id to have come from the channel and
    never delivers it. ``echo_id`` comes back in the create answer only; neither is an idempotency key
    (``client_message_id=`` on the create call is).
    """

    openapi_types = {
        "content": "str",
        "message_type": "str",
        "private": "bool",
        "content_type": "str",
        "content_attributes": "dict(str, object)",
        "template_params": "TemplateParams",
        "campaign_id": "int",
        "echo_id": "str",
        "source_id": "str",
        "external_created_at": "int",
    }
    attribute_map = {key: key for key in openapi_types}
    allowed_values = {
        "message_type": ("outgoing", "incoming"),
        "content_type": (
            "text",
            "input_text",
            "input_textarea",
            "input_email",
            "input_select",
            "cards",
            "form",
            "article",
            "incoming_email",
            "input_csat",
            "integrations",
            "sticker",
            "voice_call",
        ),
    }
    required_fields = ("content",)

    content: Optional[str] = None
    message_type: Optional[str] = None
    private: Optional[bool] = None
    content_type: Optional[str] = None
    content_attributes: Optional[Dict[str, Any]] = None
    template_params: Optional[TemplateParams] = None
    campaign_id: Optional[int] = None
    echo_id: Optional[str] = None  # echoed in the create answer only: not stored, not an idempotency key
    # Stored and listed. Do not set it on an outgoing message for a channel inbox (WhatsApp, SMS, email, ...):
    # Chatwoot takes such a message to have come from the channel and never delivers it.
    source_id: Optional[str] = None
    external_created_at: Optional[int] = None  # unix seconds; kept in content_attributes, created_at is the insert time


__all__ = ["ConversationMessageCreate"]
