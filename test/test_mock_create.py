"""SERVER.md sections 4 and 8: creating a message as leniently as the server's builder, over raw HTTP."""

from __future__ import annotations

import time
from typing import Any, Dict

import pytest
from _mock_http import MESSAGES, WIDGET_MESSAGES, call, call_json

from chatwoot_client.testing import MockChatwootServer

MESSAGE_KEYS = [
    "id",
    "content",
    "inbox_id",
    "conversation_id",
    "message_type",
    "content_type",
    "status",
    "content_attributes",
    "created_at",
    "private",
    "source_id",
    "sender",
]
CONTENT_TYPES = [
    "text",
    "input_text",
    "input_textarea",
    "input_email",
    "input_select",
    "cards",
    "form",
    "article",
    "incoming_email",
    "input_csat",
    "integrations",
    "sticker",
    "voice_call",
]
ITEMS: Dict[str, Any] = {
    "input_select": [{"title": "Yes", "value": "yes"}],
    "cards": [{"title": "Card", "actions": [{"type": "link", "text": "Open", "uri": "https://example.com"}]}],
    "form": [{"type": "text", "name": "email", "label": "Email"}],
    "article": [{"title": "Help", "link": "https://example.com/help"}],
}


def create(server: MockChatwootServer, body: Any, path: str = MESSAGES, **options: Any) -> Any:
    return call_json(server, "POST", path, body=body, **options)


def refused(server: MockChatwootServer, body: Any, text: str) -> None:
    """Assert a 422 with the create action's rescue body and that nothing was stored."""
    assert create(server, body) == (422, {"error": text})
    assert server.messages(1, 17) == []


def test_rule_8_a_created_message_has_exactly_the_servers_keys_in_order(server: MockChatwootServer) -> None:
    """SERVER.md 8: key order, integer message_type, no echo_id unless given, no additional_attributes."""
    status, message = create(server, {"content": "Hello"})
    assert status == 200 and list(message) == MESSAGE_KEYS
    assert (message["message_type"], message["content_type"], message["private"]) == (1, "text", False)
    assert (message["status"], message["source_id"], message["content_attributes"]) == ("sent", None, {})
    assert server.messages(1, 17) == [message]


def test_rule_8_a_user_sender_has_exactly_the_user_keys(server: MockChatwootServer) -> None:
    """SERVER.md 8: user sender keys."""
    _, message = create(server, {"content": "Hello"})
    keys = {"id", "name", "available_name", "avatar_url", "type", "availability_status", "thumbnail"}
    assert set(message["sender"]) == keys and message["sender"]["type"] == "user"


def test_rule_8_a_contact_sender_has_exactly_the_contact_keys(server: MockChatwootServer) -> None:
    """SERVER.md 8: contact sender keys: no available_name, avatar_url or availability_status."""
    _, message = create(server, {"content": "Hi", "message_type": "incoming"})
    keys = {"additional_attributes", "custom_attributes", "email", "id", "identifier", "name"}
    keys |= {"phone_number", "thumbnail", "blocked", "type"}
    assert set(message["sender"]) == keys and message["sender"]["type"] == "contact"


def test_rule_8_a_bot_sender_has_exactly_the_bot_keys(server: MockChatwootServer) -> None:
    """SERVER.md 8: agent bot sender keys; a bot's outgoing message has the bot as sender."""
    status, message = create(server, {"content": "beep"}, token="bot")
    assert status == 200 and message["sender"] == {"id": 1, "name": "Echo Bot", "avatar_url": "", "type": "agent_bot"}


def test_rule_4_a_user_may_name_the_bot_as_sender(server: MockChatwootServer) -> None:
    """SERVER.md 4: ``sender_type: AgentBot`` with the bot's ``sender_id``."""
    _, message = create(server, {"content": "x", "sender_type": "AgentBot", "sender_id": 1})
    assert message["sender"]["type"] == "agent_bot"


@pytest.mark.parametrize("message_type", ["incoming", "activity", "template"])
def test_rule_4_every_type_but_outgoing_gets_the_contact_as_sender(
    server: MockChatwootServer, message_type: str
) -> None:
    """SERVER.md 4: for every type other than outgoing the sender is the conversation's contact."""
    status, message = create(server, {"content": "x", "message_type": message_type})
    assert status == 200 and message["sender"]["type"] == "contact"


