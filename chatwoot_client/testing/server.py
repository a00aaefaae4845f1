"""``MockChatwootServer``: a stateful stand-in for a Chatwoot server's Messages API, on 127.0.0.1, for tests.

It speaks JSON as Chatwoot does (SERVER.md) and imports nothing of the client but the webhook signing
helper, so a bug in the client cannot hide behind the same bug here. Example::

    with MockChatwootServer() as server:
        configuration.host = server.url
        configuration.api_key["api_access_token"] = server.user_token
        server.fail_next(503, method="GET")      # the next GET gets a proxy's 503 page
        ...
        assert server.messages(1, 17)[-1]["content"] == "Hello"
"""

from __future__ import annotations

import copy
import threading
import time
from types import TracebackType
from typing import Any, Dict, List, Optional, Type, Union

from chatwoot_client.testing import _faults
from chatwoot_client.testing._engine import Engine
from chatwoot_client.testing._http import MockHTTPServer
from chatwoot_client.testing._records import RecordedRequest
from chatwoot_client.testing._state import (
    MESSAGE_TYPES,
    SEEDED_ACCOUNT_ID,
    SEEDED_API_CONVERSATION_ID,
    SEEDED_WIDGET_CONVERSATION_ID,
    user_sender,
)

POLL_INTERVAL = 0.02  # seconds; how soon stop() is noticed by the accept loop
STOP_TIMEOUT = 2.0  # seconds to wait for handler threads at stop()


