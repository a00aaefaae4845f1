"""MessagesApi: create, list, update, retry and delete the messages of a conversation, and iterate over them all."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Iterator, Literal, Optional, Union

from chatwoot_client import _exactly_once, _reconcile
from chatwoot_client.api._calls import (
    CreateCall,
    ListCall,
    MessageCall,
    RawResponse,
    UpdateCall,
    WithHttpInfo,
    typed_as,
)
from chatwoot_client.api_client import ApiClient, Operation
from chatwoot_client.models import InlineResponse2005, Message, MessageList

if TYPE_CHECKING:
    from chatwoot_client.configuration import Timeout
    from chatwoot_client.models import ConversationMessageCreate, MessageStatusUpdate

_MESSAGES_PATH = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages"

_CREATE_MESSAGE = Operation(
    name="create_a_new_message_in_a_conversation",
    method="POST",
    path=_MESSAGES_PATH,
    path_params=("account_id", "conversation_id"),
    body_type="ConversationMessageCreate",
    files_param="attachments",
    response_type="InlineResponse2005",
    auth=("userApiKey", "agentBotApiKey"),
)
_LIST_MESSAGES = Operation(
    name="list_all_messages",
    method="GET",
    path=_MESSAGES_PATH,
    path_params=("account_id", "conversation_id"),
    query_params=(("before", 1), ("after", 0)),
    flag_params=("filter_internal_messages",),
    response_type="MessageList",
)
_DELETE_MESSAGE = Operation(
    name="delete_a_message",
    method="DELETE",
    path=_MESSAGES_PATH + "/{message_id}",
    path_params=("account_id", "conversation_id", "message_id"),
)
_UPDATE_MESSAGE = Operation(
    name="update_a_message",
    method="PATCH",
    path=_MESSAGES_PATH + "/{message_id}",
    path_params=("account_id", "conversation_id", "message_id"),
    body_type="MessageStatusUpdate",
    response_type="Message",
)
_RETRY_MESSAGE = Operation(
    name="retry_a_message",
    method="POST",
    path=_MESSAGES_PATH + "/{message_id}/retry",
    path_params=("account_id", "conversation_id", "message_id"),
    response_type="Message",
)


class MessagesApi:
    """The Messages API of a conversation.

    :param api_client: the ApiClient to send calls with; a new one with the default configuration when None
    """

    def __init__(self, api_client: Optional[ApiClient] = None) -> None:
        self.api_client = api_client if api_client is not None else ApiClient()

    @typed_as(CreateCall[InlineResponse2005, RawResponse, bool])
    def create_a_new_message_in_a_conversation(
        self,
        body: Union[ConversationMessageCreate, Dict[str, Any]],
        account_id: int,
        conversation_id: int,
        **kwargs: Any,
    ) -> InlineResponse2005:
        """Create New Message

        Create a message in the conversation; with ``attachments`` it is sent as multipart/form-data. The message
        carries a client message id in ``content_attributes["client_message_id"]``: ``client_message_id``, or a
        fresh random one.

        :param ConversationMessageCreate body: The message, or a dict with the same keys (required)
        :param int account_id: The numeric ID of the account (required)
        :param int conversation_id: The numeric ID of the conversation (required)
        :param list attachments: Up to 15 files: paths, binary file objects or (filename, data[, mime_type]) tuples
        :param str client_message_id: 1-64 characters of A-Za-z0-9._:- identifying this message
        :param bool async_req: Send on the client's thread pool and return an object whose get() gives the result
        :param _request_timeout: Seconds, or (connect, read), for this call
        :return: InlineResponse2005
        """
        kwargs["_return_http_data_only"] = True
        return self.create_a_new_message_in_a_conversation_with_http_info(  # type: ignore[no-any-return]
            body, account_id, conversation_id, **kwargs
        )

    @typed_as(CreateCall[WithHttpInfo[InlineResponse2005], WithHttpInfo[RawResponse], Literal[False]])
    def create_a_new_message_in_a_conversation_with_http_info(
        self,
        body: Union[ConversationMessageCreate, Dict[str, Any]],
        account_id: int,
        conversation_id: int,
        **kwargs: Any,
    ) -> Any:
        """Create New Message, returning ``(InlineResponse2005, status, headers)``.

        :param ConversationMessageCreate body: The message, or a dict with the same keys (required)
        :param int account_id: The numeric ID of the account (required)
        :param int conversation_id: The numeric ID of the conversation (required)
        :param str client_message_id: 1-64 characters of A-Za-z0-9._:- identifying this message
        :return: tuple(InlineResponse2005, int, HTTPHeaderDict)
        """
        body, client_message_id, explicit = _exactly_once.tag(body, kwargs.pop("client_message_id", None))
        params = {"body": body, "account_id": account_id, "conversation_id": conversation_id}
        return _reconcile.create(self, _CREATE_MESSAGE, params, kwargs, client_message_id, explicit)

    @typed_as(ListCall[MessageList, RawResponse, bool])
    def list_all_messages(self, account_id: int, conversation_id: int, **kwargs: Any) -> MessageList:
        """Get messages

        List messages of the conversation, oldest first: the newest 20, or a range given by ``before``/``after``.

        :param int account_id: The numeric ID of the account (required)
        :param int conversation_id: The numeric ID of the conversation (required)
        :param int before: Only messages with a lower id (the 20 newest of them)
        :param int after: Only messages with a higher id (the 100 oldest of them)
        :param bool filter_internal_messages: True leaves out private notes and activity messages
        :param bool async_req: Send on the client's thread pool and return an object whose get() gives the result
        :param _request_timeout: Seconds, or (connect, read), for this call
        :return: MessageList
        """
        kwargs["_return_http_data_only"] = True
        return self.list_all_messages_with_http_info(account_id, conversation_id, **kwargs)  # type: ignore[no-any-return]

    @typed_as(ListCall[WithHttpInfo[MessageList], WithHttpInfo[RawResponse], Literal[False]])
    def list_all_messages_with_http_info(self, account_id: int, conversation_id: int, **kwargs: Any) -> Any:
        """Get messages, returning ``(MessageList, status, headers)``.

        :param int account_id: The numeric ID of the account (required)
        :param int conversation_id: The numeric ID of the conversation (required)
        :return: tuple(MessageList, int, HTTPHeaderDict)
        """
        params = {"account_id": account_id, "conversation_id": conversation_id}
        return self.api_client.call_api(_LIST_MESSAGES, params, kwargs)

    @typed_as(MessageCall[None, RawResponse, bool])
    def delete_a_message(self, account_id: int, conversation_id: int, message_id: int, **kwargs: Any) -> None:
        """Delete a message

        Soft-delete a message: its content is replaced and its attachments removed; it stays in the list.

        :param int account_id: The numeric ID of the account (required)
        :param int conversation_id: The numeric ID of the conversation (required)
        :param int message_id: The numeric ID of the message (required)
        :param bool async_req: Send on the client's thread pool and return an object whose get() gives the result
        :param _request_timeout: Seconds, or (connect, read), for this call
        :return: None
        """
        kwargs["_return_http_data_only"] = True
        return self.delete_a_message_with_http_info(  # type: ignore[no-any-return]
            account_id, conversation_id, message_id, **kwargs
        )

    @typed_as(MessageCall[WithHttpInfo[None], WithHttpInfo[RawResponse], Literal[False]])
    def delete_a_message_with_http_info(
        self, account_id: int, conversation_id: int, message_id: int, **kwargs: Any
    ) -> Any:
        """Delete a message, returning ``(None, status, headers)``.

        :param int account_id: The numeric ID of the account (required)
        :param int conversation_id: The numeric ID of the conversation (required)
        :param int message_id: The numeric ID of the message (required)
        :return: tuple(None, int, HTTPHeaderDict)
        """
        params = {"account_id": account_id, "conversation_id": conversation_id, "message_id": message_id}
        return self.api_client.call_api(_DELETE_MESSAGE, params, kwargs)

    @typed_as(UpdateCall[Message, RawResponse, bool])
    def update_a_message(
        self,
        body: Union[MessageStatusUpdate, Dict[str, Any]],
        account_id: int,
        conversation_id: int,
        message_id: int,
        **kwargs: Any,
    ) -> Message:
        """Update a message

        Set the delivery status of a message in an API inbox: sent, delivered, read or failed (with
        ``external_error``). The server leaves a read message as it is when asked for delivered.

        :param MessageStatusUpdate body: The status, or a dict with the same keys (required)
        :param int account_id: The numeric ID of the account (required)
        :param int conversation_id: The numeric ID of the conversation (required)
        :param int message_id: The numeric ID of the message (required)
        :param bool async_req: Send on the client's thread pool and return an object whose get() gives the result
        :param _request_timeout: Seconds, or (connect, read), for this call
        :return: Message
        """
        kwargs["_return_http_data_only"] = True
        return self.update_a_message_with_http_info(  # type: ignore[no-any-return]
            body, account_id, conversation_id, message_id, **kwargs
        )

    @typed_as(UpdateCall[WithHttpInfo[Message], WithHttpInfo[RawResponse], Literal[False]])
    def update_a_message_with_http_info(
        self,
        body: Union[MessageStatusUpdate, Dict[str, Any]],
        account_id: int,
        conversation_id: int,
        message_id: int,
        **kwargs: Any,
    ) -> Any:
        """Update a message, returning ``(Message, status, headers)``.

        :param MessageStatusUpdate body: The status, or a dict with the same keys (required)
        :param int account_id: The numeric ID of the account (required)
        :param int conversation_id: The numeric ID of the conversation (required)
        :param int message_id: The numeric ID of the message (required)
        :return: tuple(Message, int, HTTPHeaderDict)
        """
        params = {
            "body": body,
            "account_id": account_id,
            "conversation_id": conversation_id,
            "message_id": message_id,
        }
        return self.api_client.call_api(_UPDATE_MESSAGE, params, kwargs)

    @typed_as(MessageCall[Message, RawResponse, bool])
    def retry_a_message(self, account_id: int, conversation_id: int, message_id: int, **kwargs: Any) -> Message:
        """Retry a message

        Send a failed outgoing message to its channel again: its status becomes sent and its content_attributes
        are cleared. A POST: the SDK never sends it twice once the server may have acted on it.

        :param int account_id: The numeric ID of the account (required)
        :param int conversation_id: The numeric ID of the conversation (required)
        :param int message_id: The numeric ID of the message (required)
        :param bool async_req: Send on the client's thread pool and return an object whose get() gives the result
        :param _request_timeout: Seconds, or (connect, read), for this call
        :return: Message
        """
        kwargs["_return_http_data_only"] = True
        return self.retry_a_message_with_http_info(  # type: ignore[no-any-return]
            account_id, conversation_id, message_id, **kwargs
        )

    @typed_as(MessageCall[WithHttpInfo[Message], WithHttpInfo[RawResponse], Literal[False]])
    def retry_a_message_with_http_info(
        self, account_id: int, conversation_id: int, message_id: int, **kwargs: Any
    ) -> Any:
        """Retry a message, returning ``(Message, status, headers)``.

        :param int account_id: The numeric ID of the account (required)
        :param int conversation_id: The numeric ID of the conversation (required)
        :param int message_id: The numeric ID of the message (required)
        :return: tuple(Message, int, HTTPHeaderDict)
        """
        params = {"account_id": account_id, "conversation_id": conversation_id, "message_id": message_id}
        return self.api_client.call_api(_RETRY_MESSAGE, params, kwargs)

    def find_message_by_client_message_id(
        self,
        account_id: int,
        conversation_id: int,
        client_message_id: str,
        *,
        _request_timeout: Optional[Timeout] = None,
    ) -> Optional[Message]:
        """Find a message by its client message id

        Look for the message a create tagged with ``client_message_id`` among the conversation's newest messages,
        newest first: at most 3 list requests of 20 messages (60 messages back). For a caller reconciling later,
        after a create raised with ``stored`` None. Needs a token that may list messages (not an agent bot's).

        :param int account_id: The numeric ID of the account (required)
        :param int conversation_id: The numeric ID of the conversation (required)
        :param str client_message_id: The id the create was tagged with (required)
        :param _request_timeout: Seconds, or (connect, read), for each list request
        :return: None when the message is not among the newest, else Message
        """
        return _reconcile.find(self, account_id, conversation_id, client_message_id, _request_timeout=_request_timeout)

    def iter_all_messages(self, account_id: int, conversation_id: int, after: int = 0) -> Iterator[Message]:
        """Iterate over every message of the conversation

        Yields messages oldest first, one page (up to 100) at a time, until the server answers an empty page. It
        never ends early without saying so: a page that is not a list of messages, or whose last id is not an int
        greater than the one before, raises ApiException (after the messages of that page were yielded).

        :param int account_id: The numeric ID of the account (required)
        :param int conversation_id: The numeric ID of the conversation (required)
        :param int after: Start after this message id (0: from the first message)
        :return: iterator of Message
        """
        from chatwoot_client.exceptions import ApiException
        from chatwoot_client.models import Message

        while True:
            page, status, headers = self.list_all_messages_with_http_info(account_id, conversation_id, after=after)
            messages = page.payload
            if not isinstance(messages, list) or not all(isinstance(message, Message) for message in messages):
                found = type(messages).__name__ if not isinstance(messages, list) else "a list with other items"
                raise ApiException(status, f"Invalid response body: a page whose payload is {found}", None, headers)
            if not messages:
                return
            last = messages[-1].id
            yield from messages
            if isinstance(last, bool) or not isinstance(last, int) or last <= after:
                # Paging on would repeat this page forever or skip messages: say so rather than end silently.
                raise ApiException(
                    status,
                    f"Invalid response body: cannot page past message id {_shown(last)} (after={after})",
                    None,
                    headers,
                )
            after = last


def _shown(value: Any) -> str:
    try:
        text = repr(value)
    except Exception:
        return type(value).__name__
    return text[:40]


__all__ = ["MessagesApi"]
