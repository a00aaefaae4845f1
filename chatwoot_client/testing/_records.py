"""Small value types shared by the mock server's modules: a recorded request, a reply, an outcome, an API error."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

JsonObject = Dict[str, Any]

JSON_CONTENT_TYPE = "application/json; charset=utf-8"


@dataclass(frozen=True)
class RecordedRequest:
    """One request the mock server received, as it arrived (faulted requests included).

    ``path`` is the raw path without the query string (percent-escapes kept), ``query`` maps each
    parameter to its last value, ``headers`` has lower-cased names (repeated headers joined with
    ``", "``), ``body`` is the whole body (de-chunked), and ``client_port`` is the client's source port.
    """

    method: str
    path: str
    query: Dict[str, str]
    headers: Dict[str, str]
    body: bytes
    client_port: int = 0

    def json(self) -> Any:
        """Return the body parsed as JSON (raises ``ValueError`` when it is not JSON)."""
        return json.loads(self.body.decode("utf-8"))


@dataclass(frozen=True)
class Reply:
    """An HTTP answer to write: status, body bytes, content type and extra headers."""

    status: int
    body: bytes = b""
    content_type: str = "application/octet-stream"
    headers: Tuple[Tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What the HTTP layer does with a request: write ``reply`` after ``delay`` seconds, or close (reply None)."""

    reply: Optional[Reply]
    delay: float = 0.0


class ApiError(Exception):
    """Raised while handling a request to answer it with a JSON error."""

    def __init__(self, status: int, payload: JsonObject) -> None:
        super().__init__(status, payload)
        self.status = status
        self.payload = payload


def json_reply(status: int, payload: Any, headers: Tuple[Tuple[str, str], ...] = ()) -> Reply:
    """Build a JSON reply."""
    return Reply(status, json.dumps(payload).encode("utf-8"), JSON_CONTENT_TYPE, headers)