class MockChatwootServer:
    """A Chatwoot stand-in: account 1 with conversation 17 (API inbox, assigned) and 18 (web widget).

    The user token works in account 1; the agent bot token may only create messages there. Use it
    as a context manager, or call ``start()`` and ``stop()``. ``message_rate_limit`` is the flood
    guard, messages per conversation per minute (None turns it off); ``webhook_retry_delay`` the
    seconds between redeliveries of a webhook the bot answered with 429 or 500.
    """

    ACCOUNT_ID = SEEDED_ACCOUNT_ID
    API_CONVERSATION_ID = SEEDED_API_CONVERSATION_ID
    WIDGET_CONVERSATION_ID = SEEDED_WIDGET_CONVERSATION_ID

    def __init__(
        self, port: int = 0, message_rate_limit: Optional[int] = 200, webhook_retry_delay: float = 3.0
    ) -> None:
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
            raise ValueError(f"port must be an int between 0 and 65535, got {port!r}")
        if message_rate_limit is not None and (
            isinstance(message_rate_limit, bool) or not isinstance(message_rate_limit, int) or message_rate_limit < 1
        ):
            raise ValueError(f"message_rate_limit must be a positive int or None, got {message_rate_limit!r}")
        if (
            isinstance(webhook_retry_delay, bool)
            or not isinstance(webhook_retry_delay, (int, float))
            or not 0 <= webhook_retry_delay < float("inf")
        ):
            raise ValueError(
                f"webhook_retry_delay must be a finite number of seconds >= 0, got {webhook_retry_delay!r}"
            )
        self._port = port
        self._engine = Engine(message_rate_limit, float(webhook_retry_delay))
        self._lifecycle = threading.Lock()
        self._httpd: Optional[MockHTTPServer] = None
        self._thread: Optional[threading.Thread] = None

    def __enter__(self) -> MockChatwootServer:
        return self.start()

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc_value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<MockChatwootServer {self._url() or 'stopped'}>"

    def start(self) -> MockChatwootServer:
        """Bind 127.0.0.1 (a free port when ``port`` was 0) and serve on a daemon thread; return self."""
        with self._lifecycle:
            if self._httpd is not None:
                return self
            self._engine.stopping.clear()
            httpd = MockHTTPServer(self._port, self._engine)
            self._port = httpd.server_port  # a restart keeps the same URL
            with self._engine.lock:
                self._engine.store.base_url = f"http://127.0.0.1:{self._port}"
                self._engine.connections_opened = 0
            self._thread = threading.Thread(
                target=httpd.serve_forever, kwargs={"poll_interval": POLL_INTERVAL}, name="mock-chatwoot", daemon=True
            )
            self._thread.start()
            self._httpd = httpd
        return self

    def stop(self) -> None:
        """Stop serving, end pending delays and close open connections; the stored state is kept."""
        with self._lifecycle:
            httpd, thread = self._httpd, self._thread
            self._httpd = self._thread = None
            if httpd is None or thread is None:
                return
            self._engine.stopping.set()
            httpd.shutdown()
            httpd.close_connections()
            httpd.server_close()
            httpd.join_handlers(STOP_TIMEOUT)
            thread.join(STOP_TIMEOUT)

    @property
    def url(self) -> str:
        """The base URL, ``http://127.0.0.1:PORT``; only once started."""
        url = self._url()
        if url is None:
            raise RuntimeError("the mock server is not started")
        return url

    @property
    def port(self) -> int:
        """The port it listens on (0 before the first start with port 0)."""
        return self._port

    @property
    def user_token(self) -> str:
        """The access token of the user, a member of account 1."""
        return self._engine.store.user_token

    @property
    def bot_token(self) -> str:
        """The access token of the agent bot (create only)."""
        return self._engine.store.bot_token

    @property
    def bot_secret(self) -> str:
        """The secret that signs the agent bot's webhooks."""
        return self._engine.bot_secret

    @property
    def agent_bot_url(self) -> Optional[str]:
        """Where the bot's webhooks are posted, signed, once the request that caused them was answered.

        ``message_created`` for every incoming, outgoing (the bot's own replies included) and template
        message created through the API, ``message_updated`` after a delete, status update or retry that
        changed a message; never for activity messages or ``add_message``. None: nowhere.
        """
        return self._engine.agent_bot_url

    @agent_bot_url.setter
    def agent_bot_url(self, url: Optional[str]) -> None:
        with self._engine.lock:
            self._engine.agent_bot_url = url

    @property
    def requests(self) -> List[RecordedRequest]:
        """The requests received so far, oldest first (a copy)."""
        with self._engine.lock:
            return list(self._engine.requests)

    @property
    def connections_opened(self) -> int:
        """How many connections were accepted since start or reset."""
        with self._engine.lock:
            return self._engine.connections_opened

    @property
    def webhook_deliveries(self) -> List[Dict[str, Any]]:
        """One record per attempt: delivery_id, url, event, message_id, attempt, timestamp, status (or None), error."""
        with self._engine.lock:
            return copy.deepcopy(self._engine.deliveries)

    def wait_for_webhooks(self, count: int = 1, timeout: float = 5.0) -> List[Dict[str, Any]]:
        """Wait until at least ``count`` delivery attempts are recorded; return them all (raises TimeoutError).

        Webhooks go out after the answer, on their own threads, so a test waits for them here.
        """
        deadline = time.monotonic() + timeout
        with self._engine.delivered:
            while len(self._engine.deliveries) < count:  # ends at the deadline at the latest
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    got = len(self._engine.deliveries)
                    raise TimeoutError(f"{got} webhook deliveries after {timeout} s, expected {count}")
                self._engine.delivered.wait(remaining)
            return copy.deepcopy(self._engine.deliveries)

    def reset(self) -> None:
        """Back to the fresh state with the same tokens: messages, faults, records, count and agent_bot_url cleared."""
        self._engine.reset()

    def add_conversation(self, account_id: int = SEEDED_ACCOUNT_ID, api_inbox: bool = True) -> int:
        """Add an empty, unassigned conversation (creating the account if needed); return its display id.

        Only account 1 has the user and the bot as members, so another account answers 401 to them.
        """
        _check_id("account_id", account_id)
        with self._engine.lock:
            return self._engine.store.add_conversation(account_id, api_inbox)

    def add_message(
        self,
        account_id: int,
        conversation_id: int,
        content: Optional[str],
        message_type: Union[str, int] = "incoming",
        **fields: Any,
    ) -> Dict[str, Any]:
        """Store a message directly (no HTTP, no webhook, no flood guard) and return it as the server serves it.

        ``message_type`` is a name (incoming, outgoing, activity, template) or any int. The sender is
        the contact for incoming messages, the user for outgoing and template ones, and absent for
        activity. ``fields`` override or add keys, unknown ones included (``id`` excepted).
        """
        if "id" in fields:
            raise ValueError("message ids are assigned by the server")
        number = _message_type_number(message_type)
        with self._engine.lock:
            store = self._engine.store
            conversation = store.conversation(account_id, conversation_id)
            sender = {0: conversation.contact, 2: None}.get(number, user_sender())
            message = store.add_message(conversation, content, number, sender)
            message.update(copy.deepcopy(fields))
            return copy.deepcopy(message)

    def messages(self, account_id: int, conversation_id: int) -> List[Dict[str, Any]]:
        """The stored messages of a conversation, oldest first, as the server serves them (copies)."""
        with self._engine.lock:
            conversation = self._engine.store.conversation(account_id, conversation_id)
            return copy.deepcopy(list(conversation.messages.values()))

    def fail_next(
        self,
        status: int,
        times: int = 1,
        method: Optional[str] = None,
        retry_after: Union[int, str, None] = None,
        body: _faults.Body = None,
        *,
        content_type: Optional[str] = None,
        after_save: Optional[bool] = None,
    ) -> None:
        """Answer the next ``times`` requests (of ``method`` if given) with ``status``.

        Default bodies: 429 ``Retry later`` and a newline as text/plain (rack-attack's), 502/503/504 a
        proxy's HTML page, others ``{"error": "<reason phrase>"}``; ``body`` (str, bytes, dict or list) replaces it and
        ``retry_after`` adds a Retry-After header. By default a 500 or a 2xx comes after the request
        was handled (a create has saved its message) and any other status answers without acting;
        ``after_save=True`` answers after handling it (a 504 from a proxy whose server went on and
        saved), ``after_save=False`` without handling it (a 500 before the save).
        """
        self._engine.add_fault(_faults.failure(status, times, method, retry_after, body, content_type, after_save))

    def delay_next(
        self, seconds: float, times: int = 1, *, method: Optional[str] = None, after_save: bool = True
    ) -> None:
        """Delay the next ``times`` requests by ``seconds`` (``stop()`` cuts the wait short).

        ``after_save=True`` (the default) handles the request, then waits before answering: an answer that
        comes after the client's read timeout, for a message already stored. ``after_save=False`` waits first,
        then handles the request and answers: slow processing that stores the message only after the client
        may have given up (a wait cut short by ``stop()`` stores nothing).
        """
        self._engine.add_fault(_faults.delay(seconds, times, method, after_save))

    def drop_next(self, times: int = 1, *, method: Optional[str] = None, after_save: bool = True) -> None:
        """Close the connection of the next ``times`` requests without any answer.

        ``after_save=True`` (the default) handles the request first (a create has stored its message);
        ``after_save=False`` closes without handling it.
        """
        self._engine.add_fault(_faults.drop(times, method, after_save))

    def redirect_next(self, location: str, status: int = 302, times: int = 1, method: Optional[str] = None) -> None:
        """Answer the next ``times`` requests (of ``method`` if given) with a redirect to ``location``, not acting."""
        self._engine.add_fault(_faults.redirect(location, status, times, method))

    def _url(self) -> Optional[str]:
        return f"http://127.0.0.1:{self._port}" if self._httpd is not None else None


def _check_id(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")


def _message_type_number(message_type: Union[str, int]) -> int:
    if isinstance(message_type, int) and not isinstance(message_type, bool):
        return message_type
    if isinstance(message_type, str) and message_type in MESSAGE_TYPES:
        return MESSAGE_TYPES[message_type]
    raise ValueError(f"message_type must be one of {', '.join(MESSAGE_TYPES)} or an int, got {message_type!r}")


__all__ = ["MockChatwootServer"]