@pytest.mark.parametrize(("given", "stored"), [("activity", 2), ("template", 3), (0, 0), (3, 3)])
def test_rule_4_every_message_type_name_and_integer_is_taken(
    server: MockChatwootServer, given: Any, stored: int
) -> None:
    """SERVER.md 4: any enum name, or its integer, is taken."""
    status, message = create(server, {"content": "x", "message_type": given})
    assert status == 200 and message["message_type"] == stored


@pytest.mark.parametrize("message_type", [1])
def test_rule_4_outgoing_given_as_its_integer_gets_the_contact_as_sender(
    server: MockChatwootServer, message_type: Any
) -> None:
    """SERVER.md 4: the builder compares with the string "outgoing", so 1 is outgoing sent by the contact."""
    status, message = create(server, {"content": "x", "message_type": message_type})
    assert status == 200 and (message["message_type"], message["sender"]["type"]) == (1, "contact")


@pytest.mark.parametrize("message_type", ["activity", "template", 0])
def test_rule_4_activity_template_and_integer_types_are_allowed_outside_api_inboxes(
    server: MockChatwootServer, message_type: Any
) -> None:
    """SERVER.md 4: only the string ``incoming`` is checked against the inbox."""
    status, message = create(server, {"content": "x", "message_type": message_type}, path=WIDGET_MESSAGES)
    assert status == 200 and message["sender"]["type"] == "contact"


def test_rule_4_incoming_outside_an_api_inbox_is_unprocessable(server: MockChatwootServer) -> None:
    """SERVER.md 4."""
    answer = create(server, {"content": "Hi", "message_type": "incoming"}, path=WIDGET_MESSAGES)
    assert answer == (422, {"error": "Incoming messages are only allowed in Api inboxes"})
    assert server.messages(1, 18) == []


def test_rule_4_an_unknown_message_type_is_unprocessable(server: MockChatwootServer) -> None:
    """SERVER.md 4: Rails' enum text (inferred)."""
    refused(server, {"content": "x", "message_type": "shout"}, "'shout' is not a valid message_type")


def test_rule_4_an_empty_message_type_fails_the_not_null_column(server: MockChatwootServer) -> None:
    """SERVER.md 4: an empty string casts to null (inferred)."""
    status, answer = create(server, {"content": "x", "message_type": ""})
    assert status == 422 and "message_type" in answer["error"] and "not-null" in answer["error"]


@pytest.mark.parametrize("content_type", CONTENT_TYPES)
def test_rule_4_every_content_type_of_the_enum_is_taken(server: MockChatwootServer, content_type: str) -> None:
    """SERVER.md 4: the 13 content types (those that need items get some)."""
    body: Dict[str, Any] = {"content": "x", "content_type": content_type}
    if content_type in ITEMS:
        body["content_attributes"] = {"items": ITEMS[content_type]}
    status, message = create(server, body)
    assert status == 200 and message["content_type"] == content_type


@pytest.mark.parametrize(("given", "stored"), [(None, "text"), ("", "text"), (11, "sticker"), (12, "voice_call")])
def test_rule_4_content_type_blank_is_text_and_integers_are_the_enum(
    server: MockChatwootServer, given: Any, stored: str
) -> None:
    """SERVER.md 4: null or "" is text; the enum's integers are its names."""
    status, message = create(server, {"content": "x", "content_type": given})
    assert status == 200 and message["content_type"] == stored


@pytest.mark.parametrize(("field", "given"), [("content_type", "12"), ("message_type", "1"), ("content_type", 13)])
def test_rule_4_an_enum_given_as_digits_or_out_of_range_is_unprocessable(
    server: MockChatwootServer, field: str, given: Any
) -> None:
    """SERVER.md 4: Rails' EnumType takes a name or one of its integers; "12" is neither (inferred)."""
    refused(server, {"content": "x", field: given}, f"'{given}' is not a valid {field}")


def test_rule_4_an_unknown_content_type_is_unprocessable(server: MockChatwootServer) -> None:
    """SERVER.md 4 (inferred text)."""
    refused(server, {"content": "x", "content_type": "hologram"}, "'hologram' is not a valid content_type")


@pytest.mark.parametrize(
    ("attributes", "text"),
    [
        ({"items": []}, "Validation failed: Content attributes At least one item is required."),
        (
            {"items": [{"title": "a", "x": 1}]},
            "Validation failed: Content attributes contains invalid keys for items : [:x]",
        ),
        ({}, "undefined method 'reject' for nil"),
    ],
)
def test_rule_4_input_select_without_valid_items_is_unprocessable(
    server: MockChatwootServer, attributes: Dict[str, Any], text: str
) -> None:
    """SERVER.md 4: content attribute validator texts."""
    refused(server, {"content": "x", "content_type": "input_select", "content_attributes": attributes}, text)


