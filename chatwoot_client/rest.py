"""The only module that talks to urllib3: the connection pool, TLS, timeouts, the retry policy and redirects.

urllib3 errors and HTTP statuses outside 2xx become chatwoot_client exceptions here.
"""

from __future__ import annotations

import http.client
import logging
import random
import ssl
import threading
import time
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3
from urllib3.exceptions import (
    HTTPError,
    LocationParseError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ProxyError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.exceptions import (
    TimeoutError as Urllib3TimeoutError,
)

from chatwoot_client._deadline import POOL_CLASSES, WATCHDOG
from chatwoot_client.configuration import _URL_BAD, Configuration, Timeout, _checked_headers
from chatwoot_client.exceptions import (
    ApiConnectionError,
    ApiTimeoutError,
    _from_response,
    _masked,
    _parse_retry_after,
    _secret_forms,
)
from chatwoot_client.exceptions import (
    ApiException as ApiException,  # re-exported: generated clients import ApiException from rest
)

logger = logging.getLogger(__name__)

BACKOFF_START = 0.5  # seconds before the first retry
BACKOFF_MAX = 8.0  # seconds: the longest backoff between two attempts
BACKOFF_JITTER = 0.25  # each backoff is shortened by up to this fraction, at random
MAX_RETRY_AFTER = 60  # seconds: a longer Retry-After ends retrying
MAX_RETRIES = 3
MAX_REDIRECTS = 5
MAX_ANSWER_SIZE = 64 * 1024 * 1024  # bytes: the largest answer body, after decompression, the SDK reads
_READ_SIZE = 256 * 1024  # bytes read at a time from a compressed or chunked answer
_DISCARD_SIZE = 64 * 1024  # bytes of a redirect's body read to keep its connection; more and it is closed
_FRAMING_ERRORS = (HTTPError, OSError, http.client.HTTPException, ValueError, OverflowError)
_TIMEOUTS: Dict[Any, urllib3.Timeout] = {}  # timeout setting -> urllib3.Timeout, see _timeout()
_TIMEOUTS_KEPT = 64
_URLLIB3_LOGGERS = (
    "urllib3.connectionpool",
    "urllib3.connection",
    "urllib3.poolmanager",
    "urllib3.response",
    "urllib3.util.retry",
)
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}

__all__ = ["ApiException", "RESTClientObject", "RESTResponse"]


# Methods whose request may be sent again after the server may have acted on it: reading, deleting and setting a
# status are idempotent. POST (create, retry) is not, and is resent only where the server cannot have acted.
_RETRIED_METHODS = frozenset({"GET", "DELETE", "PATCH"})
_REDIRECTED_METHODS = frozenset({"GET", "DELETE"})  # the token follows a redirect of these only, on the same origin


def _sleep(seconds: float) -> None:
    """Wait between attempts; the one place backoff sleeps (tests replace it)."""
    time.sleep(seconds)


class _SafeRetry(urllib3.util.Retry):
    """The SDK's retry policy.

    GET, DELETE and PATCH are retried on connect errors, read errors, 429, 502, 503 and 504. POST only where the server
    cannot have acted: a connection never established (urllib3 retries those for any method) and 429. Backoff
    starts at 0.5 s, doubles, is capped at 8 s and jittered; Retry-After replaces it, and one over 60 s ends retrying.
    """

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        if status_code == 429:
            return True
        return super().is_retry(method, status_code, has_retry_after)

    def increment(self, method: Optional[str] = None, url: Optional[str] = None, *args: Any, **kwargs: Any) -> Any:
        response = kwargs.get("response")
        error = kwargs.get("error")
        logger.debug(
            "%s %s attempt %d failed: %s", method, _path(url), len(self.history) + 1, error or _status(response)
        )
        if response is not None:
            wait = self.get_retry_after(response)
            if wait is not None and wait > MAX_RETRY_AFTER:
                # The server asked for a longer wait than a call should block: hand its answer to the caller.
                pool: Any = kwargs.get("_pool")
                raise MaxRetryError(pool, url or "", urllib3.exceptions.ResponseError("Retry-After"))
        return super().increment(method, url, *args, **kwargs)

    def get_retry_after(self, response: Any) -> Optional[float]:
        # urllib3's own parser raises on a value that is neither seconds nor a date; such a header is ignored.
        return _parse_retry_after(response.headers.get("Retry-After"))

    def get_backoff_time(self) -> float:
        attempts = len(self.history)
        if attempts == 0:
            return 0.0
        delay = min(BACKOFF_MAX, BACKOFF_START * 2.0 ** (attempts - 1))
        return delay * (1 - BACKOFF_JITTER * random.random())

    def sleep(self, response: Any = None) -> None:
        wait = self.get_retry_after(response) if response is not None else None
        _sleep(wait if wait is not None else self.get_backoff_time())


