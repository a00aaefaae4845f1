"""What a user's type checker sees: every MessagesApi operation with every call option, each result pinned with
``assert_type``. tools/check_types.py runs mypy --strict and pyright strict over this file; test_typing.py runs it
against the mock server, so the types asserted here are also the types the calls give.

The lines marked ``# type: ignore[...]  # pyright: ignore[...]`` are mistakes a type checker must report: both
checkers are run so that an ignore comment that is not needed is itself an error.
"""

from __future__ import annotations

import datetime
import io
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, Optional, Tuple, Union

import urllib3
from typing_extensions import assert_type

import chatwoot_client
from chatwoot_client import (
    ApiClient,
    Attachment,
    Configuration,
    ConversationMessageCreate,
    InlineResponse2005,
    Message,
    MessageList,
    MessageListMeta,
    MessagesApi,
    MessageStatusUpdate,
    Sender,
    TemplateParams,
)
from chatwoot_client.api_client import AsyncResult
from chatwoot_client.rest import ApiException

if TYPE_CHECKING:
    Raw = urllib3.BaseHTTPResponse
else:
    Raw = getattr(urllib3, "BaseHTTPResponse", urllib3.HTTPResponse)  # urllib3 1.26 has HTTPResponse only
Headers = Mapping[str, str]


def models() -> ConversationMessageCreate:
    """Model constructors take their fields as keyword (or positional) parameters, all optional."""
    template = TemplateParams(name="order_update", category="UTILITY", language="en", processed_params={"1": "42"})
    body = ConversationMessageCreate(
        content="Your order shipped",
        message_type="outgoing",
        private=False,
        content_type="text",
        content_attributes={"source": "shop"},
        template_params=template,
        campaign_id=None,
        echo_id="echo-1",
        external_created_at=1700000000,
    )
    assert_type(body.content, Optional[str])
    assert_type(body.template_params, Optional[TemplateParams])
    every_model_without_arguments = (
        Attachment(),
        ConversationMessageCreate(),
        InlineResponse2005(),
        Message(),
        MessageList(),
        MessageListMeta(),
        MessageStatusUpdate(),
        Sender(),
        TemplateParams(),
    )
    assert_type(every_model_without_arguments[1], ConversationMessageCreate)
    assert_type(Message(1, "Hi").content, Optional[str])  # positional, in openapi_types order
    assert_type(MessageStatusUpdate(status="failed", external_error="Undeliverable").status, Optional[str])
    assert_type(Message.from_dict({"id": 1}), Message)
    assert_type(InlineResponse2005.from_json('{"id": 1}').id, int)
    assert_type(Message().id, Optional[int])
    assert_type(Sender(name="Ada").available_name, Optional[str])
    assert_type(Attachment(file_size=10).data_url, Optional[str])
    assert_type(MessageListMeta().agent_last_seen_at, Optional[datetime.datetime])
    assert_type(body.to_dict(), Dict[str, Any])
    assert_type(body.to_json(), str)
    return body


def reading(page: MessageList) -> List[str]:
    """Every field a response fills may be null: the declared types say so, and None checks are needed."""
    lines: List[str] = []
    assert_type(page.payload, Optional[List[Message]])
    for message in page.payload or []:
        assert_type(message.id, Optional[int])
        if message.id is not None and message.sender is not None:
            assert_type(message.sender.name, Optional[str])
            lines.append(f"{message.id}: {message.sender.name}: {message.content}")
        assert_type(message.attachments, Optional[List[Attachment]])
    meta = page.meta
    if meta is not None and meta.contact is not None:
        assert_type(meta.contact.type, Optional[str])
    return lines