def test_rule_4_a_card_without_actions_is_unprocessable(server: MockChatwootServer) -> None:
    """SERVER.md 4: cards need actions."""
    body = {"content_type": "cards", "content_attributes": {"items": [{"title": "no actions"}]}}
    refused(server, body, "Validation failed: Content attributes contains items missing actions")


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ({"a": 1, "custom": {"deep": [1]}}, {"a": 1, "custom": {"deep": [1]}}),
        ('{"k": "v"}', {"k": "v"}),
        ("{not json", {}),
        ("NaN", {}),
        ("null", {}),
        ([1, 2], {}),
        (5, {}),
        (True, {}),
    ],
)
def test_rule_4_content_attributes_object_json_text_or_unreadable(
    server: MockChatwootServer, given: Any, stored: Dict[str, Any]
) -> None:
    """SERVER.md 4: an object as given (custom keys kept), JSON text parsed, anything unreadable ``{}``."""
    status, message = create(server, {"content": "x", "content_attributes": given})
    assert status == 200 and message["content_attributes"] == stored
    _, page = call_json(server, "GET", MESSAGES)
    assert page["payload"][-1]["content_attributes"] == stored


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("[1]", "no implicit conversion of Symbol into Integer"),
        ("5", "undefined method 'dig' for an instance of Integer"),
        ('"s"', "undefined method 'dig' for an instance of String"),
        ("true", "undefined method 'dig' for true"),
    ],
)
def test_rule_4_content_attributes_json_text_of_a_non_object_is_a_ruby_error(
    server: MockChatwootServer, text: str, error: str
) -> None:
    """SERVER.md 4: JSON text that parses to a non-object other than null (inferred texts)."""
    refused(server, {"content": "x", "content_attributes": text}, error)


def test_rule_4_automation_rule_id_keeps_only_its_keys(server: MockChatwootServer) -> None:
    """SERVER.md 4: a present automation_rule_id keeps only itself, items and in_reply_to."""
    body = {"content": "x", "content_attributes": {"automation_rule_id": 7, "other": 1}}
    assert create(server, body)[1]["content_attributes"] == {"automation_rule_id": 7}


def test_rule_4_in_reply_to_is_resolved_in_this_conversation(server: MockChatwootServer) -> None:
    """SERVER.md 4: in_reply_to becomes that message's id or null, with in_reply_to_external_id."""
    first = create(server, {"content": "first", "source_id": "ext-1"})[1]
    _, reply = create(server, {"content": "re", "content_attributes": {"in_reply_to": str(first["id"])}})
    assert reply["content_attributes"] == {"in_reply_to": first["id"], "in_reply_to_external_id": "ext-1"}
    _, orphan = create(server, {"content": "re", "content_attributes": {"in_reply_to": 999}})
    assert orphan["content_attributes"] == {"in_reply_to": None, "in_reply_to_external_id": None}


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        (None, None),
        (123, "123"),
        (1.5, "1.5"),
        (True, "t"),
        (False, "f"),
        (["a", 1, None], '["a", 1, nil]'),
        ({"a": {"b": True}}, '{"a" => {"b" => true}}'),
        ("", ""),
    ],
)
def test_rule_4_content_is_stored_as_text(server: MockChatwootServer, given: Any, stored: Any) -> None:
    """SERVER.md 4: numbers and booleans become text, lists and objects Ruby's inspect text; no presence check."""
    status, message = create(server, {"content": given})
    assert status == 200 and message["content"] == stored


def test_rule_4_a_create_without_any_field_is_an_empty_message(server: MockChatwootServer) -> None:
    """SERVER.md 4: no presence check: 200 with content null."""
    status, message = create(server, {})
    assert status == 200 and message["content"] is None and message["message_type"] == 1


def test_rule_4_content_over_150000_characters_is_unprocessable(server: MockChatwootServer) -> None:
    """SERVER.md 4."""
    refused(server, {"content": "é" * 150_001}, "Validation failed: Content is too long (maximum is 150000 characters)")


