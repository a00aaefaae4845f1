"""The loopback servers the tests share.

``LoopbackServer`` is a raw-socket server for tests of misbehaving servers: it answers each connection with exactly
the bytes a test scripts (optionally trickled, optionally over TLS), and records what it received. Bounded: a fixed
number of answers, reads with a timeout, and a stop that joins its thread. ``WebhookReceiver`` is an agent bot's
endpoint that keeps every delivery it gets."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, List, Optional, Sequence, Tuple, Union

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
        tls: Optional[ssl.SSLContext] = None,
    ) -> None:
        self.answers: List[Answer] = list(answers)
        self.requests: List[bytes] = []
        self.trickle = trickle
        self.close_after = close_after
        self.tls = tls
        self.accepted = 0
        self.closed_by_client = 0
        self._stop = threading.Event()
        self._listener = socket.create_server((host, 0))
        self._listener.settimeout(0.05)
        self.url = f"{'https' if tls else 'http'}://{host}:{self._listener.getsockname()[1]}"
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
            connection.settimeout(2.0)
            if self.tls is not None:
                try:
                    connection = self.tls.wrap_socket(connection, server_side=True)
                except OSError:  # the client refused the handshake (an untrusted certificate, say)
                    connection.close()
                    continue
            with connection:
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


Delivery = Tuple[bytes, Message]  # the body and headers of one webhook delivery


class WebhookReceiver:
    """An agent bot's endpoint on 127.0.0.1 (``url``) that keeps each delivery and answers it with the next of
    ``statuses`` (200 once they run out). ``wait(count)`` waits until that many deliveries have arrived."""

    def __init__(self, statuses: Sequence[int] = ()) -> None:
        self.deliveries: List[Delivery] = []
        self.statuses = list(statuses)
        self._arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                with receiver._arrived:
                    receiver.deliveries.append((body, self.headers))
                    receiver._arrived.notify_all()

            def log_message(self, format: str, *args: Any) -> None:
                """Stay quiet."""

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/webhook"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)

    def wait(self, count: int = 1, seconds: float = 5.0) -> bool:
        """True once ``count`` deliveries have arrived; False after ``seconds`` without them."""
        with self._arrived:
            return self._arrived.wait_for(lambda: len(self.deliveries) >= count, seconds)
