"""The generated-style type strings ApiClient reads and the strict checks of what is sent: dicts of models, dates,
lists, positional constructors, and models read leniently then sent."""

from __future__ import annotations

import datetime
from typing import Any, NamedTuple

import pytest

import chatwoot_client
from chatwoot_client.exceptions import ApiTypeError, ApiValueError
from chatwoot_client.models.base import _check_value
from chatwoot_client.testing import MockChatwootServer
from conftest import ACCOUNT_ID, API_CONVERSATION_ID


class Answer(NamedTuple):
    """What ApiClient.deserialize reads: an object with the body bytes in .data."""

    data: bytes
    status: int = 200


def test_dict_of_models_is_read_as_models(api_client: chatwoot_client.ApiClient) -> None:
    read = api_client.deserialize(Answer(b'{"a": {"id": 1}, "b": null}'), "dict(str, Message)")

    assert read == {"a": chatwoot_client.Message(id=1), "b": None}


def test_dict_type_keeps_a_value_that_is_not_an_object(api_client: chatwoot_client.ApiClient) -> None:
    meta = chatwoot_client.MessageListMeta.from_dict({"labels": "vip"})

    assert meta.labels == "vip"
    assert api_client.deserialize(Answer(b'{"x": 1}'), "dict(str, object)") == {"x": 1}


def test_date_is_read_from_iso_text(api_client: chatwoot_client.ApiClient) -> None:
    assert api_client.deserialize(Answer(b'"2026-11-27"'), "date") == datetime.date(2026, 11, 27)


def test_unreadable_date_is_kept_as_text(api_client: chatwoot_client.ApiClient) -> None:
    assert api_client.deserialize(Answer(b'"someday"'), "date") == "someday"


def test_datetime_that_is_not_text_is_kept(api_client: chatwoot_client.ApiClient) -> None:
    assert api_client.deserialize(Answer(b"1764201600"), "datetime") == 1764201600


def test_value_that_cannot_be_json_is_refused(api_client: chatwoot_client.ApiClient) -> None:
    with pytest.raises(ApiTypeError, match="cannot serialize a value of type object"):
        api_client.sanitize_for_serialization({"when": object()})


def test_too_many_positional_arguments_raise_type_error() -> None:
    with pytest.raises(ApiTypeError, match=r"TemplateParams\(\) takes at most 4 positional arguments"):
        chatwoot_client.TemplateParams("a", "b", "c", {}, "e")  # type: ignore[call-arg]


def test_argument_given_by_position_and_keyword_raises_type_error() -> None:
    with pytest.raises(ApiTypeError, match="got multiple values for argument 'name'"):
        chatwoot_client.TemplateParams("order", name="order")  # type: ignore[misc]


def test_list_value_is_checked_item_by_item() -> None:
    _check_value("body.labels", ["a", "b"], "list[str]")
    with pytest.raises(ApiValueError, match=r"body\.labels\[1\] must be a str, got 2"):
        _check_value("body.labels", ["a", 2], "list[str]")
    with pytest.raises(ApiValueError, match=r"body\.labels must be a list, got 'a'"):
        _check_value("body.labels", "a", "list[str]")


def test_model_read_leniently_is_checked_strictly_when_sent(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    body = chatwoot_client.ConversationMessageCreate.from_dict({"content": "Hi", "message_type": "sideways"})
    assert body.message_type == "sideways"  # read leniently, as a response would be

    with pytest.raises(ApiValueError, match=r"body.message_type must be one of \['outgoing', 'incoming'\]"):
        api.create_a_new_message_in_a_conversation(body, ACCOUNT_ID, API_CONVERSATION_ID)

    assert server.requests == []


def test_nested_model_field_of_the_wrong_type_is_refused(api: chatwoot_client.MessagesApi) -> None:
    body: Any = {"content": "Hi", "template_params": {"name": 5}}

    with pytest.raises(ApiValueError, match=r"body\.template_params\.name must be a str, got 5"):
        api.create_a_new_message_in_a_conversation(body, ACCOUNT_ID, API_CONVERSATION_ID)