def test_rule_4_content_of_exactly_150000_characters_is_taken(server: MockChatwootServer) -> None:
    """SERVER.md 4: the limit itself is allowed."""
    assert create(server, {"content": "x" * 150_000})[0] == 200


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        (False, False),
        (0, False),
        ("0", False),
        ("f", False),
        ("F", False),
        ("false", False),
        ("FALSE", False),
        ("off", False),
        ("OFF", False),
        (None, False),
        (True, True),
        ("yes", True),
        ("no", True),
        (2, True),
        ([], True),
    ],
)
def test_rule_4_private_is_cast_as_a_boolean_column(server: MockChatwootServer, given: Any, stored: bool) -> None:
    """SERVER.md 4: the false values and null are false, anything else true."""
    status, message = create(server, {"content": "x", "private": given})
    assert status == 200 and message["private"] is stored


def test_rule_4_an_empty_private_fails_the_not_null_column(server: MockChatwootServer) -> None:
    """SERVER.md 4: ``""`` casts to null (inferred)."""
    status, answer = create(server, {"content": "x", "private": ""})
    assert status == 422 and '"private"' in answer["error"]


@pytest.mark.parametrize("echo_id", ["temp-1", 42, {"a": 1}])
def test_rule_4_echo_id_is_echoed_in_the_create_answer_only(server: MockChatwootServer, echo_id: Any) -> None:
    """SERVER.md 4 and 8: echo_id after inbox_id in the create answer; never stored or listed."""
    _, message = create(server, {"content": "x", "echo_id": echo_id})
    assert list(message)[3] == "echo_id" and message["echo_id"] == echo_id
    assert "echo_id" not in server.messages(1, 17)[0]
    assert "echo_id" not in call_json(server, "GET", MESSAGES)[1]["payload"][0]


@pytest.mark.parametrize("echo_id", [None, False])
def test_rule_4_a_null_or_false_echo_id_is_not_echoed(server: MockChatwootServer, echo_id: Any) -> None:
    """SERVER.md 4: the key only when a value other than null or false was given."""
    assert "echo_id" not in create(server, {"content": "x", "echo_id": echo_id})[1]


def test_rule_4_source_id_is_stored_as_text_and_listed(server: MockChatwootServer) -> None:
    """SERVER.md 4: source_id stored as text, returned everywhere."""
    _, message = create(server, {"content": "x", "source_id": 123})
    assert message["source_id"] == "123"
    assert call_json(server, "GET", MESSAGES)[1]["payload"][0]["source_id"] == "123"


def test_rule_4_external_created_at_goes_into_content_attributes(server: MockChatwootServer) -> None:
    """SERVER.md 4: stored as given; created_at stays the insert time."""
    before = int(time.time())
    _, message = create(server, {"content": "x", "external_created_at": "2020-01-01T00:00:00Z"})
    assert message["content_attributes"] == {"external_created_at": "2020-01-01T00:00:00Z"}
    assert message["created_at"] >= before


@pytest.mark.parametrize("field", ["campaign_id", "template_params"])
def test_rule_4_campaign_id_and_template_params_are_hidden_from_rest(server: MockChatwootServer, field: str) -> None:
    """SERVER.md 4: stored in additional_attributes, which REST answers never show."""
    value: Any = 5 if field == "campaign_id" else {"name": "order", "language": "en"}
    status, message = create(server, {"content": "x", field: value})
    assert status == 200 and "additional_attributes" not in message


@pytest.mark.parametrize(
    ("params", "text"),
    [
        ({"language": "en"}, "Validation failed: Name is required"),
        ("order", "Validation failed: Template params must be of type hash"),
        ({"name": 5}, "Validation failed: Template params/name must be of type string"),
    ],
)
def test_rule_4_template_params_must_be_an_object_with_a_string_name(
    server: MockChatwootServer, params: Any, text: str
) -> None:
    """SERVER.md 4: the template params schema (inferred texts)."""
    refused(server, {"content": "x", "template_params": params}, text)


def test_rule_4_the_same_body_twice_creates_two_messages(server: MockChatwootServer) -> None:
    """SERVER.md 4: no idempotency."""
    body = {"content": "twice", "echo_id": "same"}
    assert create(server, body)[1]["id"] != create(server, body)[1]["id"]
    assert len(server.messages(1, 17)) == 2


@pytest.mark.parametrize("body", [b"[1, 2]", b'"text"', b"42", b""])
def test_rule_4_a_json_body_that_is_not_an_object_creates_an_empty_message(
    server: MockChatwootServer, body: bytes
) -> None:
    """SERVER.md 4: no fields (inferred)."""
    status, message = create(server, body, headers={"Content-Type": "application/json"})
    assert status == 200 and message["content"] is None