def operations(api: MessagesApi, account_id: int, conversation_id: int) -> int:
    """Each operation, plain and _with_http_info, with its own keywords and the call options."""
    body = models()
    created = api.create_a_new_message_in_a_conversation(
        body, account_id, conversation_id, client_message_id="order-42-shipped", _request_timeout=(3.05, 10)
    )
    assert_type(created, InlineResponse2005)
    assert_type(created.id, int)  # the SDK refuses a create answer without an int id
    with_file = api.create_a_new_message_in_a_conversation(
        {"content": "The invoice"},
        account_id,
        conversation_id,
        attachments=[("invoice.txt", b"total: 42", "text/plain"), ("notes.txt", io.BytesIO(b"thanks"))],
    )
    assert_type(with_file, InlineResponse2005)
    data, status, headers = api.create_a_new_message_in_a_conversation_with_http_info(
        {"content": "Hi"}, account_id, conversation_id
    )
    assert_type(data, InlineResponse2005)
    assert_type(status, int)
    assert_type(headers, Headers)

    page = api.list_all_messages(account_id, conversation_id, after=0, filter_internal_messages=True)
    assert_type(page, MessageList)
    reading(page)
    assert_type(api.list_all_messages(account_id, conversation_id, before=created.id, _request_timeout=5), MessageList)
    assert_type(api.list_all_messages_with_http_info(account_id, conversation_id), Tuple[MessageList, int, Headers])

    updated = api.update_a_message(MessageStatusUpdate(status="read"), account_id, conversation_id, created.id)
    assert_type(updated, Message)
    assert_type(
        api.update_a_message_with_http_info({"status": "delivered"}, account_id, conversation_id, created.id),
        Tuple[Message, int, Headers],
    )
    retried = api.retry_a_message(account_id, conversation_id, created.id)
    assert_type(retried, Message)
    assert_type(api.retry_a_message_with_http_info(account_id, conversation_id, created.id)[0], Message)

    found = api.find_message_by_client_message_id(account_id, conversation_id, "order-42", _request_timeout=(3, 10))
    assert_type(found, Optional[Message])

    every: Iterator[Message] = api.iter_all_messages(account_id, conversation_id)
    assert_type(next(every).content, Optional[str])

    assert_type(api.delete_a_message(account_id, conversation_id, with_file.id), None)
    assert_type(api.delete_a_message_with_http_info(account_id, conversation_id, data.id), Tuple[None, int, Headers])
    return created.id


def call_options(api: MessagesApi, account_id: int, conversation_id: int, message_id: int) -> None:
    """async_req gives an AsyncResult of the same result; _preload_content=False the unread urllib3 response."""
    later = api.list_all_messages(account_id, conversation_id, async_req=True)
    assert_type(later, AsyncResult[MessageList])
    assert_type(later.get(timeout=10), MessageList)
    created_later = api.create_a_new_message_in_a_conversation({"content": "Later"}, 1, 17, async_req=True)
    assert_type(created_later.get().id, int)
    info_later = api.retry_a_message_with_http_info(account_id, conversation_id, message_id, async_req=True)
    assert_type(info_later, AsyncResult[Tuple[Message, int, Headers]])
    assert_type(info_later.get(), Tuple[Message, int, Headers])
    assert_type(
        api.delete_a_message(account_id, conversation_id, created_later.get().id, async_req=True), AsyncResult[None]
    )

    raw = api.list_all_messages(account_id, conversation_id, _preload_content=False)
    assert_type(raw, Raw)
    assert_type(raw.status, int)
    assert_type(raw.data, bytes)  # read it all: the connection goes back to the pool only then
    raw_later = api.list_all_messages(account_id, conversation_id, async_req=True, _preload_content=False)
    assert_type(raw_later, AsyncResult[Raw])
    assert_type(raw_later.get().data, bytes)
    raw_info = api.update_a_message_with_http_info(
        {"status": "read"}, account_id, conversation_id, message_id, _preload_content=False
    )
    assert_type(raw_info, Tuple[Raw, int, Headers])
    assert_type(raw_info[0].data, bytes)

    flag = message_id < 0  # a bool, not a literal: the result may be any of the call's shapes
    either = api.retry_a_message(account_id, conversation_id, message_id, async_req=flag)
    assert_type(either, Union[Message, Raw, AsyncResult[Message], AsyncResult[Raw]])
    plain = api.retry_a_message(account_id, conversation_id, message_id, _return_http_data_only=True)
    assert_type(plain, Message)


def mistakes(api: MessagesApi) -> None:
    """Never called: each line is a mistake that both type checkers report (and ApiClient refuses at run time)."""
    api.list_all_messages(1, 17, befor=10)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]
    api.create_a_new_message_in_a_conversation({"content": "Hi"}, 1, 17, attachment=["a.txt"])  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]
    api.delete_a_message(1, 17)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]
    api.retry_a_message("1", 17, 1)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
    api.list_all_messages_with_http_info(1, 17, _return_http_data_only=True)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
    ConversationMessageCreate(contnt="Hi")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    api.find_message_by_client_message_id(1, 17, "order-42", timeout=5)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    MessageStatusUpdate(status=1)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    page: MessageList = api.list_all_messages(1, 17, async_req=True)  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    message = Message()
    listed_id: int = message.id  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    del page, listed_id


def main(host: str, token: str, account_id: int = 1, conversation_id: int = 17) -> None:
    configuration = Configuration(host=host)
    configuration.api_key["api_access_token"] = token
    with ApiClient(configuration) as api_client:
        api = chatwoot_client.MessagesApi(api_client)
        try:
            message_id = operations(api, account_id, conversation_id)
            call_options(api, account_id, conversation_id, message_id)
        except ApiException as error:
            assert_type(error.status, Optional[int])  # status 0 without an HTTP answer; None only if made so
            raise
