"""Exactly-once creates: the lookups and resends around a create, and what its exception says about the message.

Chatwoot has no idempotency key, but it keeps custom content_attributes keys and lists them, so a tagged create
(``_exactly_once.tag``) can be found again. What a failed send proves depends on how it failed:

=============================================  ======================================  ===============================
the send ended with                            the server                              the SDK
=============================================  ======================================  ===============================
no connection (refused, connect timeout)       never saw the request                   raises, stored=False
400, 401, 403, 404, 429, a 3xx redirect        refused it before the create ran        raises, stored=False
2xx with a body that is not a message          stored it                               raises, stored=True
500, 502, 503                                  is done with it                         looks; found: returns it; not
                                                                                       found: sends again (same id)
                                                                                       within the retry budget, else
                                                                                       raises, stored=False
422 and any other 4xx, 501, 505                is done with it (a 422 may come after   looks; raises, stored=True or
                                               the save: SERVER.md)                    False; never sends again
a dropped connection (closed or reset after    ended the exchange: it never read the   looks until one read timeout
the request was sent, no whole answer)         request (a keep-alive race), or the     has passed; found: returns it;
                                               process handling it died or finished    else raises, stored=False;
                                                                                       never sends again
a read timeout, 504, any other status          may still be working on it              looks at doubling waits (from
                                                                                       half a read timeout, 6 looks
                                                                                       at most, until the deadline);
                                                                                       found: returns it; else
                                                                                       raises, stored=None
=============================================  ======================================  ===============================

A lookup proves absence only when it covered its bound and this client has seen the server keep a client message
id (a create answered with its id, or a lookup that found one); a server that drops custom keys (before 4.9)
would never list the id. Without both, "not found" is stored=None.

A read timeout or a 504 proves nothing: the client, or a proxy, gave up on a server that had not answered within
its timeout, so its work on the request takes longer than that, by an unknown amount; it may still save the
message after any lookup. So: no resend, and stored=None when the lookups (spread over several read timeouts,
to catch a slow save) did not find it. A dropped connection
is different: the peer closed the connection instead of answering. An application server does that when it
never read the request (it closed an idle keep-alive connection as the request arrived) or when the process
handling it died (its transaction committed or rolled back); proxies in front of Chatwoot (nginx, load
balancers) answer 502 or 504 rather than drop a request they forwarded. Something in between that cuts the
connection while the application goes on is covered by looking for one read timeout after the drop: a server
that answers within the read timeout has saved by then. Not found by then is stored=False, but the SDK does not
send again itself (the contract resends only on an answer that shows the server done); the caller may.

A lookup is at most PAGES list requests of the newest messages, paging back with ``before``: it covers the 60
newest messages, or fewer when it reaches the start of the conversation or a message older than the create (the
newest id a lookup saw before the send). A lookup starts right after the failed answer: for a stored message to
be out of its reach, 60 others would have to be created in the conversation in between (Chatwoot's flood guard
allows 200 a minute). Every lookup and resend starts before the call's deadline, start + (budget + 2) *
(connect + read), budget being the retry policy's total. When a create with the caller's id raises, the newest
message id from before its first send is remembered, so that a later call with that id looks back to it (up to
ANCHORED_PAGES list requests) however many messages the conversation got meanwhile.

An agent bot token may not list: after one refused lookup (401), or a created message whose sender is an agent
bot, no more lookups are made for that host and token, and a send that left the client is never repeated. State
is kept per ApiClient, keyed by host and a hash of the token.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Dict, List, NoReturn, Optional, Tuple

from urllib3.exceptions import ConnectTimeoutError, MaxRetryError

from chatwoot_client import rest
from chatwoot_client._exactly_once import CLIENT_MESSAGE_ID
from chatwoot_client._lookup import (
    Call,
    Server,
    backoff,
    budget_of,
    connect_read,
    find,
    look,
    server_of,
)
from chatwoot_client.exceptions import (
    ApiException,
    ApiTimeoutError,
    ApiTypeError,
    ApiValueError,
    NotFoundException,
    UnauthorizedException,
)

if TYPE_CHECKING:
    from chatwoot_client.api.messages_api import MessagesApi
    from chatwoot_client.api_client import Operation
    from chatwoot_client.models import Message

LOOKS = 4  # lookups after a dropped connection, spread over one read timeout
PENDING_LOOKS = 6  # lookups after a read timeout or a 504, at doubling waits from half a read timeout

NOT_SENT = "not sent"  # the server never had the request
REFUSED = "refused"  # the server answered without acting
ACTED = "acted"  # the server answered 2xx
DONE = "done"  # the server is done with the request, and a resend may follow
DONE_NO_RESEND = "done, no resend"  # the server is done with the request; sending again would not help
DROPPED = "dropped"  # the connection was closed without a whole answer
PENDING = "pending"  # the server may still be working on the request

_REFUSED_STATUSES = frozenset({400, 401, 403, 404, 429})  # SERVER.md: answered before the create runs
_DONE_STATUSES = frozenset({500, 502, 503})
_DONE_NO_RESEND_STATUSES = frozenset({501, 505})


def create(
    api: MessagesApi,
    operation: Operation,
    params: Dict[str, Any],
    options: Dict[str, Any],
    client_message_id: str,
    explicit: bool,
) -> Any:
    """Send a tagged create: every argument is checked first, then (on the pool with async_req) ``_run``."""
    api_client = api.api_client
    try:
        request = api_client._build_request(operation, params, options)
    except (ApiValueError, ApiTypeError) as error:
        vars(error).update(client_message_id=client_message_id, stored=False)  # a caller mistake, before any I/O
        raise
    call = Call(api, request, params["account_id"], params["conversation_id"], client_message_id, explicit)
    if options.get("async_req"):
        from chatwoot_client.api_client import AsyncResult

        return AsyncResult(api_client.pool.submit(_run, call))
    return _run(call)


def _run(call: Call) -> Any:
    api_client = call.api.api_client
    if not api_client.configuration.reconcile_creates:
        try:
            return api_client._send(call.request)
        except ApiException as error:
            kind = classify(error)
            _fail(error, call, False if kind in (NOT_SENT, REFUSED) else True if kind == ACTED else None)
    server = server_of(api_client)
    started = time.monotonic()
    if not call.explicit:  # a fresh id cannot be stored yet: no lookup on the way in
        try:
            result = api_client._send(call.request)
        except ApiException as error:
            return _recover(call, server, error, None, started + _call_span(call))
        _learn(server, result, call.client_message_id)
        return result
    return _explicit(call, server, started + _call_span(call))


def _explicit(call: Call, server: Server, deadline: float) -> Any:
    """A create with the caller's id: look for it first, so that calling again with the same id is safe."""
    anchor: Optional[int] = None
    if server.may_list:
        remembered = server.anchor_of(call)  # an earlier call with this id raised: look back to its anchor
        try:
            found, anchor, complete = look(call, server, deadline, remembered)
        except UnauthorizedException:
            server.may_list = False  # an agent bot token (or one that may not list): send without looking
        except NotFoundException as error:
            _fail(error, call, False)  # no such account or conversation: nothing can be stored there
        except ApiException as error:
            _fail(error, call, None)  # a previous call's message may be there: do not send
        else:
            if found is not None:
                server.keeps_ids = True
                server.settle(call)
                return _as_result(call, found)
            if remembered is not None:
                anchor = remembered  # the first request may still be saved: look back as far after a failure
            elif anchor is None and complete:
                anchor = 0  # an empty conversation: every message after the send is newer than nothing
    try:
        result = call.api.api_client._send(call.request)
    except ApiException as error:
        try:
            result = _recover(call, server, error, anchor, deadline)
        except ApiException as failure:
            if failure.stored is not True and server.may_list:
                server.remember(call, anchor)
            raise
    else:
        _learn(server, result, call.client_message_id)
    server.settle(call)
    return result


