"""Configuration: the server, the token, TLS, proxy, retries, timeouts and logging of an ApiClient."""

from __future__ import annotations

import logging
import math
import os
import re
import sys
import threading
from typing import Any, Callable, ClassVar, Dict, List, Mapping, Optional, Tuple, Union
from urllib.parse import urlsplit

import urllib3
from urllib3.exceptions import LocationParseError

from chatwoot_client._version import __version__
from chatwoot_client.exceptions import ApiValueError

Timeout = Union[float, Tuple[float, float], urllib3.Timeout]
Retries = Union[None, bool, int, urllib3.util.Retry]

DEFAULT_HOST = "https://app.chatwoot.com"
DEFAULT_TIMEOUT = (10.0, 30.0)  # seconds: (connect, read)
DEFAULT_POOL_MAXSIZE = 16  # connections kept per host; enough for 16 threads sharing one client
MAX_POOL_MAXSIZE = 1024  # urllib3 fills a queue of this size when it makes a pool: a huge one would stall a call
API_KEY = "api_access_token"
_PACKAGE_LOGGER = "chatwoot_client"
MAX_TIMEOUT = min(threading.TIMEOUT_MAX, 86400.0 * 365)  # seconds: the longest wait the platform's clocks take
_TOKEN_CHARS = re.compile(r"[!-~]+(?: [!-~]+)*")  # visible ASCII, single spaces inside (PREFIX TOKEN)
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # an RFC 9110 token
_HEADER_VALUE_BAD = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # CTLs but HTAB: CR, LF and NUL among them
_URL_BAD = re.compile(r"[\x00-\x20\x7f\\]")  # whitespace, control characters, backslash


def _check_timeout(name: str, value: Any) -> Timeout:
    """Return a timeout setting unchanged if it is a positive finite number, a (connect, read) pair of them or a
    urllib3 Timeout whose parts are; anything else raises ApiValueError naming ``name``."""
    if isinstance(value, urllib3.Timeout):
        parts: Tuple[Any, ...] = tuple(
            part
            # The parts as set: urllib3's connect_timeout and read_timeout properties raise on a Timeout with a total.
            for part in (value._connect, value._read, value.total)
            if isinstance(part, (int, float)) or part is None
        )
        if all(part is None or _valid_seconds(part) for part in parts):
            return value
    else:
        parts = value if isinstance(value, tuple) and len(value) == 2 else (value,)
        if all(_valid_seconds(part) for part in parts):
            return value  # type: ignore[no-any-return]
    raise ApiValueError(
        f"{name} must be a positive finite number of seconds (at most {MAX_TIMEOUT:.0f}) or a (connect, read) "
        f"pair of them, got {_safe_repr(value)}"
    )


def _valid_seconds(part: Any) -> bool:
    if isinstance(part, bool) or not isinstance(part, (int, float)):
        return False
    try:
        seconds = float(part)
    except (OverflowError, ValueError):
        return False
    return math.isfinite(seconds) and 0 < seconds <= MAX_TIMEOUT


def _check_header_value(name: str, value: Any) -> str:
    """Refuse a header that cannot be sent as it is: a name that is not an RFC 9110 token, a value that is not
    text, holds CR, LF, NUL or another control character, or cannot be encoded as latin-1. Neither the value nor
    (it may be a secret) any part of it is ever shown in the error."""
    if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
        raise ApiValueError(f"header name {_safe_repr(name, 40)} is not a valid HTTP header name")
    if not isinstance(value, str):
        raise ApiValueError(f"header {name} must be a str, got {type(value).__name__}")
    if _HEADER_VALUE_BAD.search(value):
        raise ApiValueError(f"header {name} must not contain CR or LF, NUL or other control characters")
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        raise ApiValueError(f"header {name} holds a character that cannot be sent in an HTTP header") from None
    return value


def _check_token(value: Any) -> str:
    """The access token (with its prefix) as a header value; the error never shows any of it."""
    if isinstance(value, (bytes, bytearray)):
        try:
            value = bytes(value).decode("ascii")
        except UnicodeDecodeError:
            value = None
    if not isinstance(value, str) or not _TOKEN_CHARS.fullmatch(value):
        raise ApiValueError(
            f"the access token (api_key['{API_KEY}'] and its prefix) must be printable ASCII, without CR or LF, "
            "NUL, other control characters or surrounding whitespace: it holds a character that cannot be sent in "
            "a header"
        )
    return value


def _safe_repr(value: Any, limit: int = 80) -> str:
    """repr() of a caller's value for an error message: never raises, never longer than ``limit``."""
    try:
        text = repr(value)
    except Exception:
        return f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _without_credentials(url: Optional[str]) -> Optional[str]:
    """A URL with any user:password@ replaced by ***@, for repr()."""
    if not url or "@" not in url:
        return url
    try:
        parts = urlsplit(url)
        return parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]).geturl()
    except ValueError:
        return "***"


