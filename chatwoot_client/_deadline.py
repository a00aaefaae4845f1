"""A deadline on reading a whole answer, and the connection classes that arm it.

A socket timeout bounds each read, not the answer: a server sending one byte every 0.1 s would hold a call
forever. So the answer of every attempt (status line, headers and body) gets a deadline, its read timeout after
the request was sent, and one watchdog thread shuts the socket of an attempt whose deadline has passed; the read
that waits on it then fails at once, and the attempt is reported as a timeout.

The same response class also skips every 1xx interim answer (103 Early Hints and the like), as it skips 100.
"""

from __future__ import annotations

import http.client
import os
import socket
import threading
import time
from typing import Any, Dict, List, Optional

import urllib3
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool


class _Attempt:
    __slots__ = ("deadline", "expired", "sock")

    def __init__(self, deadline: float, sock: socket.socket) -> None:
        self.deadline = deadline
        self.sock = sock
        self.expired = False


class _Watchdog:
    """Shuts the socket of an attempt whose deadline has passed. One attempt per thread is armed at a time.

    Arming costs a lock and a dict entry; the thread is woken only when a deadline comes before the time it
    already plans to wake at, so calls with the same timeout never wake it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()  # taken directly by arm() and disarm(): cheaper than the condition's methods
        self._condition = threading.Condition(self._lock)
        self._attempts: Dict[int, _Attempt] = {}
        self._wake_at = float("inf")
        self._thread: Optional[threading.Thread] = None

    def arm(self, sock: Any, seconds: Optional[float]) -> None:
        """Start the deadline of this thread's attempt: ``seconds`` from now (no deadline when None)."""
        key = threading.get_ident()
        if seconds is None or not isinstance(sock, socket.socket):
            with self._lock:
                self._attempts.pop(key, None)
            return
        attempt = _Attempt(time.monotonic() + seconds, sock)
        with self._lock:
            self._attempts[key] = attempt
            if attempt.deadline < self._wake_at:
                self._wake_at = attempt.deadline
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="chatwoot-client-deadline", daemon=True)
                    self._thread.start()
                else:
                    self._condition.notify()

    def disarm(self) -> bool:
        """End this thread's attempt; True when its deadline had passed (its socket was shut)."""
        with self._lock:
            attempt = self._attempts.pop(threading.get_ident(), None)
        return attempt is not None and attempt.expired

    def expired(self) -> bool:
        """True when this thread's armed attempt ran out of time."""
        attempt = self._attempts.get(threading.get_ident())
        return attempt is not None and attempt.expired

    def _run(self) -> None:
        with self._condition:
            while True:
                now = time.monotonic()
                wake_at = float("inf")
                for attempt in self._attempts.values():
                    if attempt.expired:
                        continue
                    if attempt.deadline <= now:
                        attempt.expired = True
                        _shut(attempt.sock)
                    else:
                        wake_at = min(wake_at, attempt.deadline)
                self._wake_at = wake_at
                self._condition.wait(None if wake_at == float("inf") else wake_at - now)

    def _after_fork(self) -> None:
        self._lock = threading.Lock()
        self._condition = threading.Condition(self._lock)
        self._attempts = {}
        self._wake_at = float("inf")
        self._thread = None


def _shut(sock: socket.socket) -> None:
    """Shut a socket another thread may be reading: that read returns at once. The plain socket's shutdown, so a
    TLS socket is not torn down under its reader."""
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass


WATCHDOG = _Watchdog()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=WATCHDOG._after_fork)


class _Response(http.client.HTTPResponse):
    """http.client's response, with the answer's deadline armed before its first byte is read, and every 1xx
    interim answer skipped (http.client skips only 100 Continue)."""

    def __init__(self, sock: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(sock, *args, **kwargs)
        self._deadline_socket = sock

    def begin(self) -> None:
        if self.headers is None:
            sock = self._deadline_socket
            WATCHDOG.arm(sock, sock.gettimeout() if isinstance(sock, socket.socket) else None)
        super().begin()

    def _read_status(self) -> Any:
        version, status, reason = super()._read_status()  # type: ignore[misc]
        if 100 < status < 200 and status != 101:
            return version, http.client.CONTINUE, reason  # begin() then skips its headers and reads on
        return version, status, reason


class _HTTPConnection(urllib3.connection.HTTPConnection):
    response_class = _Response


class _HTTPSConnection(urllib3.connection.HTTPSConnection):
    response_class = _Response


class _HTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


POOL_CLASSES: Dict[str, Any] = {"http": _HTTPConnectionPool, "https": _HTTPSConnectionPool}

__all__: List[str] = []
