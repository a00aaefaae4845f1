"""Each operation end to end: the request as the mock server recorded it, and the typed answer."""

from __future__ import annotations

import email.parser
import email.policy
import io
import json
from typing import Any, Dict, List, Tuple

import pytest
import urllib3
from _constants import MESSAGES_PATH

import chatwoot_client
from chatwoot_client.testing import MockChatwootServer
from conftest import ACCOUNT_ID, API_CONVERSATION_ID


def test_contract_snippet_runs_as_written(server: MockChatwootServer) -> None:
    """CONTRACT section 1, verbatim but for the host and token."""
    import chatwoot_client
    from chatwoot_client.rest import ApiException

    configuration = chatwoot_client.Configuration()
    configuration.host = server.url
    configuration.api_key["api_access_token"] = server.user_token

    api = chatwoot_client.MessagesApi(chatwoot_client.ApiClient(configuration))
    body = chatwoot_client.ConversationMessageCreate()
    body.content = "Hello"
    created = api.create_a_new_message_in_a_conversation(body, 1, 17)
    page = api.list_all_messages(1, 17)
    api.delete_a_message(1, 17, created.id)
    api.api_client.close()

    (stored,) = server.messages(1, 17)
    assert issubclass(ApiException, chatwoot_client.exceptions.OpenApiException)
    assert isinstance(created, chatwoot_client.InlineResponse2005)
    assert (created.id, created.content) == (stored["id"], "Hello")
    assert set(stored) <= set(created.to_dict())
    assert isinstance(page, chatwoot_client.MessageList)
    assert [type(message) for message in page.payload or []] == [chatwoot_client.Message]


def test_create_sends_json_body_with_token_header(api: chatwoot_client.MessagesApi, server: MockChatwootServer) -> None:
    body = chatwoot_client.ConversationMessageCreate(content="Hello", private=True, content_type="text")
    api.create_a_new_message_in_a_conversation(body, ACCOUNT_ID, API_CONVERSATION_ID)

    (request,) = server.requests
    assert (request.method, request.path) == ("POST", MESSAGES_PATH)
    assert request.headers["api_access_token"] == server.user_token
    assert request.headers["content-type"] == "application/json"
    sent = request.json()
    assert isinstance(sent.pop("content_attributes").pop("client_message_id"), str)  # every create is tagged
    assert sent == {"content": "Hello", "private": True, "content_type": "text"}