@pytest.mark.parametrize(
    "body",
    [b"{not json", b'{"content": NaN}', b'{"a": -Infinity}', b"[" * 200 + b"]" * 200, b"[" * 100_000, b"\xff"],
)
def test_rule_4_malformed_json_is_rails_bad_request_and_the_mock_keeps_serving(
    server: MockChatwootServer, body: bytes
) -> None:
    """SERVER.md 4: 400 ``{"status":400,"error":"Bad Request"}`` (inferred), never a 500."""
    status, _, answer = call(server, "POST", MESSAGES, body=body, headers={"Content-Type": "application/json"})
    assert (status, answer) == (400, b'{"status": 400, "error": "Bad Request"}')
    assert create(server, {"content": "still serving"})[0] == 200


def test_rule_4_another_content_type_gives_no_fields(server: MockChatwootServer) -> None:
    """SERVER.md 4: another Content-Type: an empty message (inferred)."""
    status, message = create(server, b"content=x", headers={"Content-Type": "text/plain"})
    assert status == 200 and message["content"] is None


def test_rule_4_urlencoded_bodies_are_read(server: MockChatwootServer) -> None:
    """SERVER.md 4: urlencoded bodies are Rails params too, bracketed names nested."""
    body = b"content=hi&content_attributes[k]=v&private=1"
    status, message = create(server, body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and (message["content"], message["content_attributes"], message["private"]) == (
        "hi",
        {"k": "v"},
        True,
    )


def test_rule_4_query_parameters_win_over_the_body(server: MockChatwootServer) -> None:
    """SERVER.md 4: query-string parameters win over the body's."""
    status, message = create(server, {"content": "body"}, path=MESSAGES + "?content=query")
    assert status == 200 and message["content"] == "query"


def test_chunked_request_body_is_read(server: MockChatwootServer) -> None:
    chunks = iter([b'{"content": ', b'"chunked"}'])
    status, message = create(server, chunks, headers={"Content-Type": "application/json"})
    assert status == 200 and message["content"] == "chunked"
    assert server.requests[-1].headers["transfer-encoding"] == "chunked"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        (1e20, "1.0e+20"),
        (1e-05, "1.0e-05"),
        (2.5e-07, "2.5e-07"),
        (['a"b\n\t\\', "é"], '["a\\"b\\n\\t\\\\", "é"]'),
        ({}, "{}"),
        ([[], {"k": [1.0]}], '[[], {"k" => [1.0]}]'),
    ],
)
def test_rule_4_content_numbers_and_strings_inside_lists_are_written_as_ruby_does(
    server: MockChatwootServer, given: Any, stored: str
) -> None:
    """SERVER.md 4: Float#to_s exponents, String#inspect escapes (inferred)."""
    assert create(server, {"content": given})[1]["content"] == stored


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("1.5", "undefined method 'dig' for an instance of Float"),
        ("false", "undefined method 'dig' for false"),
    ],
)
def test_rule_4_content_attributes_json_text_of_other_scalars_names_their_ruby_class(
    server: MockChatwootServer, text: str, error: str
) -> None:
    """SERVER.md 4: the Ruby error names the parsed value's class (inferred)."""
    refused(server, {"content_attributes": text}, error)


def test_rule_4_content_attributes_json_text_deeper_than_ruby_parses_is_unreadable(server: MockChatwootServer) -> None:
    """SERVER.md 4: Ruby's JSON.parse refuses nesting beyond 100, which the builder reads as ``{}``."""
    text = '{"a":' * 101 + "1" + "}" * 101
    assert create(server, {"content_attributes": text})[1]["content_attributes"] == {}


@pytest.mark.parametrize(
    ("items", "text"),
    [
        ("abc", "undefined method 'reject' for an instance of String"),
        (["abc"], "undefined method 'keys' for an instance of String"),
        ([None], "undefined method 'keys' for nil"),
        (
            [{"title": "a", "a b": 1}],
            'Validation failed: Content attributes contains invalid keys for items : [:"a b"]',
        ),
    ],
)
def test_rule_4_items_that_are_not_a_list_of_objects_fail_as_ruby_does(
    server: MockChatwootServer, items: Any, text: str
) -> None:
    """SERVER.md 4: the validator's texts and the Ruby errors it raises on odd items (inferred)."""
    refused(server, {"content_type": "article", "content_attributes": {"items": items}}, text)


