"""Attachment: a file attached to a message."""

from __future__ import annotations

from typing import Optional

from chatwoot_client.models.base import Model


class Attachment(Model):
    """A file attached to a message, with where to download it."""

    openapi_types = {
        "id": "int",
        "message_id": "int",
        "file_type": "str",
        "account_id": "int",
        "extension": "str",
        "data_url": "str",
        "thumb_url": "str",
        "file_size": "int",
        "width": "int",
        "height": "int",
    }
    attribute_map = {key: key for key in openapi_types}

    id: Optional[int] = None
    message_id: Optional[int] = None
    file_type: Optional[str] = None
    account_id: Optional[int] = None
    extension: Optional[str] = None
    data_url: Optional[str] = None
    thumb_url: Optional[str] = None
    file_size: Optional[int] = None
    width: Optional[int] = None
    height: Optional[int] = None


__all__ = ["Attachment"]
