"""Fault injection: the queue of failures, delays, dropped connections and redirects the next requests get.

Faults are consumed in order of arrival: each request takes one use of the first queued fault whose
method filter matches it. A fault that ``processes`` lets the request act first (a 500 after the
message was saved, a delay, a dropped answer); the others answer without acting. ``after_save``
chooses the side of storing: a failure or a drop before the request acted or after it, a delay
after acting (a late answer) or before (slow processing that stores only once the wait is over).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Dict, List, Optional, Tuple, Union

from chatwoot_client.testing._records import JSON_CONTENT_TYPE, Reply

FAIL = "fail"
DELAY = "delay"
DROP = "drop"
REDIRECT = "redirect"

_PROXY_STATUSES = (502, 503, 504)  # answered by a proxy with an HTML page
_NO_BODY_STATUSES = (204, 304)

Body = Union[str, bytes, Dict[str, Any], List[Any], None]


@dataclass
class Fault:
    """One queued fault and how many more requests it applies to."""

    kind: str
    remaining: int
    method: Optional[str] = None
    reply: Optional[Reply] = None
    seconds: float = 0.0
    after_save: Optional[bool] = None  # None: the kind's default side (see ``processes``)

    @property
    def processes(self) -> bool:
        """Whether the request is handled (and may change state) before the fault answers."""
        if self.after_save is not None:
            return self.after_save or self.kind == DELAY
        if self.kind == FAIL:
            return self.reply is not None and (self.reply.status == 500 or 200 <= self.reply.status < 300)
        return self.kind in (DELAY, DROP)


class FaultQueue:
    """The queued faults; the engine's lock guards it."""

    def __init__(self) -> None:
        self._faults: List[Fault] = []

    def add(self, fault: Fault) -> None:
        """Queue a fault after the ones already waiting."""
        self._faults.append(fault)

    def take(self, method: str) -> Optional[Fault]:
        """Use the first fault that applies to a request with this method, if any."""
        for index, fault in enumerate(self._faults):
            if fault.method is None or fault.method == method:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    del self._faults[index]
                return fault
        return None

    def clear(self) -> None:
        """Drop every queued fault."""
        self._faults.clear()


def failure(
    status: int,
    times: int,
    method: Optional[str],
    retry_after: Union[int, str, None],
    body: Body,
    content_type: Optional[str],
    after_save: Optional[bool] = None,
) -> Fault:
    """A fault answering ``status`` with a realistic default body, or the given one."""
    _check_status("status", status, 200, 599)
    if body is None:
        payload, default_type = _default_body(status)
    else:
        payload, default_type = _encode_body(body)
    if status in _NO_BODY_STATUSES:
        payload = b""
    headers: Tuple[Tuple[str, str], ...] = ()
    if retry_after is not None:
        if isinstance(retry_after, bool) or not isinstance(retry_after, (int, str)):
            raise TypeError(f"retry_after must be an int or a str, got {type(retry_after).__name__}")
        headers = (("Retry-After", _header_value("retry_after", str(retry_after))),)
    reply = Reply(status, payload, content_type or default_type, headers)
    return Fault(FAIL, _check_times(times), _check_method(method), reply, after_save=_check_side(after_save, True))


def redirect(location: str, status: int, times: int, method: Optional[str]) -> Fault:
    """A fault answering a redirect to ``location``."""
    _check_status("status", status, 300, 399)
    if not isinstance(location, str):
        raise TypeError(f"location must be a str, got {type(location).__name__}")
    page = f'<html><body>You are being <a href="{location}">redirected</a>.</body></html>'.encode()
    reply = Reply(status, page, "text/html; charset=utf-8", (("Location", _header_value("location", location)),))
    return Fault(REDIRECT, _check_times(times), _check_method(method), reply)


def delay(seconds: float, times: int, method: Optional[str], after_save: bool = True) -> Fault:
    """A fault answering only after ``seconds``: the request is handled first, or (``after_save`` False) after."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not math.isfinite(seconds):
        raise TypeError(f"seconds must be a finite number, got {seconds!r}")
    if seconds < 0:
        raise ValueError(f"seconds must not be negative, got {seconds!r}")
    fault = Fault(DELAY, _check_times(times), _check_method(method), seconds=float(seconds))
    fault.after_save = _check_side(after_save, False)
    return fault


def drop(times: int, method: Optional[str], after_save: bool = True) -> Fault:
    """A fault closing the connection without an answer, after handling the request or (``after_save`` False) not."""
    return Fault(DROP, _check_times(times), _check_method(method), after_save=_check_side(after_save, False))


def reason_phrase(status: int) -> str:
    """The standard reason phrase of a status, or ``"Error"`` for an unregistered one."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _default_body(status: int) -> Tuple[bytes, str]:
    """What a Chatwoot deployment sends with this status: plain text, a proxy's HTML page, or a JSON error."""
    if status == 429:
        return b"Retry later\n", "text/plain"  # rack-attack's default responder
    title = f"{status} {reason_phrase(status)}"
    if status in _PROXY_STATUSES:
        page = (
            f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n"
            "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
        )
        return page.encode(), "text/html; charset=utf-8"
    return json.dumps({"error": reason_phrase(status)}).encode(), JSON_CONTENT_TYPE


def _encode_body(body: Any) -> Tuple[bytes, str]:
    """Encode a caller's body: a dict or list as JSON, a str as plain text, bytes as they are."""
    if isinstance(body, (dict, list)):
        return json.dumps(body).encode(), JSON_CONTENT_TYPE
    if isinstance(body, str):
        return body.encode(), "text/plain; charset=utf-8"
    if isinstance(body, (bytes, bytearray)):
        return bytes(body), "application/octet-stream"
    raise TypeError(f"body must be a str, bytes, dict or list, got {type(body).__name__}")


def _check_status(name: str, status: int, lowest: int, highest: int) -> None:
    if isinstance(status, bool) or not isinstance(status, int):
        raise TypeError(f"{name} must be an int, got {type(status).__name__}")
    if not lowest <= status <= highest:
        raise ValueError(f"{name} must be between {lowest} and {highest}, got {status}")


def _check_side(after_save: Optional[bool], none_allowed: bool) -> Optional[bool]:
    if after_save is None and none_allowed:
        return None
    if not isinstance(after_save, bool):
        raise TypeError(f"after_save must be True or False, got {after_save!r}")
    return after_save


def _check_times(times: int) -> int:
    if isinstance(times, bool) or not isinstance(times, int):
        raise TypeError(f"times must be an int, got {type(times).__name__}")
    if times < 1:
        raise ValueError(f"times must be at least 1, got {times}")
    return times


def _check_method(method: Optional[str]) -> Optional[str]:
    if method is None:
        return None
    if not isinstance(method, str) or not method.isalpha():
        raise ValueError(f"method must be an HTTP method name such as 'POST', got {method!r}")
    return method.upper()


def _header_value(name: str, value: str) -> str:
    if "\r" in value or "\n" in value:
        raise ValueError(f"{name} must not contain CR or LF")
    return value
