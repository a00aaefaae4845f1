"""Caller mistakes raise ApiValueError/ApiTypeError naming the problem, before any network I/O."""

from __future__ import annotations

from typing import Any, Callable, Dict

import pytest

import chatwoot_client
from chatwoot_client.testing import MockChatwootServer
from conftest import ACCOUNT_ID, API_CONVERSATION_ID

BAD_IDS = [0, -1, True, False, "17", 17.0, "../17", None]


def _create(api: chatwoot_client.MessagesApi, **overrides: Any) -> Any:
    arguments: Dict[str, Any] = {"body": {"content": "x"}, "account_id": 1, "conversation_id": 17}
    keywords = overrides.pop("keywords", {})
    arguments.update(overrides)
    return api.create_a_new_message_in_a_conversation(
        arguments["body"], arguments["account_id"], arguments["conversation_id"], **keywords
    )


@pytest.mark.parametrize("bad_id", BAD_IDS)
@pytest.mark.parametrize("argument", ["account_id", "conversation_id"])
def test_bad_path_id_on_create_is_rejected_before_io(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, argument: str, bad_id: Any
) -> None:
    with pytest.raises(ValueError, match=argument):
        _create(api, **{argument: bad_id})
    assert server.requests == []


@pytest.mark.parametrize("bad_id", BAD_IDS)
def test_bad_message_id_on_delete_is_rejected_before_io(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, bad_id: Any
) -> None:
    with pytest.raises(ValueError, match="message_id"):
        api.delete_a_message(ACCOUNT_ID, API_CONVERSATION_ID, bad_id)
    assert server.requests == []


@pytest.mark.parametrize(("name", "value"), [("before", 0), ("before", True), ("after", -1), ("after", "5")])
def test_bad_paging_id_is_rejected_before_io(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, name: str, value: Any
) -> None:
    with pytest.raises(chatwoot_client.ApiValueError, match=name):
        api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID, **{name: value})
    assert server.requests == []


@pytest.mark.parametrize(
    "call",
    [
        lambda api: api.list_all_messages(1, 17, page=2),
        lambda api: api.delete_a_message(1, 17, 5, before=3),
        lambda api: api.create_a_new_message_in_a_conversation({"content": "x"}, 1, 17, timeout=3),
    ],
)
def test_unknown_keyword_raises_type_error_naming_it(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, call: Callable[[Any], Any]
) -> None:
    with pytest.raises(TypeError, match=r"unexpected keyword argument '(page|before|timeout)'"):
        call(api)
    assert server.requests == []


def test_missing_body_raises_value_error_naming_it(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    with pytest.raises(chatwoot_client.ApiValueError, match="`body`"):
        _create(api, body=None)
    assert server.requests == []


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({}, "body.content is required"),
        ({"content": ""}, "body.content is required"),
        ({"content": "x", "message_type": "activity"}, "message_type"),
        ({"content": "x", "content_type": "stickers"}, "content_type"),
        ({"content": "x", "private": "yes"}, "body.private must be a bool"),
        ({"content": 5}, "body.content must be a str"),
        ({"content": "x", "content_attributes": ["a"]}, "body.content_attributes must be a dict"),
        ({"content": "x", "colour": "red"}, "unknown field 'colour'"),
        ({"content": "x", "template_params": {"nam": "t"}}, "template_params has an unknown field 'nam'"),
        ({"content": "x", "template_params": {"name": 3}}, "body.template_params.name must be a str"),
        ("hello", "body must be a ConversationMessageCreate or a dict"),
    ],
)
def test_bad_body_is_rejected_before_io(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, body: Any, problem: str
) -> None:
    with pytest.raises(chatwoot_client.ApiValueError, match=problem):
        _create(api, body=body)
    assert server.requests == []


def test_model_body_with_unknown_read_field_is_rejected(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    body = chatwoot_client.ConversationMessageCreate.from_dict({"content": "x", "echo": 1})

    with pytest.raises(chatwoot_client.ApiValueError, match="unknown field 'echo'"):
        _create(api, body=body)
    assert server.requests == []


@pytest.mark.parametrize(
    ("attachments", "problem"),
    [
        ([("a.txt", b"x")] * 16, "at most 15"),
        ("a.txt", "attachments must be a list"),
        (["/no/such/file.png"], r"attachments\[0\]: cannot read file"),
        ([("a.txt", "text, not bytes")], r"attachments\[0\]: the data must be bytes"),
        ([42], r"attachments\[0\] must be a file path"),
        ([("", b"x")], r"attachments\[0\] must be \(filename"),
    ],
)
def test_bad_attachments_are_rejected_before_io(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, attachments: Any, problem: str
) -> None:
    with pytest.raises(chatwoot_client.ApiValueError, match=problem):
        _create(api, keywords={"attachments": attachments})
    assert server.requests == []


def test_text_mode_file_is_rejected(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, tmp_path: Any
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("notes")
    with path.open() as handle, pytest.raises(chatwoot_client.ApiValueError, match="binary mode"):
        _create(api, keywords={"attachments": [handle]})
    assert server.requests == []


def test_create_without_content_but_with_attachment_is_sent(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    created = _create(api, body={}, keywords={"attachments": [("a.txt", b"x")]})

    assert created.content is None
    assert len(server.requests) == 1


@pytest.mark.parametrize("timeout", [0, -1, "5", (1, 0), (1, 2, 3), True])
def test_bad_request_timeout_is_rejected_before_io(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, timeout: Any
) -> None:
    with pytest.raises(chatwoot_client.ApiValueError, match="_request_timeout"):
        api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID, _request_timeout=timeout)
    assert server.requests == []


def test_missing_token_is_rejected_before_io(server: MockChatwootServer) -> None:
    api = chatwoot_client.MessagesApi(chatwoot_client.ApiClient(chatwoot_client.Configuration(host=server.url)))

    with pytest.raises(chatwoot_client.ApiValueError, match="api_access_token"):
        api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)
    assert server.requests == []


@pytest.mark.parametrize("value", ["tok\r\nX-Evil: 1", "tok\nen"])
def test_token_with_cr_or_lf_is_rejected_before_io(server: MockChatwootServer, value: str) -> None:
    configuration = chatwoot_client.Configuration(host=server.url, api_key={"api_access_token": value})
    api = chatwoot_client.MessagesApi(chatwoot_client.ApiClient(configuration))

    with pytest.raises(ValueError, match="CR or LF"):
        api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)
    assert server.requests == []


