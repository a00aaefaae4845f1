"""The Messages API as the mock serves it: routes, authentication, paging, create and soft delete.

``handle_request`` runs under the engine's lock and returns the reply plus the webhook payloads the
request caused; the engine delivers those once the answer is out. The order of the checks follows the
server (SERVER.md section 2): route, token, the bot allow-list, account, membership, conversation,
API inbox, message, then the request.
"""

from __future__ import annotations

import copy
import re
import time
from typing import Any, List, Optional, Tuple

from chatwoot_client.testing._create import TOO_MANY_MESSAGES, build_message
from chatwoot_client.testing._params import request_params
from chatwoot_client.testing._records import ApiError, JsonObject, RecordedRequest, Reply, json_reply
from chatwoot_client.testing._ruby import blank, path_id, to_i
from chatwoot_client.testing._state import Account, Conversation, Principal, Store, page
from chatwoot_client.testing._webhook import webhook_payload

TOKEN_HEADER = "api_access_token"

# A "." ends a segment: what follows the last one is the format (messages.json).
_MESSAGES_ROUTE = re.compile(
    r"/api/v1/accounts/([^/.]+)/conversations/([^/.]+)/messages(?:/([^/.]+)(/retry)?)?(?:\.([^/.]+))?"
)
# The methods each route answers (config/routes.rb:132-137); any other method or path is the router's 404.
_COLLECTION_METHODS = ("GET", "POST")
_MEMBER_METHODS = ("DELETE", "PATCH", "PUT")
_RETRY_METHODS = ("POST",)
_STATUSES = ("sent", "delivered", "read", "failed")
_WEBHOOK_TYPES = (0, 1, 3)  # incoming, outgoing, template: never activity (message_filter_helpers.rb:8-10)
_BLOB_ROUTE = re.compile(r"/rails/active_storage/blobs/([^/]+)/[^/]+")

_NOT_FOUND: JsonObject = {"error": "Resource could not be found"}
_ROUTE_NOT_FOUND: JsonObject = {"status": 404, "error": "Not Found"}
_NOT_SIGNED_IN: JsonObject = {"errors": ["You need to sign in or sign up before continuing."]}
_INVALID_TOKEN: JsonObject = {"error": "Invalid Access Token"}
_SUSPENDED: JsonObject = {"error": "Account is suspended"}
_NOT_MEMBER: JsonObject = {"error": "You are not authorized to access this account"}
_BOT_NOT_MEMBER: JsonObject = {"error": "Bot is not authorized to access this account"}
_NOT_FOR_BOTS: JsonObject = {"error": "Access to this endpoint is not authorized for bots"}
_STATUS_ONLY_IN_API: JsonObject = {"error": "Message status update is only allowed for API inboxes"}
_FLOODED: JsonObject = {"message": TOO_MANY_MESSAGES, "attributes": ["base"]}
_FLOODED_RESCUED: JsonObject = {"error": f"Validation failed: {TOO_MANY_MESSAGES}"}
_NOT_FOUND_PAGE = (
    b"<!DOCTYPE html>\n<html>\n<head>\n  <title>The page you were looking for doesn't exist (404)</title>\n"
    b"</head>\n<body>\n  <h1>The page you were looking for doesn't exist.</h1>\n</body>\n</html>\n"
)

Events = List[JsonObject]


def handle_request(store: Store, request: RecordedRequest, rate_limit: Optional[int]) -> Tuple[Reply, Events]:
    """Answer one request against the store; also return the webhook payloads it caused."""
    try:
        return _route(store, request, rate_limit)
    except ApiError as error:
        return json_reply(error.status, error.payload), []


def _route(store: Store, request: RecordedRequest, rate_limit: Optional[int]) -> Tuple[Reply, Events]:
    method = "GET" if request.method == "HEAD" else request.method  # Rails answers HEAD as GET, without a body
    if method == "GET":
        blob_match = _BLOB_ROUTE.fullmatch(request.path)
        if blob_match is not None:
            return _download(store, blob_match.group(1)), []
    match = _MESSAGES_ROUTE.fullmatch(request.path)
    member = match is not None and match.group(3) is not None
    retry = match is not None and match.group(4) is not None
    allowed = _RETRY_METHODS if retry else _MEMBER_METHODS if member else _COLLECTION_METHODS
    if match is None or method not in allowed:
        return _route_not_found(request), []
    principal = _authenticate(store, request)
    if principal.kind == "agent_bot" and (member or method != "POST"):  # the allow-list comes before the account
        raise ApiError(401, _NOT_FOR_BOTS)
    account = _account(store, principal, match.group(1))
    conversation = account.conversations.get(path_id(match.group(2)) or 0)
    if conversation is None:
        raise ApiError(404, _NOT_FOUND)
    if not member:
        params = request_params(request)
        if method == "GET":
            return json_reply(200, _list(conversation, params)), []
        return _create(store, account, conversation, principal, params, rate_limit)
    if method in ("PATCH", "PUT") and not conversation.inbox.is_api:
        raise ApiError(403, _STATUS_ONLY_IN_API)  # checked before the message is looked up
    message = conversation.messages.get(path_id(match.group(3)) or 0)
    if message is None:
        if retry:  # the retry action rescues its own lookup: 422, not 404
            text = f'Couldn\'t find Message with \'id\'={match.group(3)} [WHERE "messages"."conversation_id" = $1]'
            raise ApiError(422, {"error": text})
        raise ApiError(404, _NOT_FOUND)
    flooded = rate_limit is not None and store.recent_messages(conversation, time.time()) >= rate_limit
    changes = 0
    if retry:
        if flooded:
            raise ApiError(422, _FLOODED_RESCUED)
        changes += _set_status(message, "sent", None)
        changes += _replace_attributes(message, {})
    elif method == "DELETE":
        if flooded:
            raise ApiError(422, _FLOODED)
        changes += store.soft_delete(message)
    else:
        changes += _update_status(message, request_params(request), flooded)
    events = _events("message_updated", account, conversation, message) if changes else []
    return json_reply(200, copy.deepcopy(message)), events


