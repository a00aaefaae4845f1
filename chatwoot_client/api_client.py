"""ApiClient: checks a call's arguments, builds its request (path, query, headers, auth, body), sends it through
rest, and turns the answer into models. Also the lazily started thread pool behind async_req.
"""

from __future__ import annotations

import json
import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any, Dict, Generic, List, NamedTuple, Optional, Tuple, Type, TypeVar
from urllib.parse import urlencode

from chatwoot_client import rest
from chatwoot_client._version import __version__
from chatwoot_client.configuration import (
    API_KEY,
    Configuration,
    Timeout,
    _check_header_value,
    _check_timeout,
    _check_token,
    _safe_repr,
)
from chatwoot_client.exceptions import ApiException, ApiTypeError, ApiValueError
from chatwoot_client.models.base import _convert, _json_type, _loads, _model_from_request, _sanitize

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

T_co = TypeVar("T_co", covariant=True)

_CALL_OPTIONS = frozenset({"async_req", "_request_timeout", "_preload_content", "_return_http_data_only"})
_BOOL_OPTIONS = ("async_req", "_preload_content", "_return_http_data_only")
# Made once: json.dumps() with any argument of its own makes a new encoder at each call.
_JSON_ENCODER = json.JSONEncoder(separators=(",", ":"), allow_nan=False, ensure_ascii=False)


class Operation(NamedTuple):
    """One API operation, described as data: ApiClient reads it to check arguments and build the request.

    A NamedTuple rather than a dataclass: ``dataclasses`` imports ``inspect`` (and ``ast``, ``dis``), a
    third of what ``import chatwoot_client`` adds to ``import urllib3``.
    """

    name: str
    method: str
    path: str
    path_params: Tuple[str, ...]
    query_params: Tuple[Tuple[str, int], ...] = ()  # (name, smallest allowed id)
    flag_params: Tuple[str, ...] = ()  # bool query parameters, sent as "true" when True and left out otherwise
    body_type: Optional[str] = None
    files_param: Optional[str] = None
    response_type: Optional[str] = None
    auth: Tuple[str, ...] = ("userApiKey",)


class _Request(NamedTuple):
    method: str
    url: str
    headers: Dict[str, str]
    body: Optional[bytes]
    timeout: Timeout
    preload_content: bool
    response_type: Optional[str]
    data_only: bool


class AsyncResult(Generic[T_co]):
    """The result of a call made with async_req=True; ``get()`` waits for it and gives what the call without
    async_req would have returned (an ``AsyncResult[MessageList]`` gives a MessageList)."""

    def __init__(self, future: Future[T_co]) -> None:
        self._future = future

    def get(self, timeout: Optional[float] = None) -> T_co:
        """The call's result, or its exception raised here."""
        return self._future.result(timeout)

    def ready(self) -> bool:
        """True once the call has finished."""
        return self._future.done()

    def wait(self, timeout: Optional[float] = None) -> None:
        """Wait until the call has finished or ``timeout`` seconds have passed."""
        self._future.exception(timeout)

    def successful(self) -> bool:
        """True if the finished call returned without an exception."""
        if not self._future.done():
            raise ValueError("the call has not finished")
        return self._future.exception() is None


MAX_ID = 2**63 - 1  # the largest id a Chatwoot server stores (a bigint column)


def _not_unicode(name: str, err: UnicodeEncodeError) -> ApiValueError:
    """The error for text that UTF-8 cannot carry: a lone surrogate, as a str made from broken bytes may hold."""
    character = err.object[err.start : err.start + 1] if isinstance(err.object, str) else ""
    return ApiValueError(
        f"{name} holds text that is not valid Unicode (a lone surrogate, {character!r}): UTF-8 cannot carry it"
    )


def _known_options(operation: Operation) -> frozenset[str]:
    """The keyword arguments an operation takes besides its positional ones."""
    names = {name for name, _ in operation.query_params} | set(operation.flag_params) | _CALL_OPTIONS
    if operation.files_param is not None:
        names.add(operation.files_param)
    return frozenset(names)


_KNOWN_OPTIONS: Dict[Operation, frozenset[str]] = {}  # operation -> _known_options(), made at its first call


def _check_id(name: str, value: Any, minimum: int = 1) -> int:
    """An id argument as a plain int: an int (not a bool) from ``minimum`` to MAX_ID. An int subclass is used by
    its int value, so its own __str__, __format__ or comparisons cannot change the request."""
    number = int.__int__(value) if isinstance(value, int) and not isinstance(value, bool) else None
    if number is None or not minimum <= number <= MAX_ID:
        wanted = "a positive int" if minimum == 1 else f"an int >= {minimum}"
        shown = number if number is not None and number.bit_length() < 256 else _safe_repr(value)
        raise ApiValueError(f"{name} must be {wanted} (at most 2**63 - 1), got {shown}")
    return number