@pytest.mark.parametrize(
    ("actions", "text"),
    [
        ([{"text": "a", "x": 1}], "Validation failed: Content attributes contains invalid keys for actions:  [:x]"),
        ("go", "undefined method 'collect' for an instance of String"),
        (["go"], "undefined method 'keys' for an instance of String"),
    ],
)
def test_rule_4_card_actions_with_other_keys_or_shapes_are_unprocessable(
    server: MockChatwootServer, actions: Any, text: str
) -> None:
    """SERVER.md 4: cards' action keys are text, type, payload, uri."""
    body = {"content_type": "cards", "content_attributes": {"items": [{"title": "t", "actions": actions}]}}
    refused(server, body, text)


def test_rule_4_automation_rule_id_keeps_items_and_in_reply_to(server: MockChatwootServer) -> None:
    """SERVER.md 4: items and in_reply_to survive next to automation_rule_id."""
    attributes = {"automation_rule_id": 7, "items": [{"title": "a"}], "in_reply_to": 999, "x": 1}
    stored = create(server, {"content_attributes": attributes})[1]["content_attributes"]
    assert stored == {
        "automation_rule_id": 7,
        "items": [{"title": "a"}],
        "in_reply_to": None,
        "in_reply_to_external_id": None,
    }


def test_rule_4_in_reply_to_external_id_alone_finds_the_message_by_source_id(server: MockChatwootServer) -> None:
    """SERVER.md 4: with only in_reply_to_external_id, the message with that source_id."""
    first = create(server, {"content": "first", "source_id": "ext-9"})[1]
    stored = create(server, {"content_attributes": {"in_reply_to_external_id": "ext-9"}})[1]["content_attributes"]
    assert stored == {"in_reply_to_external_id": "ext-9", "in_reply_to": first["id"]}


@pytest.mark.parametrize("sender_id", [2, "x", True])
def test_rule_4_sender_type_agent_bot_with_another_id_keeps_the_token_sender(
    server: MockChatwootServer, sender_id: Any
) -> None:
    """SERVER.md 4: an unknown bot id finds no bot, so the token's user sends."""
    _, message = create(server, {"content": "x", "sender_type": "AgentBot", "sender_id": sender_id})
    assert message["sender"]["type"] == "user"


@pytest.mark.parametrize(
    ("params", "text"),
    [
        (
            {"name": "n", "processed_params": []},
            "Validation failed: Template params/processed params must be of type hash",
        ),
        ({"name": "n", "language": 1}, "Validation failed: Template params/language must be of type string"),
    ],
)
def test_rule_4_template_params_optional_keys_are_typed(server: MockChatwootServer, params: Any, text: str) -> None:
    """SERVER.md 4: the schema's typed optional keys (inferred texts)."""
    refused(server, {"template_params": params}, text)


@pytest.mark.parametrize(
    ("attachments", "text"),
    [
        (["signed-id"], "ActiveSupport::MessageVerifier::InvalidSignature"),
        ("signed-id", "undefined method 'each' for an instance of String"),
        (5, "undefined method 'each' for an instance of Integer"),
        ({"a": "signed-id"}, "ActiveSupport::MessageVerifier::InvalidSignature"),
    ],
)
def test_rule_4_json_attachments_are_signed_blob_ids(server: MockChatwootServer, attachments: Any, text: str) -> None:
    """SERVER.md 4: in JSON, attachments can only be signed blob ids, which the mock never issued (inferred)."""
    refused(server, {"content": "x", "attachments": attachments}, text)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            b"content_attributes[items][][title]=a&content_attributes[items][][value]=1&content_attributes[items][][title]=b",
            {"items": [{"title": "a", "value": "1"}, {"title": "b"}]},
        ),
        (b"content_attributes[tags][]=x&content_attributes[tags][]=y", {"tags": ["x", "y"]}),
        (b"content_attributes[a][b]=1&content_attributes=plain", {}),
        (b"[nobase]=1&content_attributes[k]=v", {"k": "v"}),
    ],
)
def test_rule_4_bracketed_names_nest_as_rack_nests_them(
    server: MockChatwootServer, body: bytes, expected: Dict[str, Any]
) -> None:
    """SERVER.md 4: ``a[b]``, ``a[]`` and ``a[][k]``; a later plain value replaces the nested one."""
    status, message = create(server, body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and message["content_attributes"] == expected


@pytest.mark.parametrize("body", [b"content=%FF", b"content" + b"[a]" * 101 + b"=1"])
def test_rule_4_unreadable_urlencoded_bodies_are_bad_requests(server: MockChatwootServer, body: bytes) -> None:
    """SERVER.md 4: invalid UTF-8 or absurd nesting: Rails' 400 (inferred)."""
    answer = create(server, body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer == (400, {"status": 400, "error": "Bad Request"})
