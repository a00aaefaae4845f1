"""Models: lenient reading (unknown fields and enum values kept, null anywhere), round trips, the generated surface."""

from __future__ import annotations

import datetime
from typing import Any, Dict, Type

import pytest

import chatwoot_client
from chatwoot_client import models
from chatwoot_client.models.base import Model
from chatwoot_client.testing import MockChatwootServer
from conftest import ACCOUNT_ID, API_CONVERSATION_ID

ALL_MODELS = [getattr(models, name) for name in models.__all__]

SERVER_MESSAGE: Dict[str, Any] = {
    "id": 1042,
    "content": "Hello",
    "inbox_id": 3,
    "echo_id": None,
    "conversation_id": 17,
    "message_type": 1,
    "content_type": "text",
    "status": "sent",
    "content_attributes": {},
    "created_at": 1764201600,
    "private": False,
    "source_id": None,
    "sender": {"id": 5, "name": "Ada", "available_name": "Ada", "type": "user", "avatar_url": "", "thumbnail": ""},
    "attachments": [
        {
            "id": 9,
            "message_id": 1042,
            "file_type": "image",
            "account_id": 1,
            "extension": "png",
            "data_url": "https://example.invalid/a.png",
            "thumb_url": "https://example.invalid/a.png",
            "file_size": 5321,
            "width": 64,
            "height": 64,
        }
    ],
}


def test_message_from_dict_reads_every_field() -> None:
    message = chatwoot_client.Message.from_dict(SERVER_MESSAGE)

    assert (message.id, message.content, message.created_at, message.private) == (1042, "Hello", 1764201600, False)
    assert isinstance(message.sender, chatwoot_client.Sender) and message.sender.name == "Ada"
    assert message.attachments is not None
    assert isinstance(message.attachments[0], chatwoot_client.Attachment)
    assert message.attachments[0].width == 64


def test_unknown_fields_are_kept_and_returned_by_to_dict() -> None:
    data = {**SERVER_MESSAGE, "reactions": ["+1"], "sender": {**SERVER_MESSAGE["sender"], "pronouns": "she"}}

    message = chatwoot_client.Message.from_dict(data)

    assert message.to_dict()["reactions"] == ["+1"]
    assert message.to_dict()["sender"]["pronouns"] == "she"


@pytest.mark.parametrize(
    ("field", "value"), [("message_type", 9), ("status", "bounced"), ("content_type", "voice_call")]
)
def test_unknown_enum_values_in_a_response_are_kept(field: str, value: Any) -> None:
    message = chatwoot_client.Message.from_dict({**SERVER_MESSAGE, field: value})

    assert getattr(message, field) == value


def test_unknown_sender_type_is_kept() -> None:
    sender = chatwoot_client.Sender.from_dict({"id": 1, "type": "captain_assistant"})

    assert sender.type == "captain_assistant"


@pytest.mark.parametrize("model", ALL_MODELS)
def test_null_is_accepted_for_every_field(model: Type[Model]) -> None:
    kept = {"id": 1} if model is chatwoot_client.InlineResponse2005 else {}  # a created message has an id
    instance = model.from_dict({**{key: None for key in model.attribute_map.values()}, **kept})

    assert instance.to_dict() == {**{name: None for name in model.openapi_types}, **kept}


@pytest.mark.parametrize("data", [{}, {"id": None}, {"id": "1042"}, {"id": False}, {"id": 1.5}])
def test_created_message_without_an_int_id_is_refused(data: Dict[str, Any]) -> None:
    with pytest.raises(chatwoot_client.ApiValueError, match="a created message has an int id, got"):
        chatwoot_client.InlineResponse2005.from_dict(data)


def test_created_message_read_from_json_keeps_its_int_id() -> None:
    assert chatwoot_client.InlineResponse2005.from_json('{"id": 1042}').id == 1042


def test_unexpected_shapes_are_kept_not_rejected() -> None:
    message = chatwoot_client.Message.from_dict({"id": "1042", "sender": "system", "attachments": {"id": 1}})

    assert (message.id, message.sender, message.attachments) == ("1042", "system", {"id": 1})


def test_meta_datetimes_are_timezone_aware() -> None:
    meta = chatwoot_client.MessageListMeta.from_dict(
        {"agent_last_seen_at": "2026-11-27T10:15:00.000Z", "assignee_last_seen_at": "2026-11-27T10:15:00"}
    )

    expected = datetime.datetime(2026, 11, 27, 10, 15, tzinfo=datetime.timezone.utc)
    assert meta.agent_last_seen_at == expected
    assert meta.assignee_last_seen_at == expected


def test_unreadable_datetime_is_kept_as_text() -> None:
    meta = chatwoot_client.MessageListMeta.from_dict({"agent_last_seen_at": "yesterday"})

    assert meta.agent_last_seen_at == "yesterday"


def test_from_json_accepts_bytes_and_str() -> None:
    text = '{"meta": {"labels": ["vip"]}, "payload": [{"id": 1, "brand_new": true}]}'

    for source in (text, text.encode()):
        page = chatwoot_client.MessageList.from_json(source)
        assert page.meta is not None and page.meta.labels == ["vip"]
        assert page.payload is not None and page.payload[0].to_dict()["brand_new"] is True


