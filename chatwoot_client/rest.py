"""The only module that talks to urllib3: the connection pool, TLS, timeouts, the retry policy and redirects.

urllib3 errors and HTTP statuses outside 2xx become chatwoot_client exceptions here.
"""

from __future__ import annotations

import http.client
import logging
import random
import ssl
import time
from typing import Any, Dict, Mapping, Optional, Tuple, Union
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3
from urllib3.exceptions import (
    HTTPError,
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

from chatwoot_client.configuration import Configuration, Timeout
from chatwoot_client.exceptions import (
    ApiConnectionError,
    ApiTimeoutError,
    from_response,
    parse_retry_after,
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


class SafeRetry(urllib3.util.Retry):
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
        return parse_retry_after(response.headers.get("Retry-After"))

    def get_backoff_time(self) -> float:
        attempts = len(self.history)
        if attempts == 0:
            return 0.0
        delay = min(BACKOFF_MAX, BACKOFF_START * 2.0 ** (attempts - 1))
        return delay * (1 - BACKOFF_JITTER * random.random())

    def sleep(self, response: Any = None) -> None:
        wait = self.get_retry_after(response) if response is not None else None
        _sleep(wait if wait is not None else self.get_backoff_time())


def retry_policy(setting: Any) -> urllib3.util.Retry:
    """The urllib3 Retry for a Configuration.retries value."""
    if isinstance(setting, urllib3.util.Retry):
        return setting.new(raise_on_status=False)
    total = MAX_RETRIES if setting is None else int(setting)
    return SafeRetry(
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


def _path(url: Optional[str]) -> str:
    """The path and query of a URL, for log lines."""
    parts = urlsplit(url or "")
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _origin(url: str) -> Tuple[str, str, int]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(scheme, 0)


def _same_origin(origin: str, target: str) -> bool:
    """True when ``target`` is on the origin of ``origin``, or is its https upgrade on the same host."""
    source, destination = _origin(origin), _origin(target)
    if source == destination:
        return True
    return source[0] == "http" and destination == ("https", source[1], 443) and source[2] == 80


def _timeout(value: Timeout) -> urllib3.Timeout:
    if isinstance(value, urllib3.Timeout):
        return value
    if isinstance(value, tuple):
        return urllib3.Timeout(connect=value[0], read=value[1])
    return urllib3.Timeout(connect=value, read=value)


def _connection_error(err: BaseException) -> ApiConnectionError:
    """Our exception for a urllib3 error that left no HTTP answer."""
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
        self.origin = configuration.host
        self.retries = retry_policy(configuration.retries)
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
                configuration.proxy, proxy_headers=configuration.proxy_headers, **pool_args
            )
        else:
            self.pool_manager = urllib3.PoolManager(**pool_args)

    def request(
        self,
        method: str,
        url: str,
        headers: Dict[str, str],
        body: Optional[bytes],
        timeout: Timeout,
        preload_content: bool = True,
    ) -> Union[RESTResponse, urllib3.BaseHTTPResponse]:
        """Send one call (with its retries and same-origin redirects) and return a 2xx answer, or raise."""
        started = time.monotonic()
        for _ in range(MAX_REDIRECTS + 1):
            response = self._send(method, url, headers, body, timeout, preload_content)
            location = response.headers.get("Location") if response.status in _REDIRECT_STATUSES else None
            if location is None:
                break
            target = urljoin(url, location)
            response.drain_conn()
            if method not in _REDIRECTED_METHODS or not _same_origin(self.origin, target):
                raise ApiException(response.status, f"Redirect to {target} not followed", None, response.headers)
            url = target
        else:
            raise ApiException(response.status, f"Too many redirects, the last to {target}", None, response.headers)
        attempts = len(response.retries.history) + 1 if response.retries is not None else 1
        logger.debug(
            "%s %s -> %d in %.0f ms (attempt %d)",
            method,
            _path(url),
            response.status,
            (time.monotonic() - started) * 1000,
            attempts,
        )
        if preload_content or not 200 <= response.status <= 299:
            try:
                data = response.data
            except (HTTPError, OSError, http.client.HTTPException) as err:
                raise _connection_error(err) from err
            if not 200 <= response.status <= 299:
                raise from_response(response.status, response.reason, data, response.headers)
            return RESTResponse(response, data)
        return response

    def _send(
        self,
        method: str,
        url: str,
        headers: Dict[str, str],
        body: Optional[bytes],
        timeout: Timeout,
        preload_content: bool,
    ) -> urllib3.BaseHTTPResponse:
        try:
            return self.pool_manager.urlopen(
                method,
                url,
                body=body,
                headers=headers,
                retries=self.retries,
                redirect=False,
                timeout=_timeout(timeout),
                preload_content=preload_content,
            )
        except (HTTPError, OSError, http.client.HTTPException) as err:
            raise _connection_error(err) from err

    def close(self) -> None:
        """Close every pooled connection."""
        self.pool_manager.clear()
