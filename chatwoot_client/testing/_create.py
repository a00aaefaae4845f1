"""A create-message request as Chatwoot's message builder reads it: leniently, in the server's order of checks.

Every failure is the 422 ``{"error": "<text>"}`` the create action's rescue gives (messages_controller.rb:8-14):
builder errors first (content_attributes that cannot be dug into, an incoming message outside an API
inbox), then enum casts while the message is built, then the validations joined after
``Validation failed:``, then the columns that may not be null.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from typing import Any, List, Optional, Tuple

from chatwoot_client.testing._multipart import Part
from chatwoot_client.testing._records import ApiError, JsonObject
from chatwoot_client.testing._ruby import (
    blank,
    no_method,
    parse_json,
    path_id,
    symbol_list,
    to_boolean,
    to_s,
)
from chatwoot_client.testing._state import CONTENT_TYPES, MESSAGE_TYPES, Conversation, Principal, Store, bot_sender

MAX_CONTENT_LENGTH = 150_000  # characters (message.rb:79)
ITEM_KEYS = {
    "input_select": ("title", "value"),
    "cards": ("title", "description", "media_url", "actions"),
    "form": (
        "type",
        "placeholder",
        "label",
        "name",
        "options",
        "default",
        "required",
        "pattern",
        "title",
        "pattern_error",
    ),
    "article": ("title", "description", "link"),
}  # content_attribute_validator.rb: the content types that need items, and the keys an item may have
ACTION_KEYS = ("text", "type", "payload", "uri")
WIDGET_MAX_FILE_BYTES = 40 * 1024 * 1024  # MAXIMUM_FILE_UPLOAD_SIZE's default, 40 MB
WIDGET_DOCUMENT_TYPES = frozenset(
    {
        "text/csv",
        "text/plain",
        "text/rtf",
        "application/json",
        "application/pdf",
        "application/zip",
        "application/x-7z-compressed",
        "application/vnd.rar",
        "application/x-tar",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/rtf",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
)  # Attachment::ACCEPTABLE_FILE_TYPES
TOO_MANY_MESSAGES = "Too many messages"
_TEMPLATE_STRING_KEYS = ("name", "category", "language", "namespace")
_NOT_NULL = (
    'PG::NotNullViolation: ERROR:  null value in column "{}" of relation "messages" violates not-null constraint'
)


@dataclass
class Built:
    """A message ready to store: its stored fields, what only the create answer shows, what only webhooks show."""

    content: Optional[str]
    message_type: int
    content_type: str
    private: bool
    content_attributes: JsonObject
    source_id: Optional[str]
    sender: Optional[JsonObject]
    echo_id: Any = None
    additional_attributes: JsonObject = field(default_factory=dict)
    files: List[Part] = field(default_factory=list)


def build_message(
    store: Store,
    conversation: Conversation,
    principal: Principal,
    params: JsonObject,
    rate_limit: Optional[int],
) -> Built:
    """Read a create request's parameters as the builder does; raise ``ApiError`` (422) where the server fails."""
    attributes = _content_attributes(params)
    raw_type = params.get("message_type")
    message_type = "outgoing" if raw_type is None or raw_type is False else raw_type
    if message_type == "incoming" and not conversation.inbox.is_api:
        raise ApiError(422, {"error": "Incoming messages are only allowed in Api inboxes"})
    sender = _sender(params, principal) if message_type == "outgoing" else conversation.contact
    type_number = _enum(message_type, tuple(MESSAGE_TYPES), "message_type")
    raw_private = params.get("private")
    private = to_boolean(False if raw_private is None or raw_private is False else raw_private)
    content = None if params.get("content") is None else to_s(params["content"])
    content_type_number = _enum(params.get("content_type"), CONTENT_TYPES, "content_type")
    content_type = CONTENT_TYPES[0 if content_type_number is None else content_type_number]
    stored_attributes = _stored_attributes(attributes, params)
    _resolve_in_reply_to(conversation, stored_attributes)
    additional: JsonObject = {}
    if not blank(params.get("campaign_id")):
        additional["campaign_id"] = copy.deepcopy(params["campaign_id"])
    if not blank(params.get("template_params")):
        additional["template_params"] = copy.deepcopy(params["template_params"])
    files = _files(params.get("attachments"))
    errors: List[str] = []
    if rate_limit is not None and store.recent_messages(conversation, time.time()) >= rate_limit:
        errors.append(TOO_MANY_MESSAGES)
    errors.extend(item_errors(content_type, stored_attributes))
    errors.extend(_template_errors(additional))
    if content is not None and len(content) > MAX_CONTENT_LENGTH:
        errors.append(f"Content is too long (maximum is {MAX_CONTENT_LENGTH} characters)")
    if conversation.inbox.channel == "Channel::WebWidget":
        errors.extend(widget_file_errors(files))
    if errors:
        raise ApiError(422, {"error": "Validation failed: " + ", ".join(errors)})
    if type_number is None:
        raise ApiError(422, {"error": _NOT_NULL.format("message_type")})
    if private is None:
        raise ApiError(422, {"error": _NOT_NULL.format("private")})
    echo_id = params.get("echo_id")
    return Built(
        content=content,
        message_type=type_number,
        content_type=content_type,
        private=private,
        content_attributes=stored_attributes,
        source_id=None if params.get("source_id") is None else to_s(params["source_id"]),
        sender=sender,
        echo_id=None if echo_id is False else copy.deepcopy(echo_id),
        additional_attributes=additional,
        files=files,
    )


