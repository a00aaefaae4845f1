"""The mock server's core: one lock around the store, the fault queue and the records, and an answer per request.

The HTTP layer hands every request to ``Engine.respond`` and does what the returned ``Outcome`` says.
"""

from __future__ import annotations

import logging
import secrets
import threading
from typing import List, Optional

from chatwoot_client.testing._api import handle_request
from chatwoot_client.testing._faults import DELAY, DROP, Fault, FaultQueue
from chatwoot_client.testing._records import JsonObject, Outcome, RecordedRequest, Reply, json_reply
from chatwoot_client.testing._state import Store
from chatwoot_client.testing._webhook import deliver

logger = logging.getLogger(__name__)

_TOKEN_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"  # base58, as Chatwoot's tokens


def _new_token() -> str:
    """A random token of 24 base58 characters: never starts with a dash, so it is safe on a command line."""
    return "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(24))


class Engine:
    """State and behaviour of one mock server, safe to use from many handler threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.bot_secret = _new_token()
        self.store = Store(user_token=_new_token(), bot_token=_new_token())
        self.faults = FaultQueue()
        self.requests: List[RecordedRequest] = []
        self.deliveries: List[JsonObject] = []
        self.connections_opened = 0
        self.agent_bot_url: Optional[str] = None

    def reset(self) -> None:
        """Back to the seeded state with the same tokens; forget faults, records and the bot URL."""
        with self.lock:
            self.store.reset()
            self.faults.clear()
            self.requests.clear()
            self.deliveries.clear()
            self.connections_opened = 0
            self.agent_bot_url = None

    def add_fault(self, fault: Fault) -> None:
        """Queue a fault for the next matching request."""
        with self.lock:
            self.faults.add(fault)

    def connection_opened(self) -> None:
        """Count an accepted connection."""
        with self.lock:
            self.connections_opened += 1

    def respond(self, request: RecordedRequest) -> Outcome:
        """Record a request, apply the next matching fault, and decide the answer."""
        with self.lock:
            self.requests.append(request)
            fault = self.faults.take(request.method)
        if fault is not None and not fault.processes:
            return Outcome(fault.reply if fault.kind != DROP else None)
        if fault is not None and fault.kind == DELAY and fault.after_save is False:
            # Slow processing: the request acts only once the wait is over, whether the client still waits or not.
            if self.stopping.wait(fault.seconds):
                return Outcome(None)
            return Outcome(self._process(request))
        reply = self._process(request)
        if fault is None:
            return Outcome(reply)
        if fault.kind == DROP:
            return Outcome(None)
        if fault.kind == DELAY:
            return Outcome(reply, fault.seconds)
        return Outcome(fault.reply)  # a 500 or a 2xx that comes after the request acted

    def _process(self, request: RecordedRequest) -> Reply:
        """Handle a request against the store, then deliver the webhooks it caused (outside the lock)."""
        try:
            with self.lock:
                reply, events = handle_request(self.store, request)
                url = self.agent_bot_url
        except Exception as error:  # a bug in the mock: answer it rather than hang the client
            logger.debug("mock server failed on %s %s", request.method, request.path, exc_info=True)
            return json_reply(500, {"error": f"Mock server internal error: {error!r}"})
        if url is not None:
            for payload in events:
                record = deliver(url, payload, self.bot_secret)
                with self.lock:
                    self.deliveries.append(record)
        return reply
