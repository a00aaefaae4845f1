"""A raw-socket loopback server for tests of misbehaving servers: it answers each connection with exactly the
bytes a test scripts (optionally trickled), and records what it received. Bounded: a fixed number of
connections, reads with a timeout, and a stop that joins its thread."""

from __future__ import annotations

import socket
import threading
import time
from typing import Callable, List, Optional, Sequence, Union

Answer = Union[bytes, Callable[[bytes], bytes]]  # bytes, or a function of the request received

MAX_REQUEST = 1024 * 1024


def _read_request(connection: socket.socket) -> bytes:
    """One request: its head and, when it names a Content-Length, its body."""
    data = b""
    while b"\r\n\r\n" not in data and len(data) < MAX_REQUEST:
        chunk = connection.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


class LoopbackServer:
    """Serves ``answers`` in order, one per request, on one keep-alive connection after another.

    ``trickle`` sends each answer one byte at a time with that many seconds between bytes (the test's stop ends
    it). ``close_after`` closes each connection after its answer. ``accepted`` counts the connections taken and
    ``closed_by_client`` those the client closed (end of file where a request would start).
    """

    def __init__(
        self,
        answers: Sequence[Answer],
        host: str = "127.0.0.1",
        trickle: Optional[float] = None,
        close_after: bool = True,
    ) -> None:
        self.answers: List[Answer] = list(answers)
        self.requests: List[bytes] = []
        self.trickle = trickle
        self.close_after = close_after
        self.accepted = 0
        self.closed_by_client = 0
        self._stop = threading.Event()
        self._listener = socket.create_server((host, 0))
        self._listener.settimeout(0.05)
        self.url = f"http://{host}:{self._listener.getsockname()[1]}"
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self._listener.close()

    def _serve(self) -> None:
        while self.answers and not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except socket.timeout:
                continue
            self.accepted += 1
            with connection:
                connection.settimeout(2.0)
                self._answer(connection)

    def _answer(self, connection: socket.socket) -> None:
        while self.answers and not self._stop.is_set():
            try:
                request = _read_request(connection)
            except OSError:
                return
            if not request:
                self.closed_by_client += 1
                return
            self.requests.append(request)
            answer = self.answers.pop(0)
            data = answer(request) if callable(answer) else answer
            try:
                self._send(connection, data)
            except OSError:
                return
            if self.close_after:
                return

    def _send(self, connection: socket.socket, data: bytes) -> None:
        if self.trickle is None:
            connection.sendall(data)
            return
        for index in range(len(data)):
            if self._stop.wait(self.trickle):
                return
            connection.sendall(data[index : index + 1])


def answer(status: str = "200 OK", body: bytes = b"{}", headers: Sequence[str] = (), keep_alive: bool = False) -> bytes:
    """The bytes of an HTTP/1.1 answer with a Content-Length (and Connection: close unless ``keep_alive``)."""
    lines = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", *headers]
    if not keep_alive:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def wait_for(condition: Callable[[], bool], seconds: float = 2.0) -> bool:
    """Poll ``condition`` until it holds or ``seconds`` have passed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()