@pytest.mark.parametrize(
    "setter",
    [
        lambda client: client.set_default_header("X-Trace", "a\r\nb"),
        lambda client: client.set_default_header("X-Bad\n", "a"),
        lambda client: setattr(client, "user_agent", "agent\n"),
        lambda client: setattr(client, "cookie", "a=b\r\n"),
    ],
)
def test_header_value_with_cr_or_lf_raises_value_error(setter: Callable[[Any], None]) -> None:
    with pytest.raises(ValueError, match=r"CR or LF|not a valid HTTP header name"):
        setter(chatwoot_client.ApiClient())


@pytest.mark.parametrize(
    ("field", "value"), [("message_type", "activity"), ("content_type", "stickers"), ("message_type", 1)]
)
def test_setting_an_enum_field_to_another_value_lists_allowed_values(field: str, value: Any) -> None:
    body = chatwoot_client.ConversationMessageCreate()

    with pytest.raises(ValueError, match=r"must be one of \["):
        setattr(body, field, value)


def test_model_constructor_rejects_unknown_keyword() -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        chatwoot_client.ConversationMessageCreate(colour="red")  # type: ignore[call-arg]


@pytest.mark.parametrize(
    "body, keywords, named",
    [
        ({"content": "hi \ud800"}, {}, "body holds text that is not valid Unicode"),
        ({"content": "hi", "content_attributes": {"\udc80": 1}}, {}, "body holds text that is not valid Unicode"),
        ({"content": "hi \ud800"}, {"attachments": [("a.txt", b"x")]}, "body holds text that is not valid Unicode"),
        ({"content": "hi"}, {"attachments": [("\ud800.txt", b"x")]}, r"attachments\[0\]: the filename is not valid"),
    ],
    ids=["json-content", "json-key", "multipart-field", "filename"],
)
def test_text_utf8_cannot_carry_is_refused_before_io(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, body: Any, keywords: Any, named: str
) -> None:
    # A lone surrogate is what a str decoded from broken bytes with errors="surrogateescape" holds (sys.argv, say).
    with pytest.raises(chatwoot_client.ApiValueError, match=named):
        api.create_a_new_message_in_a_conversation(body, ACCOUNT_ID, API_CONVERSATION_ID, **keywords)
    assert server.requests == []


def test_non_ascii_text_is_sent_as_utf8_json(api: chatwoot_client.MessagesApi, server: MockChatwootServer) -> None:
    content = "Grüße, 你好 👋"

    created = api.create_a_new_message_in_a_conversation({"content": content}, ACCOUNT_ID, API_CONVERSATION_ID)

    assert created.content == content
    assert content.encode("utf-8") in server.requests[-1].body


@pytest.mark.parametrize("option", ["async_req", "_preload_content", "_return_http_data_only"])
@pytest.mark.parametrize("value", ["yes", 1, 0, [], "false"])
def test_a_call_option_that_is_not_a_bool_is_refused_before_io(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, option: str, value: Any
) -> None:
    # "false" is truthy: read as a bool it would do the opposite of what it says.
    with pytest.raises(chatwoot_client.ApiValueError, match=f"{option} must be a bool"):
        api.list_all_messages_with_http_info(ACCOUNT_ID, API_CONVERSATION_ID, **{option: value})
    assert server.requests == []


class _FailingFile:
    name = "report.pdf"

    def __init__(self, error: Exception) -> None:
        self.error = error

    def read(self) -> bytes:
        raise self.error


@pytest.mark.parametrize("error", [OSError("the disk is gone"), ValueError("I/O operation on closed file")])
def test_a_file_object_that_fails_to_read_is_refused_naming_it(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, error: Exception
) -> None:
    with pytest.raises(chatwoot_client.ApiValueError, match=r"attachments\[1\]: cannot read the file object"):
        api.create_a_new_message_in_a_conversation(
            {"content": "x"}, ACCOUNT_ID, API_CONVERSATION_ID, attachments=[("a.txt", b"a"), _FailingFile(error)]
        )
    assert server.requests == []
