"""Models in detail: the exact depth a request body may nest, the exact texts of their refusals, what a model class
gets from the base class (its maps, its slots, its property docs), and a model whose attribute names are not its
JSON keys, as a user's own model may have."""

from __future__ import annotations

from typing import Any, ClassVar, Dict, List

import pytest

from chatwoot_client import (
    ApiClient,
    ApiValueError,
    Attachment,
    ConversationMessageCreate,
    Message,
    MessageStatusUpdate,
    Sender,
    TemplateParams,
)
from chatwoot_client.models.base import Model

MAX_LEVELS = 64  # the documented limit: a request body's JSON nests at most this many levels, the body counted


def nested(dicts: int) -> Any:
    """A value of ``dicts`` nested objects around a string."""
    value: Any = "x"
    for _ in range(dicts):
        value = {"k": value}
    return value


def test_a_body_nested_to_the_limit_is_sent_and_one_level_more_is_refused() -> None:
    # body (1) > content_attributes and the objects in it
    ConversationMessageCreate(content="a", content_attributes=nested(MAX_LEVELS - 1))._request_fields()
    with pytest.raises(ApiValueError, match="nested deeper than 64 levels"):
        ConversationMessageCreate(content="a", content_attributes=nested(MAX_LEVELS))._request_fields()


def test_a_model_inside_a_body_counts_as_a_level() -> None:
    # body (1) > template_params (2) > processed_params and the objects in it
    params = TemplateParams(processed_params=nested(MAX_LEVELS - 2))
    ConversationMessageCreate(content="a", template_params=params)._request_fields()
    deeper = TemplateParams(processed_params=nested(MAX_LEVELS - 1))
    with pytest.raises(ApiValueError, match="nested deeper than 64 levels"):
        ConversationMessageCreate(content="a", template_params=deeper)._request_fields()


def test_an_enum_value_refused_names_the_field_the_value_and_the_choices() -> None:
    with pytest.raises(ApiValueError) as refused:
        ConversationMessageCreate(message_type="sideways")
    assert (
        str(refused.value) == "Invalid value for `message_type` ('sideways'), must be one of ['outgoing', 'incoming']"
    )


def test_an_unknown_field_refused_names_the_known_ones() -> None:
    body = MessageStatusUpdate.from_dict({"status": "read", "colour": "red"})
    with pytest.raises(ApiValueError) as refused:
        body.validate()
    assert str(refused.value) == "body has an unknown field 'colour'; known: status, external_error"
    with pytest.raises(ApiValueError) as refused_again:
        body._request_fields()
    assert str(refused_again.value) == str(refused.value)


def test_validate_runs_the_checks_of_the_fields_together() -> None:
    with pytest.raises(ApiValueError, match=r"^body\.status is required"):
        MessageStatusUpdate(external_error="unreachable").validate()
    with pytest.raises(ApiValueError, match=r"^body\.external_error is kept only with status 'failed'"):
        MessageStatusUpdate(status="read", external_error="unreachable").validate()


def test_from_json_too_deep_says_so() -> None:
    with pytest.raises(ApiValueError) as refused:
        Message.from_json("[" * 100_000 + "]" * 100_000)
    assert str(refused.value) == "Message.from_json expects a JSON object: nested too deeply"


def test_each_field_property_says_what_it_holds() -> None:
    assert Message.content.__doc__ == "The content of this model (str)."
    assert Message.sender.__doc__ == "The sender of this model (Sender)."


def test_a_model_takes_every_field_positionally_in_the_order_of_its_types() -> None:
    values: List[Any] = [f"value {index}" for index in range(len(Sender.openapi_types))]
    sender = Sender(*values)
    assert [getattr(sender, name) for name in Sender.openapi_types] == values
    with pytest.raises(TypeError):
        Sender(*values, "one too many")  # type: ignore[call-arg]


def test_a_list_of_models_is_given_as_a_list_of_dicts() -> None:
    message = Message(attachments=[Attachment(id=3, file_type="image")])
    (item,) = message.to_dict()["attachments"]
    assert type(item) is dict and (item["id"], item["file_type"]) == (3, "image")


def _note_class() -> Any:
    """A model whose attribute names are not its JSON keys, made inside the test that uses it."""

    class _Note(Model):
        openapi_types: ClassVar[Dict[str, str]] = {"text": "str", "author": "Sender"}
        attribute_map: ClassVar[Dict[str, str]] = {"text": "body_text", "author": "written_by"}

    return _Note


def test_a_model_class_gets_its_swagger_types_and_no_instance_dict() -> None:
    _Note = _note_class()
    assert _Note.swagger_types is _Note.openapi_types
    note = _Note(text="Hi")
    with pytest.raises(AttributeError):
        note.colour = "red"


def test_a_model_with_its_own_json_keys_reads_and_writes_them() -> None:
    _Note = _note_class()
    note = _Note.from_dict({"body_text": "Hi", "written_by": {"name": "Ada"}, "extra": 1})
    assert (note.text, note.author.name) == ("Hi", "Ada")
    shown = note.to_dict()  # as generated clients do: by attribute name, unknown keys as they came
    assert (shown["text"], shown["author"]["name"], shown["extra"]) == ("Hi", "Ada", 1)
    assert "body_text" not in shown
    assert _Note(text="Hi")._request_fields() == {"body_text": "Hi"}
    assert ApiClient().sanitize_for_serialization(_Note(text="Hi")) == {"body_text": "Hi"}
    with pytest.raises(ApiValueError, match=r"^body\.text "):
        _Note(text=7)._request_fields()  # the error names the attribute, as the caller wrote it
