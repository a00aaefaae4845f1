"""The mock server's core: one lock around the store, the fault queue and the records, and an answer per request.

The HTTP layer hands every request to ``Engine.respond``, does what the returned ``Outcome`` says, and
only then calls ``Engine.dispatch``, so that a webhook never goes out before the answer that caused it.
"""

from __future__ import annotations

import logging
import secrets
import threading
import uuid
from typing import List, Optional

from chatwoot_client.testing._api import handle_request
from chatwoot_client.testing._faults import DELAY, DROP, Fault, FaultQueue
from chatwoot_client.testing._records import JsonObject, Outcome, RecordedRequest, json_reply
from chatwoot_client.testing._state import Store
from chatwoot_client.testing._webhook import MAX_ATTEMPTS, RETRIED_STATUSES, post, rails_json

logger = logging.getLogger(__name__)

_TOKEN_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"  # base58, as Chatwoot's tokens


def _new_token() -> str:
    """A random token of 24 base58 characters: never starts with a dash, so it is safe on a command line."""
    return "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(24))


class Engine:
    """State and behaviour of one mock server, safe to use from many handler threads."""

    def __init__(self, message_rate_limit: Optional[int] = 200, webhook_retry_delay: float = 3.0) -> None:
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.bot_secret = _new_token()
        self.store = Store(user_token=_new_token(), bot_token=_new_token())
        self.faults = FaultQueue()
        self.requests: List[RecordedRequest] = []
        self.deliveries: List[JsonObject] = []
        self.delivered = threading.Condition(self.lock)  # notified on each new delivery record
        self.connections_opened = 0
        self.agent_bot_url: Optional[str] = None
        self.message_rate_limit = message_rate_limit
        self.webhook_retry_delay = webhook_retry_delay
        self._generation = 0  # deliveries of an older generation (before a reset) are not recorded

    def reset(self) -> None:
        """Back to the seeded state with the same tokens; forget faults, records and the bot URL."""
        with self.lock:
            self.store.reset()
            self.faults.clear()
            self.requests.clear()
            self.deliveries.clear()
            self.connections_opened = 0
            self.agent_bot_url = None
            self._generation += 1

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
            return self._process(request)
        outcome = self._process(request)
        if fault is None:
            return outcome
        if fault.kind == DROP:
            return Outcome(None, webhooks=outcome.webhooks)
        if fault.kind == DELAY:
            return Outcome(outcome.reply, fault.seconds, outcome.webhooks)
        return Outcome(fault.reply, webhooks=outcome.webhooks)  # a 500 or a 2xx that comes after the request acted

    def dispatch(self, outcome: Outcome) -> None:
        """Post the webhooks a request caused, each on its own thread: independent, unordered, never awaited."""
        with self.lock:
            generation = self._generation
        for url, body in outcome.webhooks:
            thread = threading.Thread(
                target=self._deliver, args=(url, body, str(uuid.uuid4()), generation), name="mock-webhook", daemon=True
            )
            thread.start()

    def _deliver(self, url: str, body: bytes, delivery_id: str, generation: int) -> None:
        """Post one webhook, again after ``webhook_retry_delay`` while the bot answers 429 or 500."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            record = post(url, body, self.bot_secret, delivery_id, attempt)
            with self.lock:
                if generation != self._generation:
                    return
                self.deliveries.append(record)
                self.delivered.notify_all()
            if record["status"] not in RETRIED_STATUSES or attempt == MAX_ATTEMPTS:
                return
            if self.stopping.wait(self.webhook_retry_delay):
                return
            with self.lock:
                if generation != self._generation:  # reset() while waiting: this delivery is forgotten
                    return

    def _process(self, request: RecordedRequest) -> Outcome:
        """Handle a request against the store; the webhooks it caused go with the answer."""
        try:
            with self.lock:
                reply, events = handle_request(self.store, request, self.message_rate_limit)
                url = self.agent_bot_url
        except Exception as error:  # a bug in the mock: answer it rather than hang the client
            logger.debug("mock server failed on %s %s", request.method, request.path, exc_info=True)
            return Outcome(json_reply(500, {"error": f"Mock server internal error: {error!r}"}))
        if url is None:
            return Outcome(reply)
        return Outcome(reply, webhooks=tuple((url, rails_json(payload)) for payload in events))