def _recover(call: Call, server: Server, error: ApiException, anchor: Optional[int], deadline: float) -> Any:
    """After a failed send: look the message up, return it, send again where that is safe, or raise."""
    budget = budget_of(call.api.api_client.configuration.retries)
    resends = 0
    while True:
        kind = classify(error)
        if kind in (NOT_SENT, REFUSED):
            _fail(error, call, False)
        if kind == ACTED:
            _fail(error, call, True)
        if not server.may_list:
            _fail(error, call, None)  # no lookup can tell, and a sent request is never repeated
        try:
            found, newest, complete = _search(call, server, kind, anchor, deadline)
        except UnauthorizedException:
            server.may_list = False
            _fail(error, call, None)
        except ApiException:
            _fail(error, call, None)
        if found is not None:
            server.keeps_ids = True
            if kind == DONE_NO_RESEND or not _is_message(found):
                _fail(error, call, True)  # stored although the server answered an error
            return _as_result(call, found)
        absent = complete and server.keeps_ids and kind in (DONE, DONE_NO_RESEND, DROPPED)
        if not absent:
            _fail(error, call, None)
        wait = backoff(resends, error)
        late = wait > rest.MAX_RETRY_AFTER or time.monotonic() + wait >= deadline
        if kind != DONE or resends >= budget or late:
            _fail(error, call, False)
        rest._sleep(wait)
        resends += 1
        anchor = newest if newest is not None else anchor  # a resent message is newer than what was just seen
        try:
            result = call.api.api_client._send(call.request)
        except ApiException as again:
            error = again
            continue
        _learn(server, result, call.client_message_id)
        return result


