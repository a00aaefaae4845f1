"""Exactly-once creates: finding a tagged message again, and what an ApiClient has learnt about its server.

A lookup is at most PAGES list requests of the newest messages, newest first, paging back with ``before``. What
a client learns (that the server keeps client message ids, that its token may not list) is kept on the ApiClient,
per host and per hash of the token.
"""

from __future__ import annotations

import random
import threading
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Dict, NamedTuple, Optional, Tuple

import urllib3

from chatwoot_client import rest
from chatwoot_client._exactly_once import CLIENT_MESSAGE_ID, check_client_message_id
from chatwoot_client.configuration import API_KEY, DEFAULT_TIMEOUT, Timeout, _check_timeout
from chatwoot_client.exceptions import ApiException, ServiceException, _parse_retry_after

if TYPE_CHECKING:
    from chatwoot_client.api.messages_api import MessagesApi
    from chatwoot_client.api_client import ApiClient
    from chatwoot_client.models import Message

PAGES = 3  # list requests in one lookup at most
ANCHORED_PAGES = 10  # list requests of a lookup that knows where the message would be (a flood guard's minute)
UNSETTLED = 1024  # ids of failed creates an ApiClient remembers the anchor of, per server and token
PAGE_SIZE = 20  # messages the server answers a page of the newest with


class Server:
    """What this client has learnt about one server and token."""

    __slots__ = ("keeps_ids", "lock", "may_list", "unsettled")

    def __init__(self) -> None:
        self.keeps_ids = False  # a create answered with its id, or a lookup found one
        self.may_list = True  # False after a refused lookup or a message sent by an agent bot
        # (account, conversation, client message id) of a create that raised -> the newest message id before it
        # was first sent: a later call with that id looks back to there, however busy the conversation was
        self.unsettled: OrderedDict[Tuple[int, int, str], int] = OrderedDict()
        self.lock = threading.Lock()

    def remember(self, call: Call, anchor: Optional[int]) -> None:
        """Keep where a failed create's message would be (the earliest anchor wins), for at most UNSETTLED ids."""
        key = (call.account_id, call.conversation_id, call.client_message_id)
        with self.lock:
            self.unsettled.setdefault(key, anchor or 0)
            self.unsettled.move_to_end(key)
            while len(self.unsettled) > UNSETTLED:
                self.unsettled.popitem(last=False)

    def anchor_of(self, call: Call) -> Optional[int]:
        """The anchor remembered for this create's id, if an earlier call with it raised."""
        with self.lock:
            return self.unsettled.get((call.account_id, call.conversation_id, call.client_message_id))

    def settle(self, call: Call) -> None:
        """Forget a create's id once its message is known."""
        if self.unsettled:
            with self.lock:
                self.unsettled.pop((call.account_id, call.conversation_id, call.client_message_id), None)


_SERVERS = "_exactly_once_servers"  # the ApiClient attribute holding what it has learnt, per host and token
_SERVERS_LOCK = threading.Lock()


def server_of(api_client: ApiClient) -> Server:
    """This client's knowledge of its configured host and token, keyed by a hash of the token (never the token).

    ``hash()`` of a str is cached on the str and randomised per process: nothing outside the process can use it.
    It lives on the ApiClient, so it goes with it. Reading needs no lock; only adding an entry takes it."""
    configuration = api_client.configuration
    key = (configuration.host, hash(configuration.api_key.get(API_KEY)))
    servers: Optional[Dict[Tuple[str, int], Server]] = getattr(api_client, _SERVERS, None)
    server = servers.get(key) if servers is not None else None
    if server is None:
        with _SERVERS_LOCK:
            servers = api_client.__dict__.setdefault(_SERVERS, {})
            server = servers.setdefault(key, Server())
    return server


class Call(NamedTuple):
    """One create call (or a find: no request), as the lookups and the resends need it."""

    api: MessagesApi
    request: Any  # the built request, sent as it is by every attempt: same body, same id
    account_id: int
    conversation_id: int
    client_message_id: str
    explicit: bool


def look(
    call: Call, server: Server, deadline: float, anchor: Optional[int]
) -> Tuple[Optional[Message], Optional[int], bool]:
    """A lookup, tried again after a 500 (which the GET policy does not retry) within the budget and the deadline.

    A listed message that carries a client message id, anyone's, shows that the server keeps the key."""
    budget = budget_of(call.api.api_client.configuration.retries)
    attempt = 0
    while True:
        try:
            found, newest, complete, seen = lookup(call, deadline, anchor)
        except ServiceException as error:
            wait = backoff(attempt, error)
            if error.status != 500 or attempt >= budget or time.monotonic() + wait >= deadline:
                raise
            rest._sleep(wait)
            attempt += 1
            continue
        if seen:
            server.keeps_ids = True
        return found, newest, complete


