"""Small value types shared by the mock server's modules: a recorded request, a reply, an outcome, an API error."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

JsonObject = Dict[str, Any]

JSON_CONTENT_TYPE = "application/json; charset=utf-8"


@dataclass(frozen=True)
class RecordedRequest:
    """One request the mock server received, as it arrived (faulted requests included).

    ``path`` is the raw path without the query string (percent-escapes kept), ``query`` maps each
    parameter to its last value, ``headers`` has lower-cased names (repeated headers joined with
    ``", "``), ``body`` is the whole body (de-chunked), ``client_port`` is the client's source port, and
    ``raw_query`` the query string as sent.
    """

    method: str
    path: str
    query: Dict[str, str]
    headers: Dict[str, str]
    body: bytes
    client_port: int = 0
    raw_query: str = ""

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
    """What the HTTP layer does with a request: write ``reply`` after ``delay`` seconds, or close (reply None).

    ``webhooks`` are the deliveries the request caused, ``(url, body)`` each, posted once the answer is out.
    """

    reply: Optional[Reply]
    delay: float = 0.0
    webhooks: Tuple[Tuple[str, bytes], ...] = ()


class ApiError(Exception):
    """Raised while handling a request to answer it with a JSON error."""

    def __init__(self, status: int, payload: JsonObject) -> None:
        super().__init__(status, payload)
        self.status = status
        self.payload = payload


def json_reply(status: int, payload: Any, headers: Tuple[Tuple[str, str], ...] = ()) -> Reply:
    """Build a JSON reply, with the ``X-Request-Id`` Rails adds to every answer."""
    request_id = (("X-Request-Id", str(uuid.uuid4())),)
    return Reply(status, json.dumps(payload).encode("utf-8"), JSON_CONTENT_TYPE, request_id + headers)
