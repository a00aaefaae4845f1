"""The exceptions chatwoot_client raises, and the table that picks one for an HTTP status.

::

    OpenApiException
     +-- ApiTypeError (also TypeError)       a caller mistake in a type or keyword
     +-- ApiValueError (also ValueError)     a caller mistake in a value
     +-- ApiKeyError (also KeyError)
     +-- ApiException(status, reason, body, headers)
          +-- BadRequestException             400
          +-- UnauthorizedException           401
          +-- ForbiddenException              403
          +-- NotFoundException               404
          +-- UnprocessableEntityException    422
          +-- TooManyRequestsException        429 (retry_after)
          +-- ServiceException                5xx
          +-- ApiConnectionError              no HTTP answer (status 0)
               +-- ApiTimeoutError            the connect or read timed out
"""

from __future__ import annotations

import email.utils
import json
import re
import time
from typing import Any, Dict, Iterable, List, Mapping, Optional, Type
from urllib.parse import quote

_BODY_EXCERPT = 200  # characters of a non-JSON body shown in str(exc)
_MASK = "***"
_SECONDS = re.compile(r"[0-9]{1,12}")  # ASCII digits only: str.isdigit() also takes Arabic-Indic and superscripts


class OpenApiException(Exception):
    """The base of every exception chatwoot_client raises."""


class ApiTypeError(OpenApiException, TypeError):
    """A caller passed an argument of the wrong type or an unknown keyword."""


class ApiValueError(OpenApiException, ValueError):
    """A caller passed an argument with a wrong value."""


class ApiKeyError(OpenApiException, KeyError):
    """A key the SDK needed was missing."""