def classify(error: ApiException) -> str:
    """What the way a send failed says about what the server did with it (see the module's table)."""
    status = error.status or 0
    if status == 0:
        cause = error.__cause__
        reason = cause.reason if isinstance(cause, MaxRetryError) else cause
        # Never connected (NewConnectionError is a ConnectTimeoutError). A TLS error is not counted here: most
        # come from the handshake, but one while the answer is read comes after the request was sent.
        if isinstance(reason, ConnectTimeoutError):
            return NOT_SENT
        return PENDING if isinstance(error, ApiTimeoutError) else DROPPED
    if 200 <= status <= 299:
        return ACTED
    if status in _REFUSED_STATUSES or 300 <= status <= 399:  # a redirect sends the request elsewhere, unhandled
        return REFUSED
    if status in _DONE_STATUSES:
        return DONE
    if 400 <= status <= 499 or status in _DONE_NO_RESEND_STATUSES:
        return DONE_NO_RESEND
    return PENDING


def _search(
    call: Call, server: Server, kind: str, anchor: Optional[int], deadline: float
) -> Tuple[Any, Optional[int], bool]:
    """One lookup when the server is done; after a lost answer, lookups at the times of ``_schedule``."""
    found, newest, complete = look(call, server, deadline, anchor)
    if found is not None or kind not in (PENDING, DROPPED):
        return found, newest, complete
    started = time.monotonic()
    for offset in _schedule(kind, connect_read(call.request.timeout)[1]):
        if started + offset >= deadline:
            break
        pause = started + offset - time.monotonic()
        if pause > 0:
            _pause(pause)
        found, newest, complete = look(call, server, deadline, anchor)
        if found is not None:
            break
    return found, newest, complete


def _schedule(kind: str, read: float) -> List[float]:
    """Seconds after the first lookup at which to look again.

    After a drop, LOOKS lookups spread over one read timeout: a server that answers within it has saved by then.
    After a read timeout or a 504 the server is slower than that by an unknown amount, so the waits double, from
    half a read timeout, up to PENDING_LOOKS lookups (the call's deadline ends them sooner)."""
    if kind == DROPPED:
        return [read * look / (LOOKS - 1) for look in range(1, LOOKS)]
    return [read * (2.0 ** (look - 1) - 0.5) for look in range(1, PENDING_LOOKS)]


def _pause(seconds: float) -> None:
    """Wait between two lookups (tests may replace it)."""
    time.sleep(seconds)


def _is_message(message: Any) -> bool:
    return isinstance(getattr(message, "id", None), int)


def _learn(server: Server, result: Any, client_message_id: str) -> None:
    """What a create's answer teaches: whether the server keeps the id, whether the token is an agent bot's.

    Read from the answer's JSON as it came (``_raw``), so that no field is converted to a model on the way."""
    data = result[0] if isinstance(result, tuple) else result
    raw = getattr(data, "_raw", None)
    if not isinstance(raw, dict):
        return  # _preload_content=False: the raw urllib3 response, nothing read
    if not server.keeps_ids:
        attributes = raw.get("content_attributes")
        if isinstance(attributes, dict) and attributes.get(CLIENT_MESSAGE_ID) == client_message_id:
            server.keeps_ids = True
    sender = raw.get("sender")
    if isinstance(sender, dict) and sender.get("type") == "agent_bot":
        server.may_list = False


def _as_result(call: Call, message: Message) -> Any:
    """A found message in the shape the create would have returned it."""
    from chatwoot_client.models import InlineResponse2005

    data = InlineResponse2005.from_dict(message._raw)
    return data if call.request.data_only else (data, 200, {})


def _fail(error: ApiException, call: Call, stored: Optional[bool]) -> NoReturn:
    """Raise a create's exception with its client message id and what is known of the message."""
    error.client_message_id = call.client_message_id
    error.stored = stored
    raise error from error.__cause__


def _call_span(call: Call) -> float:
    """Seconds from the start of a create to its deadline: (budget + 2) attempts of connect + read."""
    connect, read = connect_read(call.request.timeout)
    return (budget_of(call.api.api_client.configuration.retries) + 2) * (connect + read)


__all__ = ["classify", "create", "find"]