def _check_flag(name: str, value: Any) -> bool:
    """A flag argument: True, False or None (the server reads any value it is sent, false too, as set)."""
    if value is not None and not isinstance(value, bool):
        raise ApiValueError(f"{name} must be a bool, got {value!r}")
    return bool(value)


class ApiClient:
    """Sends API calls for the MessagesApi; one ApiClient can be shared by many threads.

    :param configuration: a Configuration; a copy of the default one when None
    :param header_name: a header sent with every call
    :param header_value: its value
    :param cookie: a Cookie header sent with every call
    :param pool_threads: threads of the pool behind async_req (started on first use)
    """

    def __init__(
        self,
        configuration: Optional[Configuration] = None,
        header_name: Optional[str] = None,
        header_value: Optional[str] = None,
        cookie: Optional[str] = None,
        pool_threads: int = 1,
    ) -> None:
        self.configuration = configuration if configuration is not None else Configuration.get_default_copy()
        self.rest_client = rest.RESTClientObject(self.configuration)
        self.default_headers: Dict[str, str] = {}
        if header_name is not None:
            self.set_default_header(header_name, header_value or "")
        self.cookie = cookie
        self.user_agent = f"chatwoot-client-python/{__version__}"
        self.pool_threads = pool_threads
        self._pool: Optional[ThreadPoolExecutor] = None
        self._pool_lock = threading.Lock()

    # -- generated-style surface --------------------------------------------------------------------------------

    @property
    def user_agent(self) -> str:
        """The User-Agent header."""
        return self.default_headers["User-Agent"]

    @user_agent.setter
    def user_agent(self, value: str) -> None:
        self.set_default_header("User-Agent", value)

    @property
    def cookie(self) -> Optional[str]:
        """A Cookie header sent with every call, or None."""
        return self._cookie

    @cookie.setter
    def cookie(self, value: Optional[str]) -> None:
        self._cookie = _check_header_value("Cookie", value) if value is not None else None

    def set_default_header(self, header_name: str, header_value: str) -> None:
        """Send a header with every call; a name that is not an HTTP token, or CR, LF or NUL in the value, raises
        ValueError."""
        self.default_headers[header_name] = _check_header_value(header_name, header_value)

    @property
    def pool(self) -> ThreadPoolExecutor:
        """The thread pool behind async_req, started on first use."""
        with self._pool_lock:
            if self._pool is None:
                from concurrent.futures import ThreadPoolExecutor  # first use only: most callers never use async_req

                self._pool = ThreadPoolExecutor(self.pool_threads, thread_name_prefix="chatwoot-client")
            return self._pool

    def close(self) -> None:
        """Stop the async_req pool (waiting for its calls) and close every pooled connection."""
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)
        self.rest_client.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(
        self, kind: Optional[Type[BaseException]], value: Optional[BaseException], trace: Optional[TracebackType]
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        from chatwoot_client.configuration import _without_credentials

        return (
            f"ApiClient(host={_without_credentials(self.configuration.host)!r}, "
            f"headers={sorted(map(str, self.default_headers))!r})"
        )

    def sanitize_for_serialization(self, obj: Any) -> Any:
        """Models (and lists, dicts, datetimes) as JSON-ready values."""
        return _sanitize(obj)

    def deserialize(self, response: Any, response_type: Optional[str]) -> Any:
        """The body of ``response`` (its ``.data``) as ``response_type``, e.g. "MessageList" or "list[Message]".

        A body that is not the JSON the type needs raises ApiException with the answer's status.
        """
        if response_type is None:
            return None
        text: Any = getattr(response, "data", None)
        try:
            data = _loads(text)
        except RecursionError:
            raise self._invalid_body(response, response_type, "JSON nested too deeply") from None
        except (TypeError, ValueError):
            raise self._invalid_body(response, response_type, "not JSON") from None
        expected = _json_type(response_type)
        if data is None and expected is not object:
            raise self._invalid_body(response, response_type, "null")
        if data is not None and not isinstance(data, expected):
            raise self._invalid_body(response, response_type, f"a JSON {type(data).__name__}")
        try:
            return _convert(data, response_type)
        except ApiValueError as refused:  # a model that refuses what it was sent: a created message without an id
            raise self._invalid_body(response, response_type, str(refused)) from None

    @staticmethod
    def _invalid_body(response: Any, response_type: str, found: str) -> ApiException:
        status = getattr(response, "status", 0)
        status = status if isinstance(status, int) else 0
        try:
            headers = response.getheaders() if hasattr(response, "getheaders") else None
        except Exception:
            headers = None
        data = getattr(response, "data", b"") or b""
        body = bytes(data).decode("utf-8", "replace") if isinstance(data, (bytes, bytearray)) else _safe_repr(data)
        return ApiException(status, f"Invalid response body: expected {response_type}, got {found}", body, headers)

    # -- calls --------------------------------------------------------------------------------------------------

    def call_api(self, operation: Operation, params: Dict[str, Any], options: Dict[str, Any]) -> Any:
        """Check and build the call, then send it now, or on the pool with async_req=True (returns AsyncResult)."""
        request = self._build_request(operation, params, options)
        if options.get("async_req"):
            return AsyncResult(self.pool.submit(self._send, request))
        return self._send(request)

    def _send(self, request: _Request) -> Any:
        secrets = self._secrets()
        response = self.rest_client.request(
            request.method,
            request.url,
            request.headers,
            request.body,
            request.timeout,
            request.preload_content,
            secrets,
        )
        if not isinstance(response, rest.RESTResponse):
            return response if request.data_only else (response, response.status, response.headers)
        try:
            data = self.deserialize(response, request.response_type)
        except ApiException as error:
            raise error._hide(secrets) from None
        return data if request.data_only else (data, response.status, response.getheaders())

    def _secrets(self) -> List[Optional[str]]:
        """What must never come back out in an exception: the token, with and without its prefix, and the
        credentials in the host's and the proxy's URL."""
        configuration = self.configuration
        secrets: List[Optional[str]] = [configuration.api_key.get(API_KEY)]  # masking it masks "PREFIX TOKEN" too
        for url in (configuration.host, configuration.proxy):
            if url and "@" in url:
                userinfo = url.split("//", 1)[-1].rsplit("@", 1)[0]
                secrets.extend([userinfo, *userinfo.split(":", 1)[1:]])
        return secrets

    def _build_request(self, operation: Operation, params: Dict[str, Any], options: Dict[str, Any]) -> _Request:
        """Every check of the call's arguments, then the request; no network I/O."""
        known = _KNOWN_OPTIONS.get(operation)
        if known is None:
            known = _KNOWN_OPTIONS[operation] = _known_options(operation)
        for key in options:
            if key not in known:
                raise ApiTypeError(f"Got an unexpected keyword argument '{key}' to method {operation.name}")
        for name in _BOOL_OPTIONS:
            value = options.get(name)
            if value is not None and value is not True and value is not False:
                raise ApiValueError(f"{name} must be a bool, got {_safe_repr(value)}")
        for name, value in params.items():
            if value is None:
                raise ApiValueError(f"Missing the required parameter `{name}` when calling `{operation.name}`")
        path = operation.path.format(**{name: _check_id(name, params[name]) for name in operation.path_params})
        query: List[Tuple[str, object]] = [
            (name, _check_id(name, options[name], minimum))
            for name, minimum in operation.query_params
            if options.get(name) is not None
        ]
        query += [(name, "true") for name in operation.flag_params if _check_flag(name, options.get(name))]
        url = self.configuration.host + path + (f"?{urlencode(query)}" if query else "")
        headers = dict(self.default_headers)
        headers["Accept"] = "application/json, text/plain"  # text/plain: the body of a 429
        if self._cookie is not None:
            headers["Cookie"] = self._cookie
        for name, value in headers.items():  # default_headers is a public dict: what is in it is checked here
            _check_header_value(name, value)
        headers[API_KEY] = self._auth_value(operation)
        body = None
        if operation.body_type is not None:
            body, headers["Content-Type"] = self._body(
                operation, params["body"], options.get(operation.files_param or "")
            )
        timeout = options.get("_request_timeout")
        return _Request(
            operation.method,
            url,
            headers,
            body,
            _check_timeout("_request_timeout", timeout) if timeout is not None else self.configuration.timeout,
            bool(options.get("_preload_content", True)),
            operation.response_type,
            bool(options.get("_return_http_data_only", False)),
        )

    def _auth_value(self, operation: Operation) -> str:
        settings = self.configuration.auth_settings()
        for scheme in operation.auth:
            if scheme in settings:
                return _check_token(settings[scheme]["value"])
        raise ApiValueError(
            f"{operation.name} needs an access token: set configuration.api_key['{API_KEY}'] "
            f"(or CHATWOOT_API_ACCESS_TOKEN with Configuration.from_env())"
        )

    @staticmethod
    def _body(operation: Operation, body: Any, attachments: Any) -> Tuple[bytes, str]:
        """The request body and its Content-Type: JSON, or multipart/form-data when there are attachments."""
        model = _model_from_request("body", body, operation.body_type or "")
        fields = model._request_fields("body")
        if not attachments:
            missing = [name for name in model.required_fields if not getattr(model, name)]
            if missing:
                raise ApiValueError(f"body.{missing[0]} is required when there are no attachments")
            text = _JSON_ENCODER.encode(fields)
            try:
                return text.encode("utf-8"), "application/json"
            except UnicodeEncodeError as err:
                raise _not_unicode("body", err) from None
        from chatwoot_client import _multipart  # first use only: most calls carry no files

        files = _multipart.read_attachments(attachments)
        try:
            return _multipart.encode(fields, files)
        except UnicodeEncodeError as err:
            raise _not_unicode("body", err) from None


__all__: List[str] = ["ApiClient", "AsyncResult", "Operation"]