def _settings_dict(name: str, value: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    """A dict setting: the caller's dict itself (so changing it in place works), a copy of another mapping, or a
    new empty dict for None."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    if isinstance(value, Mapping):
        return dict(value)
    raise ApiValueError(f"{name} must be a dict such as {{'{API_KEY}': ...}}, got {type(value).__name__}")


def _checked_headers(name: str, value: Mapping[str, Any]) -> Dict[str, str]:
    """A dict of headers, every name and value checked as _check_header_value checks them."""
    if not isinstance(value, Mapping):
        raise ApiValueError(f"{name} must be a dict of header names to values, got {type(value).__name__}")
    for header, text in value.items():
        _check_header_value(header, text)
    return dict(value)


def _host_error(value: str) -> Optional[str]:
    """Why ``value`` cannot be the host setting, or None: both urllib3 (which connects) and the standard library
    must read it, the same way."""
    if _URL_BAD.search(value):
        return "must not contain whitespace, control characters or a backslash"
    try:
        parts = urlsplit(value)
        port = parts.port
        parsed = urllib3.util.parse_url(value)
    except (ValueError, LocationParseError):
        return "must be an http or https URL with a valid host and a port from 1 to 65535"
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        return "must be an http or https URL such as https://app.chatwoot.com"
    if port == 0 or parsed.port != port or (parsed.host or "").lower().strip("[]") != _ascii_host(parts.hostname):
        return "must be a URL that every parser reads the same way, with a port from 1 to 65535"
    return None


def _ascii_host(hostname: str) -> str:
    try:
        return hostname.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return hostname.lower()


class _SharedFileHandlers:
    """One logging handler per log file, however many Configurations name it (counted, closed with the last)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._handlers: Dict[str, List[Any]] = {}  # absolute path -> [handler, users]

    def acquire(self, path: str, log_format: str) -> logging.Handler:
        key = os.path.abspath(path)
        with self._lock:
            entry = self._handlers.get(key)
            if entry is None:
                handler = logging.FileHandler(key)
                handler.setFormatter(logging.Formatter(log_format))
                logging.getLogger(_PACKAGE_LOGGER).addHandler(handler)
                entry = self._handlers[key] = [handler, 0]
            entry[1] += 1
            return entry[0]  # type: ignore[no-any-return]

    def release(self, handler: logging.Handler) -> None:
        with self._lock:
            for key, entry in list(self._handlers.items()):
                if entry[0] is handler:
                    entry[1] -= 1
                    if entry[1] <= 0:
                        del self._handlers[key]
                        logging.getLogger(_PACKAGE_LOGGER).removeHandler(handler)
                        handler.close()


_FILE_HANDLERS = _SharedFileHandlers()


class Configuration:
    """Settings for an ApiClient. The access token is never shown by repr() or to_debug_report().

    When each setting is read (docs/Configuration.md has the table): what a call sends and how often it tries
    (host, api_key, api_key_prefix, refresh_api_key_hook, timeout, retries) is read at each call, so a change
    reaches an ApiClient already made; how connections are made (verify_ssl, ssl_ca_cert, cert_file, key_file,
    assert_hostname, proxy, proxy_headers, connection_pool_maxsize) is read once, when the ApiClient is made;
    logging (debug, logger_file, logger_format) is process-wide and applied when set.

    :param host: base URL of the Chatwoot server, default https://app.chatwoot.com
    :param api_key: ``{"api_access_token": TOKEN}``
    :param api_key_prefix: ``{"api_access_token": PREFIX}``, sent as ``PREFIX TOKEN``
    :param retries: None for the SDK's retry policy, an int total, a urllib3 Retry, or 0/False for none
    :param timeout: (connect, read) seconds, or one number for both

    ``reconcile_creates`` (default True): a create whose answer is lost or a 5xx is looked up, and sent again
    only where that is safe; False turns those lookups and resends off (the client message id is still sent).
    """

    _default: ClassVar[Optional[Configuration]] = None

    def __init__(
        self,
        host: Optional[str] = None,
        api_key: Optional[Dict[str, str]] = None,
        api_key_prefix: Optional[Dict[str, str]] = None,
        retries: Retries = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        ssl_ca_cert: Optional[str] = None,
        verify_ssl: bool = True,
        proxy: Optional[str] = None,
        connection_pool_maxsize: int = DEFAULT_POOL_MAXSIZE,
    ) -> None:
        self.host = host or DEFAULT_HOST
        self.api_key = dict(api_key or {})
        self.api_key_prefix = dict(api_key_prefix or {})
        self.refresh_api_key_hook: Optional[Callable[[Configuration], None]] = None
        self.retries = retries
        self.timeout = timeout
        self.verify_ssl = verify_ssl
        self.ssl_ca_cert = ssl_ca_cert
        self.cert_file: Optional[str] = None
        self.key_file: Optional[str] = None
        self.assert_hostname: Union[bool, str, None] = None
        self.proxy = proxy
        self.proxy_headers = None
        self.connection_pool_maxsize = connection_pool_maxsize
        self.logger_format = "%(asctime)s %(levelname)s %(name)s %(message)s"
        self._logger_file: Optional[str] = None
        self._logger_file_handler: Optional[logging.Handler] = None
        self._debug = False
        self.reconcile_creates = True

    # -- validated settings ------------------------------------------------------------------------------------

    @property
    def host(self) -> str:
        """Base URL of the server: http or https, no path beyond the root."""
        return self._host

    @host.setter
    def host(self, value: str) -> None:
        if not isinstance(value, str):
            raise ApiValueError(f"host must be an http or https URL, got {type(value).__name__}")
        problem = _host_error(value)
        if problem is not None:
            raise ApiValueError(f"host {problem}, got {_without_credentials(value)!r}")
        self._host = value.rstrip("/")

    @property
    def proxy(self) -> Optional[str]:
        """URL of an http(s) proxy for every call, or None; credentials in it are never shown."""
        return self._proxy

    @proxy.setter
    def proxy(self, value: Optional[str]) -> None:
        if value is not None and not isinstance(value, str):
            raise ApiValueError(f"proxy must be an http or https URL or None, got {type(value).__name__}")
        problem = _host_error(value) if value else None
        if problem is not None:
            raise ApiValueError(f"proxy {problem}, got {_without_credentials(value)!r}")
        self._proxy = value or None

    @property
    def proxy_headers(self) -> Optional[Dict[str, str]]:
        """Headers sent to the proxy (not to the server), or None."""
        return self._proxy_headers

    @proxy_headers.setter
    def proxy_headers(self, value: Optional[Mapping[str, str]]) -> None:
        self._proxy_headers = _checked_headers("proxy_headers", value) if value is not None else None

    @property
    def api_key(self) -> Dict[str, str]:
        """``{"api_access_token": TOKEN}``: a dict, changed in place or replaced."""
        return self._api_key

    @api_key.setter
    def api_key(self, value: Optional[Mapping[str, str]]) -> None:
        self._api_key = _settings_dict("api_key", value)

    @property
    def api_key_prefix(self) -> Dict[str, str]:
        """``{"api_access_token": PREFIX}``: the token is sent as ``PREFIX TOKEN``."""
        return self._api_key_prefix

    @api_key_prefix.setter
    def api_key_prefix(self, value: Optional[Mapping[str, str]]) -> None:
        self._api_key_prefix = _settings_dict("api_key_prefix", value)

    @property
    def retries(self) -> Retries:
        """None (the SDK's policy), an int total, a urllib3 Retry, or 0/False for no retries."""
        return self._retries

    @retries.setter
    def retries(self, value: Retries) -> None:
        valid = (
            value is None
            or value is False
            or isinstance(value, urllib3.util.Retry)
            or (isinstance(value, int) and not isinstance(value, bool) and value >= 0)
        )
        if not valid:
            raise ApiValueError(f"retries must be None, a non-negative int, False or a urllib3 Retry, got {value!r}")
        self._retries = value

    @property
    def timeout(self) -> Timeout:
        """Default (connect, read) timeout in seconds of every call without _request_timeout."""
        return self._timeout

    @timeout.setter
    def timeout(self, value: Timeout) -> None:
        self._timeout = _check_timeout("timeout", value)

    @property
    def reconcile_creates(self) -> bool:
        """True (the default): a create whose answer is lost or a 5xx is looked up before it reports."""
        return self._reconcile_creates

    @reconcile_creates.setter
    def reconcile_creates(self, value: bool) -> None:
        if not isinstance(value, bool):
            raise ApiValueError(f"reconcile_creates must be True or False, got {_safe_repr(value)}")
        self._reconcile_creates = value

    @property
    def connection_pool_maxsize(self) -> int:
        """Connections kept open per host; size it to the number of threads sharing one client."""
        return self._connection_pool_maxsize

    @connection_pool_maxsize.setter
    def connection_pool_maxsize(self, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_POOL_MAXSIZE:
            raise ApiValueError(f"connection_pool_maxsize must be an int from 1 to {MAX_POOL_MAXSIZE}, got {value!r}")
        self._connection_pool_maxsize = value

    # -- logging -----------------------------------------------------------------------------------------------

    @property
    def debug(self) -> bool:
        """True raises the chatwoot_client loggers to DEBUG. Raw HTTP wire logging is never switched on."""
        return self._debug

    @debug.setter
    def debug(self, value: bool) -> None:
        self._debug = bool(value)
        logging.getLogger(_PACKAGE_LOGGER).setLevel(logging.DEBUG if value else logging.WARNING)

    @property
    def logger_file(self) -> Optional[str]:
        """A file the chatwoot_client loggers also write to, in logger_format."""
        return self._logger_file

    @logger_file.setter
    def logger_file(self, value: Optional[str]) -> None:
        if self._logger_file_handler is not None:
            _FILE_HANDLERS.release(self._logger_file_handler)
            self._logger_file_handler = None
        if value is not None and not isinstance(value, str):
            raise ApiValueError(f"logger_file must be a path (str) or None, got {type(value).__name__}")
        self._logger_file = None
        if value:
            try:
                self._logger_file_handler = _FILE_HANDLERS.acquire(value, self.logger_format)
            except OSError as err:
                raise ApiValueError(f"logger_file {value!r} cannot be opened for writing: {err.strerror}") from err
        self._logger_file = value

    # -- authentication ----------------------------------------------------------------------------------------

    def get_api_key_with_prefix(self, identifier: str) -> Optional[str]:
        """The key for ``identifier`` with its prefix, after calling refresh_api_key_hook if set."""
        if self.refresh_api_key_hook is not None:
            self.refresh_api_key_hook(self)
        key = self.api_key.get(identifier)
        if key is None:
            return None
        prefix = self.api_key_prefix.get(identifier)
        if prefix is not None and not isinstance(prefix, str):
            raise ApiValueError(f"api_key_prefix['{identifier}'] must be a str, got {type(prefix).__name__}")
        return f"{prefix} {key}" if prefix else key

    def auth_settings(self) -> Dict[str, Dict[str, Any]]:
        """The auth schemes of the API: a user's or an agent bot's token in the api_access_token header."""
        value = self.get_api_key_with_prefix(API_KEY)
        if value is None:
            return {}
        setting = {"type": "api_key", "in": "header", "key": API_KEY, "value": value}
        return {"userApiKey": setting, "agentBotApiKey": dict(setting)}

    # -- defaults and construction -----------------------------------------------------------------------------

    @classmethod
    def from_env(cls) -> Configuration:
        """A configuration from CHATWOOT_BASE_URL and CHATWOOT_API_ACCESS_TOKEN."""
        configuration = cls(host=os.environ.get("CHATWOOT_BASE_URL") or None)
        token = os.environ.get("CHATWOOT_API_ACCESS_TOKEN")
        if token:
            configuration.api_key[API_KEY] = token
        return configuration

    @classmethod
    def set_default(cls, default: Optional[Configuration]) -> None:
        """Make a copy of ``default`` the configuration of ApiClients created without one."""
        cls._default = default.copy() if default is not None else None

    @classmethod
    def get_default_copy(cls) -> Configuration:
        """A copy of the default set with set_default, or a new Configuration."""
        return cls._default.copy() if cls._default is not None else cls()

    def copy(self) -> Configuration:
        """A copy whose dicts can be changed without touching this one; it shares no log file handler."""
        import copy  # imported on first use, like platform below: neither is on the path of a call

        duplicate = copy.copy(self)
        duplicate.api_key = dict(self.api_key)
        duplicate.api_key_prefix = dict(self.api_key_prefix)
        duplicate.proxy_headers = dict(self.proxy_headers) if self.proxy_headers else None
        duplicate._logger_file_handler = None
        duplicate._logger_file = None
        return duplicate

    def to_debug_report(self) -> str:
        """Versions and settings for a bug report; the token is never in it."""
        import platform

        return "\n".join(
            [
                "Python SDK Debug Report:",
                f"OS: {sys.platform} {platform.release()}",
                f"Python Version: {sys.version.split()[0]}",
                "Version of the API: 1.0.0",
                f"SDK Package Version: {__version__}",
                f"urllib3 Version: {getattr(urllib3, '__version__', 'unknown')}",
                f"Host: {_without_credentials(self.host)}",
                f"Access token set: {'yes' if self.api_key.get(API_KEY) else 'no'}",
            ]
        )

    def __repr__(self) -> str:
        keys = {name: "***" for name in self.api_key}
        return (
            f"Configuration(host={_without_credentials(self.host)!r}, api_key={keys!r}, "
            f"api_key_prefix={self.api_key_prefix!r}, "
            f"retries={self.retries!r}, timeout={self.timeout!r}, verify_ssl={self.verify_ssl!r}, "
            f"proxy={_without_credentials(self.proxy)!r}, connection_pool_maxsize={self.connection_pool_maxsize!r})"
        )


__all__ = ["Configuration"]