def _retry_policy(setting: Any) -> urllib3.util.Retry:
    """The urllib3 Retry for a Configuration.retries value."""
    if isinstance(setting, urllib3.util.Retry):
        return setting.new(raise_on_status=False)
    total = MAX_RETRIES if setting is None else int(setting)
    return _SafeRetry(
        total=total,
        other=0,
        redirect=False,
        allowed_methods=_RETRIED_METHODS,
        status_forcelist=frozenset({429, 502, 503, 504}),
        raise_on_status=False,
        respect_retry_after_header=True,
    )


def _status(response: Any) -> str:
    return f"status {response.status}" if response is not None else "no answer"


class _CallState(threading.local):
    secrets: Optional[Iterable[Optional[str]]] = None  # what the call in progress on this thread must not show


_CALL = _CallState()


class _MaskSecrets(logging.Filter):
    """Masks the secrets of the call in progress on this thread in the log lines made during it.

    urllib3 logs a retry with the error that caused it, and that error quotes what the server sent (a status
    line, a chunk size), which may echo the token; so do this module's own lines about failed attempts.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = _CALL.secrets
        if secrets:
            try:
                message = record.getMessage()
                masked = _masked(message, _secret_forms(secrets))
            except Exception:  # a record that cannot be formatted is the logging module's to report
                return True
            if masked != message:
                record.msg, record.args = masked, None
        return True


_MASK_FILTER = _MaskSecrets()
for _name in (__name__, *_URLLIB3_LOGGERS):
    logging.getLogger(_name).addFilter(_MASK_FILTER)


def _path(url: Optional[str]) -> str:
    """The path and query of a URL, for log lines."""
    parts = urlsplit(url or "")
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _origin(url: str) -> Optional[Tuple[str, str, int]]:
    """(scheme, host, port) of an http(s) URL as urllib3, which connects, reads it; None when it cannot be read,
    carries credentials, or the standard library reads its origin differently."""
    if _URL_BAD.search(url):
        return None
    try:
        parsed = urllib3.util.parse_url(url)
        parts = urlsplit(url)
        other = (parts.scheme.lower(), (parts.hostname or "").lower(), parts.port)
    except (LocationParseError, ValueError):
        return None
    scheme = (parsed.scheme or "").lower()
    host = (parsed.host or "").lower()
    if scheme not in _DEFAULT_PORTS or not host or parsed.auth is not None or "@" in (parts.netloc or ""):
        return None
    if other != (scheme, host.strip("[]"), parsed.port) or parsed.port == 0:
        return None
    return scheme, host, parsed.port or _DEFAULT_PORTS[scheme]


def _same_origin(origin: str, target: str) -> bool:
    """True when ``target`` is on the origin of ``origin``, or is its https upgrade on the same host; False for
    any URL that either of them cannot be read, or is read differently by two parsers."""
    source, destination = _origin(origin), _origin(target)
    if source is None or destination is None:
        return False
    if source == destination:
        return True
    return source[0] == "http" and destination == ("https", source[1], 443) and source[2] == 80


def _read_body(response: urllib3.BaseHTTPResponse) -> bytes:
    """The whole body, decoded, within the attempt's deadline and at most MAX_ANSWER_SIZE bytes."""
    headers = response.headers
    try:
        length = headers.get("Content-Length", "")
        plain = headers.get("Content-Encoding", "identity").strip().lower() == "identity"
        if length.isascii() and length.isdigit() and "Transfer-Encoding" not in headers:
            if int(length) > MAX_ANSWER_SIZE and plain:
                raise _too_large(response)
            if plain:
                data = response.read()
                if WATCHDOG.expired():
                    raise ApiTimeoutError("Timed out: the answer did not arrive within the read timeout")
                return data
        chunks: List[bytes] = []
        size = 0
        for chunk in response.stream(_READ_SIZE):
            size += len(chunk)
            if size > MAX_ANSWER_SIZE:
                raise _too_large(response)
            chunks.append(chunk)
    except ApiException:
        response.close()
        raise
    except _FRAMING_ERRORS as err:
        response.close()
        raise _connection_error(err) from err
    if WATCHDOG.expired():
        raise ApiTimeoutError("Timed out: the answer did not arrive within the read timeout")
    return b"".join(chunks)


