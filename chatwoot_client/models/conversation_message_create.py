"""ConversationMessageCreate: the body of a new message."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional

from chatwoot_client.models.base import Model

if TYPE_CHECKING:
    from chatwoot_client.models.template_params import TemplateParams


class ConversationMessageCreate(Model):
    """A message to create: its content, type, privacy and rich-content attributes."""

    openapi_types = {
        "content": "str",
        "message_type": "str",
        "private": "bool",
        "content_type": "str",
        "content_attributes": "dict(str, object)",
        "template_params": "TemplateParams",
    }
    attribute_map = {key: key for key in openapi_types}
    allowed_values = {
        "message_type": ("outgoing", "incoming"),
        "content_type": ("text", "input_email", "cards", "input_select", "form", "article"),
    }
    required_fields = ("content",)

    content: Optional[str]
    message_type: Optional[str]
    private: Optional[bool]
    content_type: Optional[str]
    content_attributes: Optional[Dict[str, Any]]
    template_params: Optional[TemplateParams]