def widget_file_errors(files: List[Part]) -> List[str]:
    """A web-widget inbox refuses files over 40 MB or of a type outside media and documents (attachment.rb:157-185)."""
    errors: List[str] = []
    for part in files:
        if len(part.data) > WIDGET_MAX_FILE_BYTES:
            errors.append("Attachments file size is too big")
        mime_type = part.content_type or ""
        if not mime_type.startswith(("image/", "video/", "audio/")) and mime_type not in WIDGET_DOCUMENT_TYPES:
            errors.append("Attachments file type not supported")
    return errors


def item_errors(content_type: str, attributes: JsonObject) -> List[str]:
    """The content attribute validator's texts for the content types that need items (raises for Ruby errors)."""
    allowed = ITEM_KEYS.get(content_type)
    if allowed is None:
        return []
    items = attributes.get("items")
    errors: List[str] = []
    if blank(items):
        errors.append("Content attributes At least one item is required.")
    if not isinstance(items, list):
        raise ApiError(422, {"error": no_method("reject", items)})
    for item in items:  # the validator then asks every item for its keys
        if not isinstance(item, dict):
            raise ApiError(422, {"error": no_method("keys", item)})
    invalid = [key for item in items for key in item if key not in allowed]
    if invalid:
        errors.append(f"Content attributes contains invalid keys for items : {symbol_list(invalid)}")
    if content_type == "cards":
        if any(blank(item.get("actions")) for item in items):
            return [*errors, "Content attributes contains items missing actions"]
        actions = [action for item in items for action in _list_of(item["actions"])]
        invalid_actions = [key for action in actions for key in action if key not in ACTION_KEYS]
        if invalid_actions:
            errors.append(f"Content attributes contains invalid keys for actions:  {symbol_list(invalid_actions)}")
    return errors


def _list_of(actions: Any) -> List[JsonObject]:
    if not isinstance(actions, list):
        raise ApiError(422, {"error": no_method("collect", actions)})
    for action in actions:
        if not isinstance(action, dict):
            raise ApiError(422, {"error": no_method("keys", action)})
    return actions


def _content_attributes(params: JsonObject) -> Optional[JsonObject]:
    """content_attributes as an object, JSON text of one, or ``{}``; JSON text of another value is a Ruby error."""
    value = params.get("content_attributes", {})
    if isinstance(value, dict):
        return value
    if not isinstance(value, str):
        return {}
    try:
        parsed = parse_json(value)
    except ValueError:
        return {}
    if parsed is None or isinstance(parsed, dict):
        return parsed
    # The builder digs into it for automation_rule_id: an Array wants an index, anything else has no dig.
    text = "no implicit conversion of Symbol into Integer" if isinstance(parsed, list) else no_method("dig", parsed)
    raise ApiError(422, {"error": text})