def test_create_returns_every_field_the_server_sent(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    created = api.create_a_new_message_in_a_conversation({"content": "Hello"}, ACCOUNT_ID, API_CONVERSATION_ID)

    (stored,) = server.messages(ACCOUNT_ID, API_CONVERSATION_ID)
    assert isinstance(created, chatwoot_client.InlineResponse2005)
    assert isinstance(created.sender, chatwoot_client.Sender)
    for key, value in stored.items():
        assert chatwoot_client.ApiClient().sanitize_for_serialization(getattr(created, key)) == value, key
    assert created.message_type == 1


def test_create_accepts_a_plain_dict_with_template_params(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    body = {
        "content": "Your order shipped",
        "message_type": "outgoing",
        "content_attributes": {"in_reply_to": 3},
        "template_params": {"name": "order_update", "language": "en_US", "processed_params": {"1": "42"}},
    }
    api.create_a_new_message_in_a_conversation(body, ACCOUNT_ID, API_CONVERSATION_ID)

    sent = server.requests[0].json()
    assert isinstance(sent["content_attributes"].pop("client_message_id"), str)  # every create is tagged
    assert sent == body


def test_create_incoming_in_widget_inbox_raises_unprocessable(api: chatwoot_client.MessagesApi) -> None:
    body = chatwoot_client.ConversationMessageCreate(content="Hi", message_type="incoming")
    with pytest.raises(chatwoot_client.UnprocessableEntityException) as info:
        api.create_a_new_message_in_a_conversation(body, ACCOUNT_ID, 18)
    assert "only allowed in Api inboxes" in str(info.value)


def test_create_with_attachments_sends_multipart(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, tmp_path: Any
) -> None:
    picture = tmp_path / "cat.png"
    picture.write_bytes(b"\x89PNG fake")
    attachments = [str(picture), io.BytesIO(b"report"), ("notes.txt", b"plain notes", "text/plain")]
    body = chatwoot_client.ConversationMessageCreate(content="Files", content_attributes={"a": 1})

    created = api.create_a_new_message_in_a_conversation(
        body,
        ACCOUNT_ID,
        API_CONVERSATION_ID,
        attachments=attachments,  # type: ignore[arg-type]
    )

    assert server.requests[0].headers["content-type"].startswith("multipart/form-data; boundary=")
    attached = created.attachments or []
    assert [(item.file_type, item.file_size) for item in attached] == [("image", 9), ("file", 6), ("file", 11)]
    assert created.content_attributes == {"a": 1, "client_message_id": _sent_id(server)}
    pool = urllib3.PoolManager()
    assert pool.request("GET", str(attached[2].data_url)).data == b"plain notes"


def _form_fields(request: Any) -> List[Tuple[str, str]]:
    """(name, text) of every non-file part of a recorded multipart request, read by the standard library."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.body)
    return [
        (str(part.get_param("name", header="content-disposition")), part.get_content())
        for part in message.iter_parts()
        if part.get_filename() is None
    ]


def test_template_params_with_attachments_go_as_bracketed_form_fields(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    # SERVER.md: Rails nests bracketed names; a JSON text in a form stays a string and fails validation.
    body = {
        "content": "Your order",
        "template_params": {"name": "order_update", "language": "en_US", "processed_params": {"1": "42", "2": 7}},
        "content_attributes": {"a": [1, True]},
    }

    api.create_a_new_message_in_a_conversation(
        body, ACCOUNT_ID, API_CONVERSATION_ID, attachments=[("a.txt", b"x")], client_message_id="order-1"
    )

    fields = _form_fields(server.requests[-1])
    assert ("template_params[name]", "order_update") in fields
    assert ("template_params[language]", "en_US") in fields
    assert ("template_params[processed_params][1]", "42") in fields
    assert ("template_params[processed_params][2]", "7") in fields
    assert not any(name == "template_params" for name, _ in fields)
    sent_attributes = [json.loads(text) for name, text in fields if name == "content_attributes"]
    assert sent_attributes == [{"a": [1, True], "client_message_id": "order-1"}]


def test_a_form_field_key_with_a_bracket_is_refused_before_io(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    body = {"content": "x", "template_params": {"name": "t", "processed_params": {"a]b": "1"}}}

    with pytest.raises(chatwoot_client.ApiValueError, match="bracket"):
        api.create_a_new_message_in_a_conversation(body, ACCOUNT_ID, API_CONVERSATION_ID, attachments=[("a.txt", b"x")])
    assert server.requests == []


def test_template_params_nested_too_deeply_for_a_form_are_refused_before_io(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    nested: Dict[str, Any] = {"1": "x"}
    for _ in range(20):  # within the JSON limit (64 levels), past a form field name's (16)
        nested = {"p": nested}
    body = {"content": "x", "template_params": {"name": "t", "processed_params": nested}}

    with pytest.raises(chatwoot_client.ApiValueError, match="nested deeper than 16 levels for a form"):
        api.create_a_new_message_in_a_conversation(body, ACCOUNT_ID, API_CONVERSATION_ID, attachments=[("a.txt", b"x")])
    assert server.requests == []


def test_list_sends_get_and_returns_message_list(api: chatwoot_client.MessagesApi, server: MockChatwootServer) -> None:
    server.add_message(ACCOUNT_ID, API_CONVERSATION_ID, "first")
    server.add_message(ACCOUNT_ID, API_CONVERSATION_ID, "second")

    page = api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)

    (request,) = server.requests
    assert (request.method, request.path, request.query) == ("GET", MESSAGES_PATH, {})
    assert request.headers["api_access_token"] == server.user_token
    messages = page.payload or []
    assert [message.content for message in messages] == ["first", "second"]
    assert [message.message_type for message in messages] == [0, 0]
    assert isinstance(page.meta, chatwoot_client.MessageListMeta)
    assert isinstance(page.meta.contact, chatwoot_client.Sender)


@pytest.mark.parametrize(
    ("keywords", "query"),
    [
        ({"before": 5}, {"before": "5"}),
        ({"after": 0}, {"after": "0"}),
        ({"before": 9, "after": 2}, {"before": "9", "after": "2"}),
        ({"before": None}, {}),
    ],
)
def test_list_sends_before_and_after_as_query(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, keywords: Any, query: Any
) -> None:
    api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID, **keywords)

    assert server.requests[0].query == query


def test_list_pages_with_before_and_after(api: chatwoot_client.MessagesApi, server: MockChatwootServer) -> None:
    ids = [server.add_message(ACCOUNT_ID, API_CONVERSATION_ID, f"m{n}")["id"] for n in range(30)]

    newest = api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)
    assert newest.payload is not None
    older = api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID, before=newest.payload[0].id)
    after = api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID, after=ids[4])

    assert [message.id for message in newest.payload] == ids[10:]
    assert [message.id for message in older.payload or []] == ids[:10]
    assert [message.id for message in after.payload or []] == ids[5:]


def test_delete_sends_delete_and_returns_none(api: chatwoot_client.MessagesApi, server: MockChatwootServer) -> None:
    message_id = server.add_message(ACCOUNT_ID, API_CONVERSATION_ID, "bye")["id"]

    assert api.delete_a_message(ACCOUNT_ID, API_CONVERSATION_ID, message_id) is None  # type: ignore[func-returns-value]

    (request,) = server.requests
    assert (request.method, request.path) == ("DELETE", f"{MESSAGES_PATH}/{message_id}")
    assert request.headers["api_access_token"] == server.user_token
    assert server.messages(ACCOUNT_ID, API_CONVERSATION_ID)[0]["content"] == "This message was deleted"


def test_delete_of_unknown_message_raises_not_found(api: chatwoot_client.MessagesApi) -> None:
    with pytest.raises(chatwoot_client.NotFoundException) as info:
        api.delete_a_message(ACCOUNT_ID, API_CONVERSATION_ID, 999)
    assert str(info.value) == "(404) Not Found: Resource could not be found"


def test_with_http_info_returns_data_status_and_headers(api: chatwoot_client.MessagesApi) -> None:
    data, status, headers = api.list_all_messages_with_http_info(ACCOUNT_ID, API_CONVERSATION_ID)

    assert isinstance(data, chatwoot_client.MessageList)
    assert status == 200
    assert headers["Content-Type"].startswith("application/json")


def test_delete_with_http_info_returns_none_and_status(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    message_id = server.add_message(ACCOUNT_ID, API_CONVERSATION_ID, "bye")["id"]

    data, status, _ = api.delete_a_message_with_http_info(ACCOUNT_ID, API_CONVERSATION_ID, message_id)

    assert (data, status) == (None, 200)


def test_return_http_data_only_on_with_http_info(api: chatwoot_client.MessagesApi) -> None:
    # Typed as False only (the plain method is the data-only call), accepted at run time as generated clients do.
    page = api.list_all_messages_with_http_info(
        ACCOUNT_ID,
        API_CONVERSATION_ID,
        _return_http_data_only=True,  # type: ignore[call-overload]
    )

    assert isinstance(page, chatwoot_client.MessageList)


def test_async_req_returns_result_through_get(api: chatwoot_client.MessagesApi) -> None:
    result: Any = api.create_a_new_message_in_a_conversation(
        {"content": "later"}, ACCOUNT_ID, API_CONVERSATION_ID, async_req=True
    )

    created = result.get(timeout=5)
    assert isinstance(created, chatwoot_client.InlineResponse2005)
    assert created.content == "later"
    assert result.ready() and result.successful()


def test_async_req_raises_the_api_error_from_get(api: chatwoot_client.MessagesApi) -> None:
    result: Any = api.delete_a_message(ACCOUNT_ID, API_CONVERSATION_ID, 999, async_req=True)  # type: ignore[func-returns-value]

    with pytest.raises(chatwoot_client.NotFoundException):
        result.get(timeout=5)


def test_pool_is_not_started_without_async_req(api_client: chatwoot_client.ApiClient) -> None:
    chatwoot_client.MessagesApi(api_client).list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)

    assert api_client._pool is None


def test_close_stops_the_async_pool(api_client: chatwoot_client.ApiClient) -> None:
    api = chatwoot_client.MessagesApi(api_client)
    result: Any = api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID, async_req=True)
    result.get(timeout=5)
    pool = api_client._pool

    api_client.close()

    assert pool is not None and api_client._pool is None
    with pytest.raises(RuntimeError):
        pool.submit(print)


def test_request_timeout_per_call_raises_timeout(api: chatwoot_client.MessagesApi, server: MockChatwootServer) -> None:
    server.delay_next(5, times=4)

    with pytest.raises(chatwoot_client.ApiTimeoutError):
        api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID, _request_timeout=(1, 0.05))


def test_preload_content_false_returns_the_raw_response(api: chatwoot_client.MessagesApi) -> None:
    response = api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID, _preload_content=False)

    assert isinstance(response, urllib3.response.HTTPResponse)
    assert b'"payload"' in response.read()


def test_iter_all_messages_yields_every_message_oldest_first(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    ids = [server.add_message(ACCOUNT_ID, API_CONVERSATION_ID, f"m{n}")["id"] for n in range(230)]

    assert [message.id for message in api.iter_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)] == ids
    assert [request.query for request in server.requests] == [
        {"after": "0"},
        {"after": str(ids[99])},
        {"after": str(ids[199])},
        {"after": str(ids[229])},
    ]


def test_iter_all_messages_starts_after_the_given_id(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    ids = [server.add_message(ACCOUNT_ID, API_CONVERSATION_ID, f"m{n}")["id"] for n in range(5)]

    assert [message.id for message in api.iter_all_messages(ACCOUNT_ID, API_CONVERSATION_ID, after=ids[2])] == ids[3:]


def test_messages_api_without_client_uses_the_default_configuration() -> None:
    api = chatwoot_client.MessagesApi()

    assert api.api_client.configuration.host == "https://app.chatwoot.com"


def test_requests_accept_json_and_the_plain_text_of_a_throttled_answer(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)

    assert server.requests[0].headers["accept"] == "application/json, text/plain"
    assert server.requests[0].headers["user-agent"].startswith("chatwoot-client-python/")


def test_update_sets_the_status_and_its_external_error(api: chatwoot_client.MessagesApi, server: Any) -> None:
    stored = server.add_message(1, 17, "Your order shipped", message_type="outgoing")
    updated = api.update_a_message(
        chatwoot_client.MessageStatusUpdate(status="failed", external_error="Undeliverable"), 1, 17, stored["id"]
    )
    assert isinstance(updated, chatwoot_client.Message)
    assert (updated.status, (updated.content_attributes or {}).get("external_error")) == ("failed", "Undeliverable")
    request = server.requests[-1]
    assert (request.method, request.path) == ("PATCH", f"/api/v1/accounts/1/conversations/17/messages/{stored['id']}")
    assert json.loads(request.body) == {"status": "failed", "external_error": "Undeliverable"}


def test_update_outside_an_api_inbox_raises_forbidden(api: chatwoot_client.MessagesApi, server: Any) -> None:
    stored = server.add_message(1, 18, "Hi", message_type="outgoing")
    with pytest.raises(chatwoot_client.ForbiddenException) as raised:
        api.update_a_message({"status": "read"}, 1, 18, stored["id"])
    assert "only allowed for API inboxes" in str(raised.value)


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"status": "seen"}, "status"),
        ({}, "body.status"),
        ({"status": "read", "external_error": "x"}, "external_error"),
    ],
)
def test_bad_update_body_is_refused_before_io(
    api: chatwoot_client.MessagesApi, server: Any, body: Dict[str, Any], named: str
) -> None:
    with pytest.raises(chatwoot_client.ApiValueError, match=named):
        api.update_a_message(body, 1, 17, 1)
    assert server.requests == []


def test_retry_resets_status_and_content_attributes(api: chatwoot_client.MessagesApi, server: Any) -> None:
    stored = server.add_message(1, 17, "Retry me", message_type="outgoing")
    api.update_a_message({"status": "failed", "external_error": "Timeout"}, 1, 17, stored["id"])
    retried = api.retry_a_message(1, 17, stored["id"])
    assert (retried.status, retried.content_attributes) == ("sent", {})
    assert server.requests[-1].path.endswith(f"/messages/{stored['id']}/retry")


def test_update_and_retry_with_a_bot_token_raise_unauthorized(
    bot_api: chatwoot_client.MessagesApi, server: Any
) -> None:
    stored = server.add_message(1, 17, "Hi", message_type="outgoing")
    for call in (lambda: bot_api.update_a_message({"status": "read"}, 1, 17, stored["id"]),
                 lambda: bot_api.retry_a_message(1, 17, stored["id"])):  # fmt: skip
        with pytest.raises(chatwoot_client.UnauthorizedException, match="not authorized for bots"):
            call()


def test_filter_internal_messages_is_sent_as_true_and_refuses_other_types(
    api: chatwoot_client.MessagesApi, server: Any
) -> None:
    api.list_all_messages(1, 17, filter_internal_messages=True)
    api.list_all_messages(1, 17, filter_internal_messages=False)
    assert [request.query for request in server.requests] == [{"filter_internal_messages": "true"}, {}]
    with pytest.raises(chatwoot_client.ApiValueError, match="filter_internal_messages must be a bool"):
        api.list_all_messages(1, 17, filter_internal_messages="no")  # type: ignore[call-overload]


def _sent_id(server: MockChatwootServer) -> str:
    """The client message id the last create carried, as the server stored it."""
    key: str = server.messages(1, 17)[-1]["content_attributes"]["client_message_id"]
    return key