def _update_status(message: JsonObject, params: JsonObject, flooded: bool) -> int:
    """The status update service: a known status (read never back to delivered) and its external_error."""
    status = params.get("status")
    if status not in _STATUSES or (message.get("status") == "read" and status == "delivered"):
        return 0
    if flooded:
        raise ApiError(422, _FLOODED)
    external_error = params.get("external_error")
    if isinstance(external_error, (dict, list)):  # only scalars are permitted
        external_error = None
    return _set_status(message, str(status), external_error if status == "failed" else None)


def _set_status(message: JsonObject, status: str, external_error: Any) -> int:
    """Write status and external_error as a store accessor does: a null never adds a missing key."""
    changed = message.get("status") != status
    message["status"] = status
    attributes = message.setdefault("content_attributes", {})
    if external_error is not None or "external_error" in attributes:
        changed = changed or attributes.get("external_error") != external_error
        attributes["external_error"] = external_error
    return int(changed)


def _replace_attributes(message: JsonObject, attributes: JsonObject) -> int:
    changed = message.get("content_attributes") != attributes
    message["content_attributes"] = attributes
    return int(changed)


def _route_not_found(request: RecordedRequest) -> Reply:
    """The router's 404: JSON for a JSON request (Accept or a .json path), else Rails' HTML page."""
    if "json" in request.headers.get("accept", "").lower() or request.path.endswith(".json"):
        return json_reply(404, _ROUTE_NOT_FOUND)
    return Reply(404, _NOT_FOUND_PAGE, "text/html; charset=utf-8")


def _authenticate(store: Store, request: RecordedRequest) -> Principal:
    # Rack maps "api_access_token" and "api-access-token" to the same HTTP_API_ACCESS_TOKEN variable.
    token = request.headers.get(TOKEN_HEADER) or request.headers.get(TOKEN_HEADER.replace("_", "-"), "")
    if not token.strip():  # no token: Devise answers, not the token check
        raise ApiError(401, _NOT_SIGNED_IN)
    principal = store.principals.get(token)
    if principal is None:
        raise ApiError(401, _INVALID_TOKEN)
    return principal


def _account(store: Store, principal: Principal, text: str) -> Account:
    account = store.accounts.get(path_id(text) or 0)
    if account is None:
        raise ApiError(404, _NOT_FOUND)
    if account.suspended:
        raise ApiError(401, _SUSPENDED)
    if account.account_id not in principal.account_ids:
        raise ApiError(401, _BOT_NOT_MEMBER if principal.kind == "agent_bot" else _NOT_MEMBER)
    return account


def _cursor(params: JsonObject, name: str) -> Optional[int]:
    """A paging cursor: used only when present (not blank), then read with Ruby's ``to_i``."""
    value = params.get(name)
    if blank(value):
        return None
    return to_i(value) if isinstance(value, str) else 0


def _list(conversation: Conversation, params: JsonObject) -> JsonObject:
    messages = list(conversation.messages.values())
    if not blank(params.get("filter_internal_messages")):
        messages = [message for message in messages if not message.get("private") and message["message_type"] != 2]
    selected = page(messages, _cursor(params, "before"), _cursor(params, "after"))
    return {"meta": Store.meta(conversation), "payload": copy.deepcopy(selected)}


def _create(
    store: Store,
    account: Account,
    conversation: Conversation,
    principal: Principal,
    params: JsonObject,
    rate_limit: Optional[int],
) -> Tuple[Reply, Events]:
    built = build_message(store, conversation, principal, params, rate_limit)
    message = store.add_message(
        conversation,
        built.content,
        built.message_type,
        built.sender,
        content_type=built.content_type,
        private=built.private,
        content_attributes=built.content_attributes,
        source_id=built.source_id,
    )
    if built.additional_attributes:
        conversation.hidden[message["id"]] = built.additional_attributes
    for part in built.files:
        store.attach(message, account.account_id, part.filename or "", part.content_type, part.data)
    answer = copy.deepcopy(message)
    if built.echo_id is not None:
        answer = _with_echo_id(answer, built.echo_id)
    return json_reply(200, answer), _events("message_created", account, conversation, message)


def _with_echo_id(message: JsonObject, echo_id: Any) -> JsonObject:
    """The create answer's order: echo_id comes right after inbox_id."""
    answer: JsonObject = {}
    for key, value in message.items():
        answer[key] = value
        if key == "inbox_id":
            answer["echo_id"] = echo_id
    return answer


def _events(name: str, account: Account, conversation: Conversation, message: JsonObject) -> Events:
    if message.get("message_type") not in _WEBHOOK_TYPES:
        return []
    return [webhook_payload(name, account, conversation, message)]


def _download(store: Store, text: str) -> Reply:
    """Serve an uploaded file without authentication, as a storage service's signed URL would."""
    attachment_id = path_id(text)
    blob = store.blobs.get(attachment_id) if attachment_id is not None else None
    if blob is None:
        return json_reply(404, _NOT_FOUND)
    return Reply(200, blob.data, blob.content_type)
