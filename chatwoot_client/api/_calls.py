"""The four call shapes of the Messages API, as type checkers see them: each operation's parameters, the call
options as real keyword parameters, and a result type that follows them (overloads on async_req and
_preload_content). MessagesApi's methods take ``**kwargs`` at run time, where ApiClient checks every keyword;
``typed_as`` gives each method its shape without any work per call.

A shape is generic in what the call gives: ``D`` with the body read (the model, or the ``WithHttpInfo`` tuple of
a ``_with_http_info`` method), ``R`` with ``_preload_content=False`` (the urllib3 response, or its tuple), and
``F``, the type of ``_return_http_data_only`` (any bool for a plain method, which always gives the data only;
only False for a ``_with_http_info`` method, whose result it would change).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    import os
    from typing import Dict, Literal, Mapping, Optional, Protocol, Sequence, Tuple, TypeVar, Union, overload

    from urllib3 import BaseHTTPResponse

    from chatwoot_client.api_client import AsyncResult
    from chatwoot_client.configuration import Timeout
    from chatwoot_client.models import ConversationMessageCreate, MessageStatusUpdate

    T = TypeVar("T")
    C = TypeVar("C")
    D = TypeVar("D", covariant=True)
    R = TypeVar("R", covariant=True)
    F = TypeVar("F", contravariant=True)

    RawResponse = BaseHTTPResponse  # what a call with _preload_content=False gives: the unread urllib3 response
    Headers = Mapping[str, str]
    WithHttpInfo = Tuple[T, int, Headers]  # (data, HTTP status, response headers)

    class Readable(Protocol):
        """A binary file object: anything whose read() gives the bytes (an open file, io.BytesIO, ...)."""

        def read(self) -> Union[bytes, bytearray]: ...

    Data = Union[bytes, bytearray, memoryview, Readable]
    Attachment = Union[str, os.PathLike[str], Readable, Tuple[str, Data], Tuple[str, Data, str]]
    NewMessage = Union[ConversationMessageCreate, Dict[str, Any]]
    StatusUpdate = Union[MessageStatusUpdate, Dict[str, Any]]
    _Yes = Literal[True]
    _No = Literal[False]


def typed_as(shape: Callable[..., C]) -> Callable[[Callable[..., Any]], C]:
    """Give a method the call shape ``shape`` for type checkers; at run time the method is returned unchanged."""
    return _unchanged


def _unchanged(method: Callable[..., Any]) -> Any:
    return method


if TYPE_CHECKING:

    class CreateCall(Protocol[D, R, F]):
        """create_a_new_message_in_a_conversation(body, account_id, conversation_id, ...)."""

        @overload
        def __call__(
            self,
            body: NewMessage,
            account_id: int,
            conversation_id: int,
            *,
            attachments: Optional[Sequence[Attachment]] = None,
            client_message_id: Optional[str] = None,
            async_req: _No = False,
            _request_timeout: Optional[Timeout] = None,
            _preload_content: _Yes = True,
            _return_http_data_only: F = ...,
        ) -> D: ...
        @overload
        def __call__(
            self,
            body: NewMessage,
            account_id: int,
            conversation_id: int,
            *,
            attachments: Optional[Sequence[Attachment]] = None,
            client_message_id: Optional[str] = None,
            async_req: _Yes,
            _request_timeout: Optional[Timeout] = None,
            _preload_content: _Yes = True,
            _return_http_data_only: F = ...,
        ) -> AsyncResult[D]: ...
        @overload
        def __call__(
            self,
            body: NewMessage,
            account_id: int,
            conversation_id: int,
            *,
            attachments: Optional[Sequence[Attachment]] = None,
            client_message_id: Optional[str] = None,
            async_req: _No = False,
            _request_timeout: Optional[Timeout] = None,
            _preload_content: _No,
            _return_http_data_only: F = ...,
        ) -> R: ...
        @overload
        def __call__(
            self,
            body: NewMessage,
            account_id: int,
            conversation_id: int,
            *,
            attachments: Optional[Sequence[Attachment]] = None,
            client_message_id: Optional[str] = None,
            async_req: _Yes,
            _request_timeout: Optional[Timeout] = None,
            _preload_content: _No,
            _return_http_data_only: F = ...,
        ) -> AsyncResult[R]: ...
        @overload
        def __call__(
            self,
            body: NewMessage,
            account_id: int,
            conversation_id: int,
            *,
            attachments: Optional[Sequence[Attachment]] = None,
            client_message_id: Optional[str] = None,
            async_req: bool = False,
            _request_timeout: Optional[Timeout] = None,
            _preload_content: bool = True,
            _return_http_data_only: F = ...,
        ) -> Union[D, R, AsyncResult[D], AsyncResult[R]]: ...

    class ListCall(Protocol[D, R, F]):
        """list_all_messages(account_id, conversation_id, ...)."""

        @overload
        def __call__(
            self,
            account_id: int,
            conversation_id: int,
            *,
            before: Optional[int] = None,
            after: Optional[int] = None,
            filter_internal_messages: Optional[bool] = None,
            async_req: _No = False,
            _request_timeout: Optional[Timeout] = None,
            _preload_content: _Yes = True,
            _return_http_data_only: F = ...,
        ) -> D: ...
        @overload
        def __call__(
            self,
            account_id: int,
            conversation_id: int,
            *,
            before: Optional[int] = None,
            after: Optional[int] = None,
            filter_internal_messages: Optional[bool] = None,
            async_req: _Yes,
            _request_timeout: Optional[Timeout] = None,
            _preload_content: _Yes = True,
            _return_http_data_only: F = ...,
        ) -> AsyncResult[D]: ...
        @overload
        def __call__(
            self,
            account_id: int,
            conversation_id: int,
            *,
            before: Optional[int] = None,
            after: Optional[int] = None,
            filter_internal_messages: Optional[bool] = None,
            async_req: _No = False,
            _request_timeout: Optional[Timeout] = None,
            _preload_content: _No,
            _return_http_data_only: F = ...,
        ) -> R: ...
        @overload
        def __call__(
            self,
            account_id: int,
            conversation_id: int,
            *,
            before: Optional[int] = None,
            after: Optional[int] = None,
            filter_internal_messages: Optional[bool] = None,
            async_req: _Yes,
            _request_timeout: Optional[Timeout] = None,
            _preload_content: _No,
            _return_http_data_only: F = ...,
        ) -> AsyncResult[R]: ...
        @overload
        def __call__(
            self,
            account_id: int,
            conversation_id: int,
            *,
            before: Optional[int] = None,
            after: Optional[int] = None,
            filter_internal_messages: Optional[bool] = None,
            async_req: bool = False,
            _request_timeout: Optional[Timeout] = None,
            _preload_content: bool = True,
            _return_http_data_only: F = ...,
        ) -> Union[D, R, AsyncResult[D], AsyncResult[R]]: ...

    class UpdateCall(Protocol[D, R, F]):
        """update_a_message(body, account_id, conversation_id, message_id, ...)."""

        @overload
        def __call__(
            self,
            body: StatusUpdate,
            account_id: int,
            conversation_id: int,
            message_id: int,
            *,
            async_req: _No = False,
            _request_timeout: Optional[Timeout] = None,
            _preload_content: _Yes = True,
            _return_http_data_only: F = ...,
        ) -> D: ...
        @overload
        def __call__(
            self,
            body: StatusUpdate,
            account_id: int,
            conversation_id: int,
            message_id: int,
            *,
            async_req: _Yes,
            _request_timeout: Optional[Timeout] = None,
            _preload_content: _Yes = True,
            _return_http_data_only: F = ...,
        ) -> AsyncResult[D]: ...
        @overload
        def __call__(
            self,
            body: StatusUpdate,
            account_id: int,
            conversation_id: int,
            message_id: int,
            *,
            async_req: _No = False,
            _request_timeout: Optional[Timeout] = None,
            _preload_content: _No,
            _return_http_data_only: F = ...,
        ) -> R: ...
        @overload
        def __call__(
            self,
            body: StatusUpdate,
            account_id: int,
            conversation_id: int,
            message_id: int,
            *,
            async_req: _Yes,
            _request_timeout: Optional[Timeout] = None,
            _preload_content: _No,
            _return_http_data_only: F = ...,
        ) -> AsyncResult[R]: ...
        @overload
        def __call__(
            self,
            body: StatusUpdate,
            account_id: int,
            conversation_id: int,
            message_id: int,
            *,
            async_req: bool = False,
            _request_timeout: Optional[Timeout] = None,
            _preload_content: bool = True,
            _return_http_data_only: F = ...,
        ) -> Union[D, R, AsyncResult[D], AsyncResult[R]]: ...

    class MessageCall(Protocol[D, R, F]):
        """delete_a_message and retry_a_message(account_id, conversation_id, message_id, ...)."""

        @overload
        def __call__(
            self,
            account_id: int,
            conversation_id: int,
            message_id: int,
            *,
            async_req: _No = False,
            _request_timeout: Optional[Timeout] = None,
            _preload_content: _Yes = True,
            _return_http_data_only: F = ...,
        ) -> D: ...
        @overload
        def __call__(
            self,
            account_id: int,
            conversation_id: int,
            message_id: int,
            *,
            async_req: _Yes,
            _request_timeout: Optional[Timeout] = None,
            _preload_content: _Yes = True,
            _return_http_data_only: F = ...,
        ) -> AsyncResult[D]: ...
        @overload
        def __call__(
            self,
            account_id: int,
            conversation_id: int,
            message_id: int,
            *,
            async_req: _No = False,
            _request_timeout: Optional[Timeout] = None,
            _preload_content: _No,
            _return_http_data_only: F = ...,
        ) -> R: ...
        @overload
        def __call__(
            self,
            account_id: int,
            conversation_id: int,
            message_id: int,
            *,
            async_req: _Yes,
            _request_timeout: Optional[Timeout] = None,
            _preload_content: _No,
            _return_http_data_only: F = ...,
        ) -> AsyncResult[R]: ...
        @overload
        def __call__(
            self,
            account_id: int,
            conversation_id: int,
            message_id: int,
            *,
            async_req: bool = False,
            _request_timeout: Optional[Timeout] = None,
            _preload_content: bool = True,
            _return_http_data_only: F = ...,
        ) -> Union[D, R, AsyncResult[D], AsyncResult[R]]: ...
else:

    class _Shape:
        """At run time a call shape is only a name: ``typed_as`` hands the method back unchanged, so importing the
        package builds no protocol classes."""

        def __class_getitem__(cls, _: object) -> type:
            return cls

    CreateCall = ListCall = UpdateCall = MessageCall = WithHttpInfo = RawResponse = _Shape