def _stored_attributes(attributes: Optional[JsonObject], params: JsonObject) -> JsonObject:
    """What is stored: the given object, or only automation_rule_id (plus items and in_reply_to) when present."""
    given = attributes or {}
    if not blank(given.get("automation_rule_id")):
        stored: JsonObject = {"automation_rule_id": copy.deepcopy(given["automation_rule_id"])}
        for key in ("items", "in_reply_to"):
            if given.get(key) is not None:
                stored[key] = copy.deepcopy(given[key])
    else:
        stored = copy.deepcopy(given)
    if not blank(params.get("external_created_at")):
        stored["external_created_at"] = copy.deepcopy(params["external_created_at"])
    return stored


def _resolve_in_reply_to(conversation: Conversation, attributes: JsonObject) -> None:
    """Replace in_reply_to by the id of that message in this conversation (or null) and add its source_id."""
    wanted, external = attributes.get("in_reply_to"), attributes.get("in_reply_to_external_id")
    if blank(wanted) and blank(external):
        return
    found: Optional[JsonObject] = None
    if not blank(wanted):
        number = path_id(str(wanted)) if isinstance(wanted, (str, int)) and not isinstance(wanted, bool) else None
        found = conversation.messages.get(number or 0)
    else:
        found = next((m for m in conversation.messages.values() if m.get("source_id") == external), None)
    attributes["in_reply_to_external_id"] = None if found is None else found.get("source_id")
    attributes["in_reply_to"] = None if found is None else found["id"]


def _sender(params: JsonObject, principal: Principal) -> JsonObject:
    """The token's user or bot; a ``sender_type`` of AgentBot with the bot's ``sender_id`` names the bot."""
    if params.get("sender_type") == "AgentBot":
        bot = bot_sender()
        sender_id = params.get("sender_id")
        text = str(sender_id) if isinstance(sender_id, (str, int)) and not isinstance(sender_id, bool) else ""
        if path_id(text) == bot["id"]:
            return bot
    return principal.sender


def _enum(value: Any, names: Tuple[str, ...], name: str) -> Optional[int]:
    """A Rails enum cast: a name or its integer; blank is null; anything else raises 422. Digits in a string are
    not the integer: Rails' EnumType compares the value with the mapping's integers as it is."""
    if isinstance(value, str) and value in names:
        return names.index(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(names):
        return value
    if blank(value):
        return None
    raise ApiError(422, {"error": f"'{to_s(value)}' is not a valid {name}"})


def _files(value: Any) -> List[Part]:
    """The uploaded files of ``attachments``; a string is a signed blob id, and none is valid here."""
    if blank(value):
        return []
    if isinstance(value, dict):  # attachments[key] fields: the values are iterated
        value = list(value.values())
    if not isinstance(value, list):
        raise ApiError(422, {"error": no_method("each", value)})
    for item in value:
        if not isinstance(item, Part):
            raise ApiError(422, {"error": "ActiveSupport::MessageVerifier::InvalidSignature"})
    return value


def _template_errors(additional: JsonObject) -> List[str]:
    """The template params schema (message.rb:48-63): an object with a string name; typed optional keys."""
    if "template_params" not in additional:
        return []
    params = additional["template_params"]
    if not isinstance(params, dict):
        return ["Template params must be of type hash"]
    errors = [f"Template params/{key} must be of type string" for key in _TEMPLATE_STRING_KEYS if _wrong(params, key)]
    if "processed_params" in params and not isinstance(params["processed_params"], dict):
        errors.append("Template params/processed params must be of type hash")
    if "name" not in params:
        errors.append("Name is required")
    return errors


def _wrong(params: JsonObject, key: str) -> bool:
    return key in params and not isinstance(params[key], str)
