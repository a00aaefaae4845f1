"""A small multipart/form-data parser for the mock server (the stdlib's ``cgi`` is gone, ``email`` is too lenient).

It reads the format urllib3, requests and browsers send, and decodes file names the way Rack does
(``filename*=`` first, then percent-escapes, then backslash-escapes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple
from urllib.parse import unquote, unquote_to_bytes

MAX_PARTS = 1000  # parts read from one body; more is refused as malformed

_PARAMETER = re.compile(r';\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')
_PERCENT = re.compile(r"%.?.?")
_VALID_PERCENT = re.compile(r"%[0-9a-fA-F]{2}")
_OTHER_ESCAPE = re.compile(r"\\[^\\\"]")


class MultipartError(ValueError):
    """The body is not well-formed multipart/form-data."""


@dataclass(frozen=True)
class Part:
    """One part of a form: its field name, its file name and content type (None for plain fields), and its bytes."""

    name: Optional[str]
    filename: Optional[str]
    content_type: Optional[str]
    data: bytes


def parse_header_value(value: str) -> Tuple[str, Dict[str, str]]:
    """Split a header value such as ``form-data; name="a"`` into its lower-cased token and raw parameters."""
    token, _, rest = value.partition(";")
    parameters = {match.group(1).lower(): match.group(2).strip() for match in _PARAMETER.finditer(";" + rest)}
    return token.strip().lower(), parameters


def parse_multipart(body: bytes, content_type: str) -> List[Part]:
    """Parse a multipart/form-data body whose Content-Type header (with its boundary) is ``content_type``."""
    _, parameters = parse_header_value(content_type)
    boundary = _unquote(parameters.get("boundary", ""))
    if not 1 <= len(boundary) <= 200:
        raise MultipartError("multipart/form-data needs a boundary parameter")
    delimiter = b"--" + boundary.encode("latin-1")
    if body.startswith(delimiter):
        position = 0
    else:
        position = body.find(b"\r\n" + delimiter)
        if position < 0:
            raise MultipartError("the body does not contain the boundary")
        position += 2
    parts: List[Part] = []
    for _ in range(MAX_PARTS):
        position += len(delimiter)
        if body[position : position + 2] == b"--":
            return parts
        line_end = body.find(b"\r\n", position)
        if line_end < 0 or body[position:line_end].strip(b" \t"):
            raise MultipartError("a boundary line is malformed")
        start = line_end + 2
        end = body.find(b"\r\n" + delimiter, start)
        if end < 0:
            raise MultipartError("the closing boundary is missing")
        parts.append(_parse_part(body[start:end]))
        position = end + 2
    raise MultipartError(f"more than {MAX_PARTS} parts")


def _parse_part(raw: bytes) -> Part:
    """Parse one part: header lines, a blank line, then the data."""
    if raw.startswith(b"\r\n"):
        header_block, data = b"", raw[2:]
    else:
        header_block, separator, data = raw.partition(b"\r\n\r\n")
        if not separator:
            raise MultipartError("a part has no blank line after its headers")
    headers: Dict[str, str] = {}
    for line in header_block.decode("utf-8", "replace").split("\r\n"):
        if not line:
            continue
        name, colon, value = line.partition(":")
        if not colon:
            raise MultipartError(f"a part header is malformed: {line!r}")
        headers[name.strip().lower()] = value.strip()
    disposition, parameters = parse_header_value(headers.get("content-disposition", ""))
    if disposition != "form-data":
        raise MultipartError("a part has no Content-Disposition: form-data header")
    field_name = _unquote(parameters["name"]) if "name" in parameters else None
    return Part(field_name, _filename(parameters), headers.get("content-type"), data)


def _filename(parameters: Dict[str, str]) -> Optional[str]:
    """Decode a part's file name as Rack does; None when the part is not a file."""
    if "filename*" in parameters:
        charset, _, encoded = _unquote(parameters["filename*"]).partition("''")
        try:
            return unquote_to_bytes(encoded).decode(charset or "utf-8")
        except (LookupError, UnicodeDecodeError) as error:
            raise MultipartError("a filename* parameter is malformed") from error
    if "filename" not in parameters:
        return None
    filename = parameters["filename"]
    if len(filename) >= 2 and filename[0] == filename[-1] == '"':
        filename = filename[1:-1]
    if all(_VALID_PERCENT.fullmatch(escape) for escape in _PERCENT.findall(filename)):
        filename = unquote(filename)
    if not _OTHER_ESCAPE.search(filename):
        filename = re.sub(r"\\(.)", r"\1", filename)
    return filename


def _unquote(value: str) -> str:
    """Remove the quotes and backslash-escapes of a quoted-string parameter value."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value
