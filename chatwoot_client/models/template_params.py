"""TemplateParams: a WhatsApp template sent with a message."""

from __future__ import annotations

from typing import Any, Dict, Optional

from chatwoot_client.models.base import Model


class TemplateParams(Model):
    """A WhatsApp template to send; the template must be approved."""

    openapi_types = {"name": "str", "category": "str", "language": "str", "processed_params": "dict(str, object)"}
    attribute_map = {key: key for key in openapi_types}

    name: Optional[str] = None
    category: Optional[str] = None
    language: Optional[str] = None
    processed_params: Optional[Dict[str, Any]] = None


__all__ = ["TemplateParams"]
