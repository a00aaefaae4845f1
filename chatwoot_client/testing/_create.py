"""Reading a create-message request: a JSON body or a multipart/form-data form, checked as strictly as the server.

Errors raise ``ApiError``: 400 for a body that cannot be read, 415 for another media type, 422 for a
field with a wrong value.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from chatwoot_client.testing._multipart import MultipartError, Part, parse_header_value, parse_multipart
from chatwoot_client.testing._records import ApiError, JsonObject, RecordedRequest

MAX_ATTACHMENTS = 15  # files per message
ATTACHMENTS_FIELD = "attachments[]"
CREATE_MESSAGE_TYPES = ("outgoing", "incoming")
CREATE_CONTENT_TYPES = ("text", "input_email", "cards", "input_select", "form", "article")

_FORM_BOOLEANS = {"true": True, "false": False}


@dataclass
class CreateFields:
    """The checked fields of a create request, defaults filled in."""

    content: Optional[str] = None
    message_type: str = "outgoing"
    private: bool = False
    content_type: str = "text"
    content_attributes: JsonObject = field(default_factory=dict)
    template_params: Optional[JsonObject] = None
    files: List[Part] = field(default_factory=list)


def parse_create(request: RecordedRequest) -> CreateFields:
    """Read and check the body of a create-message request."""
    header = request.headers.get("content-type", "")
    media_type, _ = parse_header_value(header)
    if media_type == "application/json":
        return _from_json(request.body)
    if media_type == "multipart/form-data":
        return _from_form(request.body, header)
    raise ApiError(415, {"error": f"Content-Type must be application/json or multipart/form-data, got {header!r}"})


def _from_json(body: bytes) -> CreateFields:
    """Check the fields of a JSON body (null counts as absent)."""
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ApiError(400, {"error": f"The request body is not valid JSON: {error}"}) from error
    if not isinstance(payload, dict):
        raise ApiError(400, {"error": "The request body must be a JSON object"})
    fields = CreateFields()
    fields.content = _optional_string(payload, "content")
    fields.message_type = _choice(payload, "message_type", CREATE_MESSAGE_TYPES, fields.message_type)
    fields.content_type = _choice(payload, "content_type", CREATE_CONTENT_TYPES, fields.content_type)
    private = payload.get("private")
    if private is not None and not isinstance(private, bool):
        raise ApiError(422, {"error": f"private must be true or false, got {private!r}"})
    fields.private = bool(private)
    fields.content_attributes = _object(payload.get("content_attributes"), "content_attributes") or {}
    fields.template_params = _object(payload.get("template_params"), "template_params")
    return fields


def _from_form(body: bytes, header: str) -> CreateFields:
    """Check the fields and files of a multipart/form-data body (the last of repeated fields wins)."""
    try:
        parts = parse_multipart(body, header)
    except MultipartError as error:
        raise ApiError(400, {"error": f"The multipart/form-data body is malformed: {error}"}) from error
    values: Dict[str, str] = {}
    fields = CreateFields()
    for part in parts:
        if part.name == ATTACHMENTS_FIELD:
            if not part.filename:
                raise ApiError(422, {"error": "Each attachments[] part must be a file with a filename"})
            fields.files.append(part)
        elif part.name is not None and part.filename is None:
            try:
                values[part.name] = part.data.decode("utf-8")
            except UnicodeDecodeError as error:
                raise ApiError(400, {"error": f"The form field {part.name} is not UTF-8 text"}) from error
    if len(fields.files) > MAX_ATTACHMENTS:
        raise ApiError(
            422,
            {
                "message": f"Attachments exceeded maximum allowed: at most {MAX_ATTACHMENTS} files per message, "
                f"got {len(fields.files)}",
                "attributes": ["attachments"],
            },
        )
    fields.content = values.get("content")
    fields.message_type = _choice(values, "message_type", CREATE_MESSAGE_TYPES, fields.message_type)
    fields.content_type = _choice(values, "content_type", CREATE_CONTENT_TYPES, fields.content_type)
    if "private" in values:
        if values["private"] not in _FORM_BOOLEANS:
            raise ApiError(422, {"error": f"private must be true or false, got {values['private']!r}"})
        fields.private = _FORM_BOOLEANS[values["private"]]
    fields.content_attributes = _json_text(values, "content_attributes") or {}
    fields.template_params = _json_text(values, "template_params")
    return fields


def _optional_string(payload: Dict[str, Any], name: str) -> Optional[str]:
    value = payload.get(name)
    if value is not None and not isinstance(value, str):
        raise ApiError(422, {"error": f"{name} must be a string, got {value!r}"})
    return value


def _choice(payload: Dict[str, Any], name: str, allowed: Tuple[str, ...], default: str) -> str:
    value = payload.get(name)
    if value is None:
        return default
    if value not in allowed:
        raise ApiError(422, {"error": f"{value!r} is not a valid {name}; use one of {', '.join(allowed)}"})
    return str(value)


def _object(value: Any, name: str) -> Optional[JsonObject]:
    if value is not None and not isinstance(value, dict):
        raise ApiError(422, {"error": f"{name} must be a JSON object, got {value!r}"})
    return value


def _json_text(values: Dict[str, str], name: str) -> Optional[JsonObject]:
    """A form field holding a JSON object as text."""
    if name not in values:
        return None
    try:
        value = json.loads(values[name])
    except ValueError as error:
        raise ApiError(422, {"error": f"{name} must be a JSON object as text: {error}"}) from error
    return _object(value, name)
