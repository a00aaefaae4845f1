"""Sender: who sent a message (a user, a contact or an agent bot)."""

from __future__ import annotations

from typing import Any, Dict, Optional

from chatwoot_client.models.base import Model


class Sender(Model):
    """Who sent a message: a user (agent), a contact or an agent bot, told apart by ``type``.

    The three kinds carry different keys: a user has available_name, avatar_url and availability_status; a contact
    has email, phone_number, identifier, the attribute dicts and blocked; an agent bot only id, name and avatar_url.
    Fields a kind does not have read as None.
    """

    openapi_types = {
        "id": "int",
        "name": "str",
        "type": "str",
        "available_name": "str",
        "avatar_url": "str",
        "thumbnail": "str",
        "email": "str",
        "phone_number": "str",
        "identifier": "str",
        "availability_status": "str",
        "additional_attributes": "dict(str, object)",
        "custom_attributes": "dict(str, object)",
        "blocked": "bool",
    }
    attribute_map = {key: key for key in openapi_types}

    id: Optional[int] = None
    name: Optional[str] = None
    type: Optional[str] = None
    available_name: Optional[str] = None
    avatar_url: Optional[str] = None
    thumbnail: Optional[str] = None
    email: Optional[str] = None
    phone_number: Optional[str] = None
    identifier: Optional[str] = None
    availability_status: Optional[str] = None
    additional_attributes: Optional[Dict[str, Any]] = None
    custom_attributes: Optional[Dict[str, Any]] = None
    blocked: Optional[bool] = None  # contacts only


__all__ = ["Sender"]