class ApiException(OpenApiException):
    """An HTTP answer outside 2xx, or no usable answer at all.

    ``status`` is the HTTP status (0 when there was no answer), ``reason`` the reason phrase,
    ``body`` the body as text and ``headers`` the answer's headers (never the request's). A create's
    exception also carries ``client_message_id`` and ``stored`` (True, False, or None for unknown).
    """

    client_message_id: Optional[str] = None
    stored: Optional[bool] = None

    def __init__(
        self,
        status: Optional[int] = None,
        reason: Optional[str] = None,
        body: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        self.status = status
        self.reason = reason
        self.body = body
        self.headers = headers
        super().__init__(status, reason)

    @property
    def server_message(self) -> Optional[str]:
        """The server's error text: JSON ``error``/``message``/``errors``, else the start of the body."""
        try:
            return _server_message(_as_text(self.body))
        except Exception:  # a body of any shape must not stop the error from being shown
            return None

    def __str__(self) -> str:
        try:
            text = f"({self.status}) {_as_text(self.reason) or ''}".rstrip()
            message = self.server_message
            return f"{text}: {message}" if message else text
        except Exception:
            return f"({type(self).__name__})"

    def __repr__(self) -> str:
        try:
            return f"{type(self).__name__}({str(self)!r})"
        except Exception:
            return f"{type(self).__name__}()"

    def _hide(self, secrets: Iterable[Optional[str]]) -> ApiException:
        """Mask every secret (the access token, credentials) in what the server sent back; returns self.

        Servers echo what they were sent: an error text, a body, a Location header may hold the token.
        """
        forms = _secret_forms(secrets)
        if not forms:
            return self
        self.reason = _masked(self.reason, forms)
        self.body = _masked(self.body, forms)
        self.headers = _masked_headers(self.headers, forms)
        self.args = tuple(_masked(arg, forms) for arg in self.args)
        _mask_chain(self, forms)
        return self


class BadRequestException(ApiException):
    """400: the server could not read the request."""


class UnauthorizedException(ApiException):
    """401: missing or wrong token, or a token that may not do this."""


class ForbiddenException(ApiException):
    """403: the token may not do this."""


class NotFoundException(ApiException):
    """404: the account, conversation or message does not exist."""


class UnprocessableEntityException(ApiException):
    """422: the server refused the message (for example incoming outside an API inbox)."""


class TooManyRequestsException(ApiException):
    """429: throttled; ``retry_after`` is the wait the server asked for in seconds, or None."""

    @property
    def retry_after(self) -> Optional[float]:
        return _parse_retry_after((self.headers or {}).get("Retry-After"))


class ServiceException(ApiException):
    """5xx: the server or a proxy in front of it failed."""


class ApiConnectionError(ApiException):
    """No HTTP answer: the connection was refused, reset or dropped, or DNS or TLS failed."""

    def __init__(self, reason: str = "Connection error", *args: Any) -> None:
        super().__init__(0, reason, *args)


class ApiTimeoutError(ApiConnectionError):
    """The connect or the read timed out."""


_STATUS_EXCEPTIONS: Dict[int, Type[ApiException]] = {
    400: BadRequestException,
    401: UnauthorizedException,
    403: ForbiddenException,
    404: NotFoundException,
    422: UnprocessableEntityException,
    429: TooManyRequestsException,
}


def _exception_class_for(status: int) -> Type[ApiException]:
    """The exception class for an HTTP status."""
    if 500 <= status <= 599:
        return ServiceException
    return _STATUS_EXCEPTIONS.get(status, ApiException)


def _from_response(status: int, reason: Optional[str], data: bytes, headers: Mapping[str, str]) -> ApiException:
    """The exception for an answer whose status is not 2xx."""
    body = data.decode("utf-8", "replace") if data else ""
    return _exception_class_for(status)(status, reason, body, headers)


def _parse_retry_after(value: Optional[str]) -> Optional[float]:
    """Seconds to wait from a Retry-After value (seconds or an HTTP date); None when absent or unreadable."""
    if not isinstance(value, str):
        return None
    value = value.strip(" \t")
    if _SECONDS.fullmatch(value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError, IndexError, OverflowError, AttributeError):
        return None


def _as_text(value: Any) -> Optional[str]:
    """A body or reason as text, whatever its type (bytes are decoded, undecodable bytes replaced)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def _secret_forms(secrets: Iterable[Optional[str]]) -> List[str]:
    """Each secret as sent and as a server may echo it (percent-encoded, JSON-escaped), longest first."""
    forms = set()
    for secret in secrets:
        if isinstance(secret, str) and secret:
            forms.update({secret, quote(secret, safe=""), quote(secret), json.dumps(secret)[1:-1]})
    return sorted(forms, key=len, reverse=True)


def _masked(value: Any, forms: List[str]) -> Any:
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value).decode("utf-8", "replace")
    if not isinstance(value, str):
        return value
    for form in forms:
        value = value.replace(form, _MASK)
    return value


_CHAIN_LIMIT = 32  # exceptions of a chain looked at, at most


def _mask_chain(error: BaseException, forms: List[str]) -> None:
    """Mask the secrets in every exception chained to ``error`` (__cause__ and __context__, and theirs).

    A traceback prints the whole chain, and urllib3's errors quote what the server sent: a status line, a chunk
    size, a header. Each linked exception has its arguments and text attributes masked; a link that still shows
    a secret after that (an exception that builds its text some other way) is cut from the chain, and so is
    whatever lies past the first ``_CHAIN_LIMIT`` exceptions: nothing unmasked is left linked.
    """
    masked = {id(error)}  # exceptions whose arguments and attributes are masked (some are held in arguments)
    walked = {id(error)}  # exceptions whose links are followed
    pending: List[BaseException] = [error]
    while pending:
        current = pending.pop()
        for attribute in ("__cause__", "__context__"):
            linked = getattr(current, attribute, None)
            if linked is None or id(linked) in walked:
                continue
            if len(walked) >= _CHAIN_LIMIT or _shows_once_masked(linked, forms, masked):
                _cut(current, attribute)
                continue
            walked.add(id(linked))
            pending.append(linked)


def _shows_once_masked(error: BaseException, forms: List[str], masked: set[int]) -> bool:
    """Mask ``error`` (once) and tell whether its text still shows a secret."""
    if id(error) not in masked:
        masked.add(id(error))
        _mask_exception(error, forms, masked)
    return _shows(error, forms)


def _cut(error: BaseException, attribute: str) -> None:
    """Unlink ``error``'s cause or context, so that a traceback does not print it."""
    setattr(error, attribute, None)
    if attribute == "__context__":
        error.__suppress_context__ = True


def _mask_exception(error: BaseException, forms: List[str], seen: set[int]) -> None:
    """Mask the secrets in an exception's arguments and attributes, and in exceptions held by them."""
    try:
        error.args = tuple(_masked_value(arg, forms, seen) for arg in error.args)
        for name, value in list(vars(error).items()):
            masked = _masked_value(value, forms, seen)
            if masked is not value:
                setattr(error, name, masked)
    except Exception:  # an exception class that refuses new attributes: _shows() then decides
        pass


def _masked_value(value: Any, forms: List[str], seen: set[int]) -> Any:
    """A str or bytes with the secrets masked (same type, the same object when there is none); an exception
    masked in place; anything else as it is."""
    if isinstance(value, BaseException):
        if id(value) not in seen and len(seen) < _CHAIN_LIMIT:
            seen.add(id(value))
            _mask_exception(value, forms, seen)
        return value
    if isinstance(value, str):
        return _masked(value, forms) if any(form in value for form in forms) else value
    if isinstance(value, (bytes, bytearray)):
        text = bytes(value).decode("utf-8", "replace")
        return _masked(text, forms).encode("utf-8") if any(form in text for form in forms) else value
    return value


def _shows(error: BaseException, forms: List[str]) -> bool:
    """True when the text a traceback prints for ``error`` shows a secret (or cannot be made)."""
    try:
        text = f"{error}\n{error!r}"
    except Exception:
        return True
    return any(form in text for form in forms)


def _masked_headers(headers: Optional[Mapping[str, str]], forms: List[str]) -> Optional[Mapping[str, str]]:
    if headers is None:
        return None
    try:
        items = list(headers.items())
    except Exception:
        return None
    if not any(isinstance(value, str) and any(form in value for form in forms) for _, value in items):
        return headers
    from urllib3._collections import HTTPHeaderDict  # the type urllib3 gives answers, in 1.26 and 2.x

    masked = HTTPHeaderDict()
    for name, value in items:
        masked.add(name, _masked(value, forms))
    return masked


def _server_message(body: Optional[str]) -> Optional[str]:
    """The error text of a body: JSON error/message/errors, else its first characters on one line."""
    if not body:
        return None
    text = body.strip()
    if text.startswith("{"):
        try:
            document: Any = json.loads(text)
        except (ValueError, RecursionError):
            document = None
        if isinstance(document, dict):
            text = _json_error_text(document) or text
    return " ".join(text[:_BODY_EXCERPT].split()) or None


def _json_error_text(document: Dict[str, Any]) -> Optional[str]:
    for key in ("error", "message"):
        if isinstance(document.get(key), str):
            return str(document[key])
    errors = document.get("errors")
    if isinstance(errors, list) and errors:
        return ", ".join(item if isinstance(item, str) else json.dumps(item)[:_BODY_EXCERPT] for item in errors)
    if isinstance(errors, str):
        return errors
    return None


__all__ = [
    "OpenApiException",
    "ApiTypeError",
    "ApiValueError",
    "ApiKeyError",
    "ApiException",
    "BadRequestException",
    "UnauthorizedException",
    "ForbiddenException",
    "NotFoundException",
    "UnprocessableEntityException",
    "TooManyRequestsException",
    "ServiceException",
    "ApiConnectionError",
    "ApiTimeoutError",
]
