"""models.base at the edges: type strings, lenient reading of answers (datetimes in UTC when they name no zone, a
field converted once), strict checking of requests with the path of the bad value in the message, JSON of at
most 64 levels, the keyword constructor, equality and repr."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

import chatwoot_client
from chatwoot_client.models import base

UTC = datetime.timezone.utc


def _deep(levels: int) -> Any:
    value: Any = "bottom"
    for _ in range(levels):
        value = [value]
    return value


# -- type strings ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_name", "parts", "plain", "shape"),
    [
        ("list[Message]", ("list", "Message"), False, list),
        ("list[str]", ("list", "str"), True, list),
        ("dict(str, object)", ("dict", "object"), True, dict),
        ("dict(str, datetime)", ("dict", "datetime"), False, dict),
        ("list[list[int]]", ("list", "list[int]"), True, list),
        ("Sender", ("", "Sender"), False, dict),
        ("datetime", ("", "datetime"), False, object),
        ("int", ("", "int"), True, object),
        ("list[str", ("", "list[str"), False, object),
        ("dict(str, int", ("", "dict(str, int"), False, object),
    ],
)
def test_type_string_is_read_as_kind_inner_plainness_and_json_shape(
    type_name: str, parts: Any, plain: bool, shape: type
) -> None:
    assert base._parse_type(type_name) == parts
    assert base._is_plain(type_name) is plain
    assert base._json_type(type_name) is shape


# -- reading answers ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-27T10:15:00Z", datetime.datetime(2026, 11, 27, 10, 15, tzinfo=UTC)),
        ("2026-11-27T10:15:00", datetime.datetime(2026, 11, 27, 10, 15, tzinfo=UTC)),
        (
            "2026-11-27T10:15:00+02:00",
            datetime.datetime(2026, 11, 27, 10, 15, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
        ),
    ],
)
def test_datetime_is_read_aware_and_in_utc_when_it_names_no_zone(text: str, expected: datetime.datetime) -> None:
    value = base._convert(text, "datetime")

    assert value == expected and value.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("value", ["yesterday", 1700000000, ""])
def test_datetime_that_cannot_be_read_is_kept_as_it_came(value: Any) -> None:
    assert base._convert(value, "datetime") == value


def test_date_is_read_as_a_date() -> None:
    assert base._convert("2026-11-27", "date") == datetime.date(2026, 11, 27)
    assert base._convert("not a date", "date") == "not a date"


def test_nested_models_are_read_in_lists_and_dicts_and_odd_shapes_kept() -> None:
    page = base._convert([{"id": 1}, "odd"], "list[Message]")
    by_key = base._convert({"a": {"id": 2}}, "dict(str, Message)")

    assert type(page[0]) is chatwoot_client.Message and page[0].id == 1 and page[1] == "odd"
    assert type(by_key["a"]) is chatwoot_client.Message and by_key["a"].id == 2
    assert base._convert("not a list", "list[Message]") == "not a list"
    assert base._convert(["not a dict"], "dict(str, Message)") == ["not a dict"]
    assert base._convert([1], "Sender") == [1]
    assert base._convert({"x": 1}, "Unknown") == {"x": 1}
    assert base._convert(None, "Sender") is None


def test_a_field_is_converted_once_and_kept() -> None:
    meta = chatwoot_client.MessageListMeta.from_dict({"agent_last_seen_at": "2026-11-27T10:15:00Z"})

    first = meta.agent_last_seen_at

    assert first is meta.agent_last_seen_at
    assert first == datetime.datetime(2026, 11, 27, 10, 15, tzinfo=UTC)


def test_from_dict_refuses_what_is_not_a_dict() -> None:
    with pytest.raises(chatwoot_client.ApiValueError) as info:
        chatwoot_client.Message.from_dict([1])  # type: ignore[arg-type]

    assert str(info.value) == "Message.from_dict expects a dict, got list"


@pytest.mark.parametrize("text", ["{", None])
def test_from_json_refuses_what_is_not_json(text: Any) -> None:
    with pytest.raises(chatwoot_client.ApiValueError, match=r"^Message\.from_json expects a JSON object: "):
        chatwoot_client.Message.from_json(text)


def test_from_json_reads_bytes() -> None:
    assert chatwoot_client.Message.from_json(b'{"id": 3}').id == 3


# -- writing requests --------------------------------------------------------------------------------------------


def test_json_of_a_model_has_set_fields_only_and_dates_in_iso_form() -> None:
    meta = chatwoot_client.MessageListMeta(agent_last_seen_at=datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))

    assert meta.to_json() == '{"agent_last_seen_at": "2026-01-02T03:04:05+00:00"}'
    assert base._sanitize(datetime.date(2026, 1, 2)) == "2026-01-02"
    assert base._sanitize((1, 2.5, True)) == [1, 2.5, True]


def test_unknown_keys_read_with_a_model_go_back_out() -> None:
    message = chatwoot_client.Message.from_dict({"id": 1, "new_field": {"x": 1}})

    assert message.to_dict()["new_field"] == {"x": 1}
    assert base._sanitize(message) == {"id": 1, "new_field": {"x": 1}}


def test_value_of_another_type_cannot_be_serialized() -> None:
    with pytest.raises(chatwoot_client.ApiTypeError) as info:
        base._sanitize({"a": object()})

    assert str(info.value) == "cannot serialize a value of type object to JSON"


@pytest.mark.parametrize(("levels", "refused"), [(64, False), (65, True)])
def test_json_is_at_most_64_levels_deep(levels: int, refused: bool) -> None:
    if refused:
        with pytest.raises(chatwoot_client.ApiValueError) as info:
            base._sanitize(_deep(levels))
        assert str(info.value) == "cannot send a value nested deeper than 64 levels, or circular, in JSON"
    else:
        assert base._sanitize(_deep(levels)) == _deep(levels)


def test_non_finite_float_is_refused_with_its_message() -> None:
    with pytest.raises(chatwoot_client.ApiValueError) as info:
        base._sanitize(float("inf"))

    assert str(info.value) == "cannot send inf in JSON: only finite numbers"


def test_dict_key_that_is_not_text_is_refused_with_its_message() -> None:
    with pytest.raises(chatwoot_client.ApiValueError) as info:
        base._sanitize({1: "x"})

    assert str(info.value) == "cannot send a JSON object key of type int: keys must be str"


# -- strict checks -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "type_name", "message"),
    [
        ("x", "list[str]", "body.v must be a list, got 'x'"),
        (["a", 2], "list[str]", "body.v[1] must be a str, got 2"),
        ({1: "a"}, "dict(str, object)", "body.v must be a dict with str keys, got {1: 'a'}"),
        ({"k": "a"}, "dict(str, int)", "body.v['k'] must be an int, got 'a'"),
        (True, "int", "body.v must be an int, got True"),
        (True, "float", "body.v must be a number, got True"),
        ("1", "bool", "body.v must be a bool, got '1'"),
        ("2026", "datetime", "body.v must be a datetime, got '2026'"),
        (5, "TemplateParams", "body.v must be a TemplateParams or a dict, got int"),
        (
            {"nope": 1},
            "TemplateParams",
            "body.v has an unknown field 'nope'; known: name, category, language, processed_params",
        ),
        ({"name": 5}, "TemplateParams", "body.v.name must be a str, got 5"),
    ],
)
def test_request_value_of_the_wrong_type_is_refused_naming_its_path(value: Any, type_name: str, message: str) -> None:
    with pytest.raises(chatwoot_client.ApiValueError) as info:
        base._check_value("body.v", value, type_name)

    assert str(info.value) == message


@pytest.mark.parametrize(("value", "type_name"), [(3, "float"), (2.5, "float"), (None, "object"), ([], "object")])
def test_request_value_of_a_compatible_type_is_accepted(value: Any, type_name: str) -> None:
    base._check_value("body.v", value, type_name)


def test_value_outside_the_allowed_ones_is_refused_listing_them() -> None:
    with pytest.raises(chatwoot_client.ApiValueError) as info:
        base._check_value("body.status", "lost", "str", ("sent", "read"))

    assert str(info.value) == "body.status must be one of ['sent', 'read'], got 'lost'"


def test_validate_names_an_unknown_key_read_into_a_request_model() -> None:
    body = chatwoot_client.ConversationMessageCreate.from_dict({"content": "hi", "colour": "red"})

    with pytest.raises(chatwoot_client.ApiValueError, match=r"^body has an unknown field 'colour'; known: content, "):
        body.validate()


def test_a_model_given_where_a_model_is_due_is_used_as_it_is() -> None:
    params = chatwoot_client.TemplateParams(name="hello")

    assert base._model_from_request("body", params, "TemplateParams") is params


# -- the constructor, equality and repr --------------------------------------------------------------------------


def test_positional_arguments_fill_fields_in_order() -> None:
    params = chatwoot_client.TemplateParams("hello", "MARKETING")

    assert (params.name, params.category, params.language) == ("hello", "MARKETING", None)


def test_too_many_positional_arguments_are_refused() -> None:
    with pytest.raises(chatwoot_client.ApiTypeError) as info:
        chatwoot_client.MessageStatusUpdate("read", "x", "y")  # type: ignore[call-arg]

    assert str(info.value) == "MessageStatusUpdate() takes at most 2 positional arguments"


def test_a_field_given_twice_is_refused() -> None:
    with pytest.raises(chatwoot_client.ApiTypeError) as info:
        chatwoot_client.TemplateParams("hello", name="again")  # type: ignore[misc]

    assert str(info.value) == "TemplateParams() got multiple values for argument 'name'"


def test_an_enum_field_may_be_unset() -> None:
    update = chatwoot_client.MessageStatusUpdate(status="read")
    update.status = None

    assert update.status is None


def test_equality_needs_the_same_class_and_fields() -> None:
    message = chatwoot_client.Message.from_dict({"id": 1})

    assert message == chatwoot_client.Message(id=1)
    assert message != chatwoot_client.InlineResponse2005(id=1)
    assert message != chatwoot_client.Message(id=2)
    assert (message != chatwoot_client.Message(id=1)) is False  # __ne__ is the negation of __eq__


def test_repr_of_a_model_too_deep_to_show_says_so() -> None:
    message = chatwoot_client.Message.from_dict({"id": 1, "content_attributes": {"deep": _deep(5000)}})

    assert repr(message) == "<Message that cannot be shown in full>"


def test_repr_shows_the_fields() -> None:
    assert repr(chatwoot_client.MessageStatusUpdate(status="read")) == "{'external_error': None, 'status': 'read'}"
