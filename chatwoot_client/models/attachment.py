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

    id: Optional[int]
    message_id: Optional[int]
    file_type: Optional[str]
    account_id: Optional[int]
    extension: Optional[str]
    data_url: Optional[str]
    thumb_url: Optional[str]
    file_size: Optional[int]
    width: Optional[int]
    height: Optional[int]


__all__ = ["Attachment"]
