"""The Messages API as the mock serves it: routes, authentication, paging, create and soft delete.

``handle_request`` runs under the engine's lock and returns the reply plus the webhook payloads the
request caused; the engine delivers those outside the lock. The order of the checks follows the
server: route, token, account, membership, bot restrictions, conversation, message, then the request.
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
from typing import List, Optional, Tuple

from chatwoot_client.testing._create import parse_create
from chatwoot_client.testing._records import ApiError, JsonObject, RecordedRequest, Reply, json_reply
from chatwoot_client.testing._state import MESSAGE_TYPES, Account, Conversation, Principal, Store, page
from chatwoot_client.testing._webhook import message_created

TOKEN_HEADER = "api_access_token"

_MESSAGES_ROUTE = re.compile(r"/api/v1/accounts/([^/]+)/conversations/([^/]+)/messages(?:/([^/]+)(/retry)?)?")
# The methods each route answers (config/routes.rb); any other method or path is the router's 404.
_COLLECTION_METHODS = ("GET", "POST")
_MEMBER_METHODS = ("DELETE", "PATCH", "PUT")
_RETRY_METHODS = ("POST",)
_STATUSES = ("sent", "delivered", "read", "failed")
_BLOB_ROUTE = re.compile(r"/rails/active_storage/blobs/([^/]+)/[^/]+")
_POSITIVE_ID = re.compile(r"[1-9][0-9]{0,17}")  # at most 18 digits: always a sane int
_INTEGER = re.compile(r"-?[0-9]{1,18}")

_NOT_FOUND: JsonObject = {"error": "Resource could not be found"}
_INVALID_TOKEN: JsonObject = {"error": "Invalid Access Token"}
_NOT_MEMBER: JsonObject = {"error": "You are not authorized to access this account"}
_NOT_FOR_BOTS: JsonObject = {"error": "Access to this endpoint is not authorized for bots"}
_INCOMING_ONLY_IN_API: JsonObject = {"error": "Incoming messages are only allowed in Api inboxes"}
_STATUS_ONLY_IN_API: JsonObject = {"error": "Message status update is only allowed for API inboxes"}

Events = List[JsonObject]


def handle_request(store: Store, request: RecordedRequest) -> Tuple[Reply, Events]:
    """Answer one request against the store; also return the ``message_created`` webhooks it caused."""
    try:
        return _route(store, request)
    except ApiError as error:
        return json_reply(error.status, error.payload), []


def _route(store: Store, request: RecordedRequest) -> Tuple[Reply, Events]:
    if request.method == "GET":
        blob_match = _BLOB_ROUTE.fullmatch(request.path)
        if blob_match is not None:
            return _download(store, blob_match.group(1)), []
    match = _MESSAGES_ROUTE.fullmatch(request.path)
    member = match is not None and match.group(3) is not None
    retry = match is not None and match.group(4) is not None
    allowed = _RETRY_METHODS if retry else _MEMBER_METHODS if member else _COLLECTION_METHODS
    if match is None or request.method not in allowed:
        raise ApiError(404, {"error": f"No route matches [{request.method}] {request.path}"})
    principal = _authenticate(store, request)
    account = _account(store, principal, match.group(1))
    if principal.kind == "agent_bot" and (member or request.method != "POST"):  # a bot may only create
        raise ApiError(401, _NOT_FOR_BOTS)
    conversation = account.conversations.get(_path_id(match.group(2)) or 0)
    if conversation is None:
        raise ApiError(404, _NOT_FOUND)
    if not member:
        if request.method == "GET":
            return json_reply(200, _list(conversation, request)), []
        return _create(store, account, conversation, principal, request)
    if request.method in ("PATCH", "PUT") and not conversation.inbox.is_api:
        raise ApiError(403, _STATUS_ONLY_IN_API)  # checked before the message is looked up
    message = conversation.messages.get(_path_id(match.group(3)) or 0)
    if message is None:
        if retry:  # the retry action rescues its own lookup: 422, not 404
            raise ApiError(422, {"error": f"Couldn't find Message with 'id'={match.group(3)}"})
        raise ApiError(404, _NOT_FOUND)
    if retry:
        message["status"] = "sent"
        message["content_attributes"] = {}
    elif request.method == "DELETE":
        store.soft_delete(message)
    else:
        _update_status(message, request)
    return json_reply(200, message), []


def _update_status(message: JsonObject, request: RecordedRequest) -> None:
    """The status update service: a known status (read never back to delivered) and its external_error."""
    fields: object = {}
    with contextlib.suppress(ValueError, RecursionError):
        fields = json.loads(request.body or b"{}")
    if not isinstance(fields, dict):
        fields = {}
    fields = {**fields, **request.query}  # query parameters win, as in Rails params
    status = fields.get("status")
    if status not in _STATUSES or (message.get("status") == "read" and status == "delivered"):
        return
    message["status"] = status
    attributes = message.setdefault("content_attributes", {})
    if "external_error" in fields or "external_error" in attributes:
        attributes["external_error"] = fields.get("external_error") if status == "failed" else None


def _authenticate(store: Store, request: RecordedRequest) -> Principal:
    principal = store.principals.get(request.headers.get(TOKEN_HEADER, ""))
    if principal is None:
        raise ApiError(401, _INVALID_TOKEN)
    return principal


def _account(store: Store, principal: Principal, text: str) -> Account:
    account_id = _path_id(text)
    account = store.accounts.get(account_id) if account_id is not None else None
    if account is None:
        raise ApiError(404, _NOT_FOUND)
    if account.account_id not in principal.account_ids:
        raise ApiError(401, _NOT_MEMBER)
    return account


def _path_id(text: str) -> Optional[int]:
    """A path id: a positive decimal integer without leading zeros, else None."""
    return int(text) if _POSITIVE_ID.fullmatch(text) else None


def _query_id(request: RecordedRequest, name: str) -> Optional[int]:
    """An optional integer query parameter; 400 when it is given but is not an integer."""
    text = request.query.get(name)
    if text is None:
        return None
    if not _INTEGER.fullmatch(text):
        raise ApiError(400, {"error": f"{name} must be an integer message id, got {text!r}"})
    return int(text)


def _list(conversation: Conversation, request: RecordedRequest) -> JsonObject:
    before = _query_id(request, "before")
    after = _query_id(request, "after")
    messages = page(list(conversation.messages.values()), before, after)
    return {"meta": Store.meta(conversation), "payload": copy.deepcopy(messages)}


def _create(
    store: Store, account: Account, conversation: Conversation, principal: Principal, request: RecordedRequest
) -> Tuple[Reply, Events]:
    fields = parse_create(request)
    incoming = fields.message_type == "incoming"
    if incoming and not conversation.inbox.is_api:
        raise ApiError(422, _INCOMING_ONLY_IN_API)
    message = store.add_message(
        conversation,
        fields.content,
        MESSAGE_TYPES[fields.message_type],
        conversation.contact if incoming else principal.sender,
        content_type=fields.content_type,
        private=fields.private,
        content_attributes=fields.content_attributes,
    )
    if fields.template_params is not None:
        message["additional_attributes"] = {"template_params": fields.template_params}
    for part in fields.files:
        content_type = part.content_type or "application/octet-stream"
        store.attach(message, account.account_id, part.filename or "", content_type, part.data)
    events = [message_created(account, conversation, message)] if incoming else []
    return json_reply(200, message), events


def _download(store: Store, text: str) -> Reply:
    """Serve an uploaded file without authentication, as a storage service's signed URL would."""
    attachment_id = _path_id(text)
    blob = store.blobs.get(attachment_id) if attachment_id is not None else None
    if blob is None:
        return json_reply(404, _NOT_FOUND)
    return Reply(200, blob.data, blob.content_type)
