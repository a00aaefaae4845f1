"""HTTP/1.1 plumbing of the mock server: a threading server that tracks its connections, and a quiet handler.

The handler reads each request body fully (by Content-Length or chunked), asks the responder what
to do, and writes the answer with a Content-Length so connections stay alive. ``stop`` needs
``close_connections`` because an idle keep-alive connection would otherwise hold its thread forever.
"""

from __future__ import annotations

import logging
import re
import socket
import socketserver
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional, Set
from urllib.parse import parse_qsl, urlsplit

from chatwoot_client.testing._engine import Engine
from chatwoot_client.testing._records import RecordedRequest, Reply, json_reply

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024 * 1024  # a larger request body is refused with 413
_MAX_LINE_BYTES = 65536  # a chunk-size or trailer line
_MAX_TRAILERS = 100
_NO_BODY_STATUSES = (204, 304)
_DIGITS = re.compile(r"[0-9]+")
_HEX = re.compile(rb"[0-9a-fA-F]{1,16}")


class _BodyError(Exception):
    """The request body cannot be read; answer ``reply`` and close the connection."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.status)
        self.reply = reply


class MockHTTPServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer on 127.0.0.1 that tracks its open connections and handler threads."""

    daemon_threads = True
    request_queue_size = 128  # the default 5 drops the SYNs of a burst of clients, which then wait a second

    def __init__(self, port: int, engine: Engine) -> None:
        self.engine = engine
        self._tracking_lock = threading.Lock()
        self._open_connections: Set[socket.socket] = set()
        self._handler_threads: List[threading.Thread] = []
        super().__init__(("127.0.0.1", port), _Handler)

    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse DNS lookup, which can be slow."""
        socketserver.TCPServer.server_bind(self)
        self.server_name = "127.0.0.1"
        self.server_port = int(self.socket.getsockname()[1])

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve a new connection on its own daemon thread, keeping track of both."""
        thread = threading.Thread(
            target=self.process_request_thread, args=(request, client_address), name="mock-chatwoot", daemon=True
        )
        with self._tracking_lock:
            self._open_connections.add(request)
            self._handler_threads = [running for running in self._handler_threads if running.is_alive()]
            self._handler_threads.append(thread)
        self.engine.connection_opened()
        thread.start()

    def shutdown_request(self, request: Any) -> None:
        """Forget a connection as it closes."""
        with self._tracking_lock:
            self._open_connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:  # pragma: no cover - only on resets mid-read
        """Stay quiet about broken connections (the stdlib prints a traceback to stderr)."""
        logger.debug("connection from %s failed", client_address, exc_info=True)

    def close_connections(self) -> None:
        """Shut down every open connection, so that threads waiting on idle keep-alive sockets end."""
        with self._tracking_lock:
            connections = list(self._open_connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:  # pragma: no cover - closed by its own thread meanwhile, a race tests cannot stage
                pass

    def join_handlers(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds in all for the handler threads to end."""
        deadline = time.monotonic() + timeout
        with self._tracking_lock:
            threads = list(self._handler_threads)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))


class _Handler(BaseHTTPRequestHandler):
    """Reads a request, asks the engine, writes (or withholds) the answer."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes; do not wait for delayed ACKs
    server: MockHTTPServer

    def version_string(self) -> str:
        """The Server header."""
        return "MockChatwoot/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        """Log nothing: a test double should not write to stderr."""

    def do_GET(self) -> None:
        """Serve a GET."""
        self._serve()

    def do_POST(self) -> None:
        """Serve a POST."""
        self._serve()

    def do_DELETE(self) -> None:
        """Serve a DELETE."""
        self._serve()

    def do_PUT(self) -> None:
        """Serve a PUT."""
        self._serve()

    def do_PATCH(self) -> None:
        """Serve a PATCH."""
        self._serve()

    def do_HEAD(self) -> None:
        """Serve a HEAD: the GET answer's headers, no body."""
        self._serve()

    def do_OPTIONS(self) -> None:
        """Serve an OPTIONS (no route takes it)."""
        self._serve()

    def _serve(self) -> None:
        engine = self.server.engine
        try:
            body = self._read_body()
        except _BodyError as error:
            self.close_connection = True
            self._write(error.reply)
            return
        if body is None:  # the client went away before sending the whole body
            self.close_connection = True
            return
        target = urlsplit(self.path)
        request = RecordedRequest(
            method=self.command,
            path=target.path or "/",
            query=dict(parse_qsl(target.query, keep_blank_values=True)),
            headers=self._header_dict(),
            body=body,
            client_port=int(self.client_address[1]),
            raw_query=target.query,
        )
        outcome = engine.respond(request)
        stopped = outcome.delay > 0 and engine.stopping.wait(outcome.delay)
        if outcome.reply is None or stopped:
            self._drop()
        else:
            self._write(outcome.reply)
        engine.dispatch(outcome)  # after the answer went out, as a real server's job queue does

    def _header_dict(self) -> Dict[str, str]:
        headers: Dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        return headers

    def _read_body(self) -> Optional[bytes]:
        """The whole request body; None when the connection ended early."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            return b""
        if not _DIGITS.fullmatch(length_text.strip()):
            raise _BodyError(json_reply(400, {"error": f"Invalid Content-Length: {length_text!r}"}))
        length = int(length_text)
        if length > MAX_BODY_BYTES:
            raise _BodyError(json_reply(413, {"error": "Request body too large"}))
        body = self.rfile.read(length)
        return body if len(body) == length else None

    def _read_chunked(self) -> Optional[bytes]:
        """A chunked body: hex-sized chunks up to a zero-sized one, then optional trailers."""
        chunks: List[bytes] = []
        total = 0
        while True:  # ends on the last chunk, an early end of the connection, or MAX_BODY_BYTES
            line = self.rfile.readline(_MAX_LINE_BYTES)
            if not line:
                return None
            size_text = line.split(b";", 1)[0].strip()
            if not _HEX.fullmatch(size_text):
                raise _BodyError(json_reply(400, {"error": "Malformed chunked body"}))
            size = int(size_text, 16)
            if size == 0:
                break
            total += size
            if total > MAX_BODY_BYTES:
                raise _BodyError(json_reply(413, {"error": "Request body too large"}))
            chunk = self.rfile.read(size)
            if len(chunk) < size or not self.rfile.readline(_MAX_LINE_BYTES):
                return None
            chunks.append(chunk)
        for _ in range(_MAX_TRAILERS):
            if self.rfile.readline(_MAX_LINE_BYTES) in (b"\r\n", b"\n", b""):
                return b"".join(chunks)
        raise _BodyError(json_reply(400, {"error": f"More than {_MAX_TRAILERS} trailer lines"}))

    def _write(self, reply: Reply) -> None:
        """Write a whole answer, always with a Content-Length (except where HTTP forbids a body)."""
        has_body = reply.status not in _NO_BODY_STATUSES
        try:
            self.send_response(reply.status)
            for name, value in reply.headers:
                self.send_header(name, value)
            if has_body:
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if has_body and self.command != "HEAD":
                self.wfile.write(reply.body)
        except OSError:  # pragma: no cover - the client went away mid-answer, a race tests cannot stage
            self.close_connection = True

    def _drop(self) -> None:
        """Close the connection without an answer."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:  # pragma: no cover - the client closed first, a race tests cannot stage
            pass
