"""Attachments: reading the files a caller passes and encoding them as multipart/form-data.

Imported on the first call with attachments, so plain calls never pay for it.
"""

from __future__ import annotations

import json
import mimetypes
import os
import re
from typing import Any, Dict, List, Tuple

import urllib3

from chatwoot_client.exceptions import ApiValueError

MAX_ATTACHMENTS = 15  # files per message, as the server allows
FIELD_NAME = "attachments[]"
JSON_TEXT_FIELDS = frozenset({"content_attributes"})  # sent as JSON text in a form: the server parses them
_FORM_DEPTH = 16  # levels of nested form field names at most

File = Tuple[str, bytes, str]  # (filename, content, mime type)
_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_MIME_TYPE = re.compile(rf"{_TOKEN}/{_TOKEN}(?:\s*;\s*{_TOKEN}=(?:{_TOKEN}|\"[^\"\\\x00-\x1f\x7f]*\"))*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def read_attachments(attachments: Any) -> List[File]:
    """Read every attachment into (filename, bytes, mime type), checking each before any I/O on the network."""
    if not isinstance(attachments, (list, tuple)):
        raise ApiValueError(f"attachments must be a list, got {type(attachments).__name__}")
    if len(attachments) > MAX_ATTACHMENTS:
        raise ApiValueError(f"attachments holds {len(attachments)} files; a message takes at most {MAX_ATTACHMENTS}")
    return [_read_one(f"attachments[{index}]", item) for index, item in enumerate(attachments)]


def _read_one(name: str, item: Any) -> File:
    if isinstance(item, (str, os.PathLike)):
        path = os.fspath(item)
        try:
            with open(path, "rb") as handle:
                content = handle.read()
        except OSError as err:
            raise ApiValueError(f"{name}: cannot read file {path!r}: {err.strerror}") from err
        return _file(name, os.path.basename(path), content, None)
    if isinstance(item, tuple):
        if len(item) not in (2, 3) or not isinstance(item[0], str) or not item[0]:
            raise ApiValueError(f"{name} must be (filename, bytes or file[, mime_type]), got {item!r}")
        mime = item[2] if len(item) == 3 else None
        if mime is not None and not isinstance(mime, str):
            raise ApiValueError(f"{name}: the mime type must be a str, got {mime!r}")
        return _file(name, item[0], _content(name, item[1]), mime)
    if hasattr(item, "read"):
        filename = os.path.basename(str(getattr(item, "name", "") or "")) or "attachment"
        return _file(name, filename, _content(name, item), None)
    raise ApiValueError(f"{name} must be a file path, a binary file object or a (filename, data) tuple, got {item!r}")


def _content(name: str, source: Any) -> bytes:
    """The bytes of a bytes-like value or of a binary file object."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    if hasattr(source, "read"):
        try:
            content = source.read()
        except (OSError, ValueError) as err:  # ValueError: a closed file
            raise ApiValueError(f"{name}: cannot read the file object: {err}") from err
        if isinstance(content, (bytes, bytearray)):
            return bytes(content)
        raise ApiValueError(f"{name}: the file must be opened in binary mode ('rb')")
    raise ApiValueError(f"{name}: the data must be bytes or a binary file object, got {type(source).__name__}")


def _file(name: str, filename: str, content: bytes, mime: Any) -> File:
    """One checked file: nothing in its filename or MIME type can end its part header or start another."""
    if _CONTROL.search(filename) or '"' in filename or "\\" in filename:
        raise ApiValueError(
            f"{name}: the filename must not contain CR, LF or a double quote (nor NUL, another control character "
            "or a backslash)"
        )
    try:
        filename.encode("utf-8")
    except UnicodeEncodeError:
        raise ApiValueError(f"{name}: the filename is not valid Unicode (it holds a lone surrogate)") from None
    if mime is not None and not _MIME_TYPE.fullmatch(mime):
        raise ApiValueError(
            f"{name}: the mime type must read type/subtype, without CR or LF, NUL or other control characters"
        )
    return filename, content, mime or mimetypes.guess_type(filename)[0] or "application/octet-stream"


def encode(fields: Dict[str, Any], files: List[File]) -> Tuple[bytes, str]:
    """The multipart body and its Content-Type: the body's fields as form fields, one attachments[] part per file.

    ``content_attributes`` goes as JSON text, which the server parses. Any other object (``template_params``) goes
    as bracketed fields, ``template_params[name]``, ``template_params[processed_params][1]``, which is how Rails
    reads an object from a form: the server keeps a JSON text there as a string, and refuses it.
    """
    parts: List[Tuple[str, Any]] = []
    for key, value in fields.items():
        if key in JSON_TEXT_FIELDS:
            parts.append((key, value if isinstance(value, str) else json.dumps(value, allow_nan=False)))
        else:
            parts.extend(_form_fields(key, value, 0))
    parts.extend((FIELD_NAME, file) for file in files)
    return urllib3.encode_multipart_formdata(parts)


def _form_fields(name: str, value: Any, depth: int) -> List[Tuple[str, str]]:
    """One JSON-ready value as form fields named as Rails nests them: ``name[key]`` and ``name[]``."""
    if value is None:
        return []
    if isinstance(value, str):
        return [(name, value)]
    if isinstance(value, bool):
        return [(name, "true" if value else "false")]
    if isinstance(value, (int, float)):
        return [(name, json.dumps(value, allow_nan=False))]
    if depth >= _FORM_DEPTH:
        raise ApiValueError(f"body field {name} is nested deeper than {_FORM_DEPTH} levels for a form")
    if isinstance(value, dict):
        fields: List[Tuple[str, str]] = []
        for key, item in value.items():
            if "[" in key or "]" in key:
                raise ApiValueError(f"body field {name} has a key with a bracket, which a form cannot nest: {key!r}")
            fields.extend(_form_fields(f"{name}[{key}]", item, depth + 1))
        return fields
    return [field for item in value for field in _form_fields(f"{name}[]", item, depth + 1)]
