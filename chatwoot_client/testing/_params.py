"""Rails ``params`` for the mock server: the query string merged over a JSON, multipart or urlencoded body.

Bracketed names nest as Rack nests them (``template_params[name]``, ``items[][title]``, ``attachments[]``).
A JSON body that is not an object, or a body of another media type, gives no fields. A body Rails cannot
read is a 400 ``{"status":400,"error":"Bad Request"}``.
"""

from __future__ import annotations

import re
from typing import List, Tuple, Union
from urllib.parse import parse_qsl

from chatwoot_client.testing._multipart import MultipartError, Part, parse_header_value, parse_multipart
from chatwoot_client.testing._records import ApiError, JsonObject, RecordedRequest
from chatwoot_client.testing._ruby import parse_json

BAD_REQUEST: JsonObject = {"status": 400, "error": "Bad Request"}
MAX_NESTING = 100  # bracket levels in one field name (Rack refuses deeper ones)

_KEY = re.compile(r"\[([^\[\]]*)\]")
Value = Union[str, Part]


def request_params(request: RecordedRequest) -> JsonObject:
    """The request's parameters as Rails reads them; query-string parameters win over the body's."""
    header = request.headers.get("content-type", "")
    media_type, _ = parse_header_value(header)
    body: JsonObject = {}
    if media_type == "application/json":
        body = _json_body(request.body)
    elif media_type == "multipart/form-data":
        body = nest(_form_pairs(request.body, header))
    elif media_type == "application/x-www-form-urlencoded":
        body = nest(_urlencoded_pairs(request.body))
    query = nest(list(parse_qsl(request.raw_query, keep_blank_values=True)))
    return {**body, **query}


def nest(pairs: List[Tuple[str, Value]]) -> JsonObject:
    """Nest flat ``name[key][]`` pairs into objects and lists, as Rack's nested query parser does."""
    params: JsonObject = {}
    for name, value in pairs:
        base, _, rest = name.partition("[")
        keys = _KEY.findall("[" + rest) if rest else []
        if not base or len(keys) > MAX_NESTING:
            if not base:
                continue
            raise ApiError(400, BAD_REQUEST)
        _store(params, [base, *keys], value)
    return params


def _store(params: JsonObject, keys: List[str], value: Value) -> None:
    """Put ``value`` at the path ``keys``; ``[]`` appends to a list, and ``[][k]`` fills the list's last object."""
    key, rest = keys[0], keys[1:]
    if not rest:
        params[key] = value
        return
    if rest[0] != "":
        child = params.get(key)
        if not isinstance(child, dict):
            child = params[key] = {}
        _store(child, rest, value)
        return
    items = params.get(key)
    if not isinstance(items, list):
        items = params[key] = []
    after = rest[1:]
    if not after:
        items.append(value)
        return
    if not items or not isinstance(items[-1], dict) or after[0] in items[-1]:
        items.append({})
    _store(items[-1], after, value)


def _json_body(body: bytes) -> JsonObject:
    if not body.strip():
        return {}
    try:
        payload = parse_json(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ApiError(400, BAD_REQUEST) from error
    return payload if isinstance(payload, dict) else {}  # Rails puts any other JSON under "_json"


def _form_pairs(body: bytes, header: str) -> List[Tuple[str, Value]]:
    try:
        parts = parse_multipart(body, header)
    except MultipartError as error:
        raise ApiError(400, BAD_REQUEST) from error
    pairs: List[Tuple[str, Value]] = []
    for part in parts:
        if part.name is None:
            continue
        if part.filename is not None:
            pairs.append((part.name, part))
            continue
        try:
            pairs.append((part.name, part.data.decode("utf-8")))
        except UnicodeDecodeError as error:  # Rails refuses parameters that are not valid UTF-8
            raise ApiError(400, BAD_REQUEST) from error
    return pairs


def _urlencoded_pairs(body: bytes) -> List[Tuple[str, Value]]:
    try:
        text = body.decode("utf-8")
        return list(parse_qsl(text, keep_blank_values=True, errors="strict"))
    except UnicodeDecodeError as error:
        raise ApiError(400, BAD_REQUEST) from error