@pytest.mark.parametrize("text", ["not json", "[1]", b"\xff"])
def test_from_json_rejects_what_is_not_a_json_object(text: Any) -> None:
    with pytest.raises(ValueError, match="MessageList"):
        chatwoot_client.MessageList.from_json(text)


def test_to_json_and_from_json_round_trip() -> None:
    message = chatwoot_client.Message.from_dict({**SERVER_MESSAGE, "reactions": ["+1"]})

    assert chatwoot_client.Message.from_json(message.to_json()) == message


def test_to_dict_of_a_constructed_model_lists_every_field() -> None:
    body = chatwoot_client.ConversationMessageCreate(
        content="Hi", template_params=chatwoot_client.TemplateParams(name="greeting")
    )

    assert body.to_dict() == {
        "content": "Hi",
        "message_type": None,
        "private": None,
        "content_type": None,
        "content_attributes": None,
        "template_params": {"name": "greeting", "category": None, "language": None, "processed_params": None},
        "campaign_id": None,
        "echo_id": None,
        "source_id": None,
        "external_created_at": None,
    }


def test_sanitize_for_serialization_leaves_out_none_and_formats_datetimes() -> None:
    when = datetime.datetime(2026, 11, 27, 10, 15, tzinfo=datetime.timezone.utc)
    client = chatwoot_client.ApiClient()

    assert client.sanitize_for_serialization(
        [chatwoot_client.ConversationMessageCreate(content="Hi", private=False), {"at": when}, (1, "a")]
    ) == [{"content": "Hi", "private": False}, {"at": "2026-11-27T10:15:00+00:00"}, [1, "a"]]


def test_positional_constructor_follows_field_order() -> None:
    params = chatwoot_client.TemplateParams("greeting", "UTILITY", "en_US")

    assert (params.name, params.category, params.language) == ("greeting", "UTILITY", "en_US")


def test_equality_compares_class_and_fields() -> None:
    first = chatwoot_client.Sender(id=1, name="Ada")

    assert first == chatwoot_client.Sender(id=1, name="Ada")
    assert first != chatwoot_client.Sender(id=2, name="Ada")
    assert chatwoot_client.Message(id=1) != chatwoot_client.InlineResponse2005(id=1)


def test_setter_changes_a_field_read_from_a_response() -> None:
    message = chatwoot_client.Message.from_dict(dict(SERVER_MESSAGE))

    assert message.sender is not None
    message.sender.name = "Grace"
    message.content = "Edited"

    assert message.to_dict()["sender"]["name"] == "Grace"
    assert message.content == "Edited"


@pytest.mark.parametrize("model", ALL_MODELS)
def test_generated_class_maps_match(model: Type[Model]) -> None:
    assert model.swagger_types is model.openapi_types
    assert set(model.attribute_map) == set(model.openapi_types)
    assert repr(model()) == model().to_str()


def test_deserialize_reads_generated_type_strings(api_client: chatwoot_client.ApiClient) -> None:
    class Response:
        status = 200
        data = b'[{"id": 1}, {"id": 2}]'

        def getheaders(self) -> Dict[str, str]:
            return {}

    messages = api_client.deserialize(Response(), "list[Message]")

    assert [message.id for message in messages] == [1, 2]


def test_list_answer_with_server_extra_fields_keeps_them(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer
) -> None:
    server.add_message(ACCOUNT_ID, API_CONVERSATION_ID, "hi", status="bounced", sentiment={"label": "happy"})

    (message,) = api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID).payload or []

    assert message.status == "bounced"
    assert message.to_dict()["sentiment"] == {"label": "happy"}


def test_sender_reads_the_contact_shape() -> None:
    contact = {
        "additional_attributes": {"city": "Oslo"},
        "custom_attributes": {"plan": "pro"},
        "email": "grace@example.com",
        "id": 7,
        "identifier": "crm-7",
        "name": "Grace",
        "phone_number": "+15550100007",
        "thumbnail": "",
        "blocked": False,
        "type": "contact",
    }
    sender = models.Sender.from_dict(contact)
    assert (sender.type, sender.email, sender.identifier, sender.blocked) == (
        "contact",
        "grace@example.com",
        "crm-7",
        False,
    )
    assert sender.custom_attributes == {"plan": "pro"} and sender.available_name is None


def test_sender_reads_the_agent_bot_shape() -> None:
    bot = {"id": 3, "name": "Helper Bot", "avatar_url": "https://example.com/bot.png", "type": "agent_bot"}
    sender = models.Sender.from_dict(bot)
    assert (sender.id, sender.name, sender.avatar_url, sender.type) == (
        3,
        "Helper Bot",
        "https://example.com/bot.png",
        "agent_bot",
    )
    assert sender.email is None and sender.availability_status is None


@pytest.mark.parametrize("model", [model for model in ALL_MODELS if "openapi_types" in vars(model)])
def test_type_checkers_see_every_field_in_the_constructors_order(model: Type[Model]) -> None:
    # dataclass_transform turns the annotations into the constructor's parameters: they must be the fields, in
    # the order the constructor takes positional arguments (test/typing/user_script.py checks the None defaults).
    annotated = list(vars(model).get("__annotations__", {}))

    assert annotated == list(model.openapi_types)