def _too_large(response: urllib3.BaseHTTPResponse) -> ApiException:
    return ApiException(response.status, f"Answer too large: more than {MAX_ANSWER_SIZE} bytes", None, response.headers)


def _discard(response: urllib3.BaseHTTPResponse) -> None:
    """Read a redirect's short body so its connection can serve again; close a connection with more."""
    try:
        length = response.headers.get("Content-Length", "")
        if length.isascii() and length.isdigit() and int(length) <= _DISCARD_SIZE:
            response.read()
        else:
            response.close()
        response.release_conn()
    except _FRAMING_ERRORS:
        response.close()


def _timeout(value: Timeout) -> urllib3.Timeout:
    """urllib3's Timeout for a timeout setting. Made once per setting: urllib3 clones it for each attempt."""
    if isinstance(value, urllib3.Timeout):
        return value
    made = _TIMEOUTS.get(value)
    if made is None:
        if isinstance(value, tuple):
            made = urllib3.Timeout(connect=value[0], read=value[1])
        else:
            made = urllib3.Timeout(connect=value, read=value)
        if len(_TIMEOUTS) >= _TIMEOUTS_KEPT:
            _TIMEOUTS.clear()
        _TIMEOUTS[value] = made
    return made


def _connection_error(err: BaseException) -> ApiConnectionError:
    """Our exception for a urllib3 error that left no HTTP answer (or no whole one)."""
    if WATCHDOG.expired():
        return ApiTimeoutError("Timed out: the answer did not arrive within the read timeout")
    reason = err.reason if isinstance(err, MaxRetryError) and err.reason is not None else err
    if isinstance(reason, ProxyError) and isinstance(getattr(reason, "original_error", None), Exception):
        reason = reason.original_error
    if isinstance(reason, (ReadTimeoutError, Urllib3TimeoutError)) and not isinstance(reason, NewConnectionError):
        return ApiTimeoutError(f"Timed out: {reason}")
    if isinstance(reason, SSLError):
        return ApiConnectionError(f"TLS error: {reason}")
    if isinstance(reason, NewConnectionError):
        return ApiConnectionError(f"Connection failed: {reason}")
    if isinstance(reason, ProtocolError):
        return ApiConnectionError(f"Connection lost before an answer: {reason}")
    if isinstance(reason, (ValueError, OverflowError, http.client.HTTPException)):
        return ApiConnectionError(f"Unreadable answer: {type(reason).__name__}: {reason}")
    return ApiConnectionError(f"Connection error: {reason}")