def find(
    api: MessagesApi,
    account_id: int,
    conversation_id: int,
    client_message_id: str,
    _request_timeout: Optional[Timeout] = None,
) -> Optional[Message]:
    """The message with this client message id among the conversation's newest, or None (bounded: PAGES lists)."""
    client_message_id = check_client_message_id(client_message_id)
    timeout = _request_timeout
    if timeout is not None:
        timeout = _check_timeout("_request_timeout", timeout)
    call = Call(api, None, account_id, conversation_id, client_message_id, True)
    found, _, _, _ = lookup(call, None, None, timeout)
    return found


def lookup(
    call: Call,
    deadline: Optional[float],
    anchor: Optional[int] = None,
    timeout: Optional[Timeout] = None,
    pages: int = PAGES,
) -> Tuple[Optional[Message], Optional[int], bool, bool]:
    """(the message, the newest id seen, whether the search covered its bound, whether any message listed carried
    a client message id), in at most ``pages`` list requests.

    The bound: back to ``anchor`` (the newest id before the create was sent) within ANCHORED_PAGES requests when
    it is known, else the newest ``pages`` * PAGE_SIZE messages. A search that does not reach the anchor, or meets
    a page that is not a list or cannot be paged past, is short: it proves nothing.
    """
    from chatwoot_client.models import Message

    newest: Optional[int] = None
    before: Optional[int] = None
    seen = False
    if anchor is not None:
        pages = max(pages, ANCHORED_PAGES)  # where the message would be is known: go there, or prove nothing
    for _ in range(pages):
        options: Dict[str, Any] = {"before": before} if before is not None else {}
        page_timeout = _remaining(call.request.timeout, deadline) if deadline is not None else timeout
        if page_timeout is not None:
            options["_request_timeout"] = page_timeout
        payload = call.api.list_all_messages(call.account_id, call.conversation_id, **options).payload
        messages = [m for m in payload if isinstance(m, Message)] if isinstance(payload, list) else []
        ids = [m.id for m in messages if isinstance(m.id, int) and not isinstance(m.id, bool)]
        if newest is None and ids:
            newest = max(ids)
        for message in messages:
            key = id_of(message)
            if key == call.client_message_id:
                return message, newest, True, True
            seen = seen or isinstance(key, str)
        if not isinstance(payload, list) or len(payload) < PAGE_SIZE:
            return None, newest, isinstance(payload, list), seen  # the start of the conversation
        if anchor is not None and ids and min(ids) <= anchor:
            return None, newest, True, seen  # back to messages older than the create
        if not ids or (before is not None and min(ids) >= before):
            return None, newest, False, seen  # a page that cannot be paged past
        before = min(ids)
    # Not among the newest pages * PAGE_SIZE: the bound of a lookup without an anchor; with one, short of it.
    return None, newest, anchor is None, seen


def id_of(message: Any) -> Any:
    attributes = getattr(message, "content_attributes", None)
    return attributes.get(CLIENT_MESSAGE_ID) if isinstance(attributes, dict) else None


def connect_read(timeout: Timeout) -> Tuple[float, float]:
    if isinstance(timeout, tuple):
        return float(timeout[0]), float(timeout[1])
    if isinstance(timeout, urllib3.Timeout):
        connect, read = timeout.connect_timeout, timeout.read_timeout
        return (
            float(connect) if isinstance(connect, (int, float)) else DEFAULT_TIMEOUT[0],
            float(read) if isinstance(read, (int, float)) else DEFAULT_TIMEOUT[1],
        )
    return float(timeout), float(timeout)


def _remaining(timeout: Timeout, deadline: float) -> Tuple[float, float]:
    """The call's timeout, cut to what is left before the deadline."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise ApiException(0, "Deadline passed before the lookup")
    connect, read = connect_read(timeout)
    return min(connect, left), min(read, left)


def budget_of(setting: Any) -> int:
    """How many times a create may be sent again: the retry policy's total."""
    if setting is None:
        return rest.MAX_RETRIES
    if isinstance(setting, urllib3.util.Retry):
        total = setting.total
        return total if isinstance(total, int) and not isinstance(total, bool) else rest.MAX_RETRIES
    return int(setting)


def backoff(resends: int, error: ApiException) -> float:
    """The retry policy's wait before a resend: Retry-After when the answer has one, else jittered backoff."""
    if isinstance(error, ServiceException):
        wait = _parse_retry_after((error.headers or {}).get("Retry-After"))
        if wait is not None:
            return wait
    delay = min(rest.BACKOFF_MAX, rest.BACKOFF_START * 2.0**resends)
    return delay * (1 - rest.BACKOFF_JITTER * random.random())