class RESTResponse:
    """A read answer: status, reason, body bytes and headers."""

    __slots__ = ("data", "reason", "status", "urllib3_response")

    def __init__(self, response: urllib3.BaseHTTPResponse, data: bytes) -> None:
        self.urllib3_response = response
        self.status: int = response.status
        self.reason: Optional[str] = response.reason
        self.data = data

    def getheaders(self) -> Mapping[str, str]:
        """The answer's headers."""
        return self.urllib3_response.headers

    def getheader(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """One header of the answer."""
        return self.urllib3_response.headers.get(name, default)


class RESTClientObject:
    """A urllib3 pool configured from a Configuration; safe to share between threads."""

    def __init__(self, configuration: Configuration) -> None:
        self.configuration = configuration
        self._retries_setting: Any = configuration.retries
        self._retries = _retry_policy(configuration.retries)
        pool_args: Dict[str, Any] = {
            "num_pools": 4,
            "maxsize": configuration.connection_pool_maxsize,
            "cert_reqs": ssl.CERT_REQUIRED if configuration.verify_ssl else ssl.CERT_NONE,
            "ca_certs": configuration.ssl_ca_cert or certifi.where(),
            "cert_file": configuration.cert_file,
            "key_file": configuration.key_file,
        }
        if configuration.assert_hostname is not None:
            pool_args["assert_hostname"] = configuration.assert_hostname
        self.pool_manager: urllib3.PoolManager
        if configuration.proxy:
            self.pool_manager = urllib3.ProxyManager(
                configuration.proxy,
                proxy_headers=_checked_headers("proxy_headers", configuration.proxy_headers or {}),
                **pool_args,
            )
        else:
            self.pool_manager = urllib3.PoolManager(**pool_args)
        self.pool_manager.pool_classes_by_scheme = POOL_CLASSES

    @property
    def retries(self) -> urllib3.util.Retry:
        """The retry policy of Configuration.retries, read at each call (rebuilt only when the setting changes)."""
        setting = self.configuration.retries
        if setting is not self._retries_setting:
            self._retries, self._retries_setting = _retry_policy(setting), setting
        return self._retries

    def request(
        self,
        method: str,
        url: str,
        headers: Dict[str, str],
        body: Optional[bytes],
        timeout: Timeout,
        preload_content: bool = True,
        secrets: Iterable[Optional[str]] = (),
    ) -> Union[RESTResponse, urllib3.BaseHTTPResponse]:
        """Send one call (with its retries and same-origin redirects) and return a 2xx answer, or raise.

        Redirects are judged against the origin of ``url``, where the token was meant to go. Text the server
        sends back into an exception has each of ``secrets`` masked.
        """
        _CALL.secrets = secrets
        try:
            return self._request(method, url, headers, body, timeout, preload_content)
        except ApiException as error:
            raise error._hide(secrets) from error.__cause__
        finally:
            _CALL.secrets = None
            WATCHDOG.disarm()

    def _request(
        self,
        method: str,
        url: str,
        headers: Dict[str, str],
        body: Optional[bytes],
        timeout: Timeout,
        preload_content: bool,
    ) -> Union[RESTResponse, urllib3.BaseHTTPResponse]:
        started = time.monotonic()
        origin, retries = url, self.retries
        for _ in range(MAX_REDIRECTS + 1):
            response = self._send(method, url, headers, body, timeout, retries)
            location = response.headers.get("Location") if response.status in _REDIRECT_STATUSES else None
            if location is None:
                break
            _discard(response)
            try:
                target = urljoin(url, location)
            except ValueError:
                target = location
            readable = not _URL_BAD.search(location)  # urljoin drops tabs and newlines; such a Location is refused
            if method not in _REDIRECTED_METHODS or not readable or not _same_origin(origin, target):
                raise ApiException(response.status, f"Redirect to {target} not followed", None, response.headers)
            url, retries = target, response.retries or retries
        else:
            raise ApiException(response.status, f"Too many redirects, the last to {target}", None, response.headers)
        if logger.isEnabledFor(logging.DEBUG):  # the line's arguments cost more than a call's other bookkeeping
            logger.debug(
                "%s %s -> %d in %.0f ms (attempt %d)",
                method,
                _path(url),
                response.status,
                (time.monotonic() - started) * 1000,
                len(response.retries.history) + 1 if response.retries is not None else 1,
            )
        if preload_content or not 200 <= response.status <= 299:
            data = _read_body(response)
            if not 200 <= response.status <= 299:
                raise _from_response(response.status, response.reason, data, response.headers)
            return RESTResponse(response, data)
        return response

    def _send(
        self,
        method: str,
        url: str,
        headers: Dict[str, str],
        body: Optional[bytes],
        timeout: Timeout,
        retries: urllib3.util.Retry,
    ) -> urllib3.BaseHTTPResponse:
        try:
            return self.pool_manager.urlopen(
                method,
                url,
                body=body,
                headers=headers,
                retries=retries,
                redirect=False,
                timeout=_timeout(timeout),
                preload_content=False,
            )
        except _FRAMING_ERRORS as err:
            raise _connection_error(err) from err

    def close(self) -> None:
        """Close every pooled connection."""
        self.pool_manager.clear()
