"""A lean HTTP/1.1 keep-alive server on 127.0.0.1 that answers the benchmark's requests with pre-serialized bytes.

It runs in its own process (``run.py`` starts it), so its CPU time never counts as the client's. Every answer,
status line and headers included, is built once at start from ``payloads.build()``:

- ``GET .../messages``: the newest 20; ``?after=ID``: 100; ``?before=ID&after=ID``: 1000; ``?before=ID``: 20;
- ``POST .../messages``: the created message; ``DELETE .../messages/{id}``: the deleted message;
- without an ``api_access_token`` header: 401, as Chatwoot answers;
- ``GET /__stats``: ``{"connections": N, "requests": N}``, what it has accepted since it started.

Usage: ``python benchmarks/server.py [--port 0] [--exit-on-eof] [--max-seconds 3600]``; it prints ``port N``
once it listens. With ``--exit-on-eof`` it stops when its standard input closes (its parent went away).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from typing import Dict, Optional, Tuple

import payloads

MAX_HEAD_BYTES = 65536  # a request head larger than this is refused with 431
MAX_BODY_BYTES = 1024 * 1024  # a request body larger than this is refused with 413
_MESSAGES = b"/api/v1/accounts/%d/conversations/%d/messages" % (payloads.ACCOUNT_ID, payloads.CONVERSATION_ID)
_REASONS = {
    200: b"OK",
    400: b"Bad Request",
    401: b"Unauthorized",
    404: b"Not Found",
    411: b"Length Required",
    413: b"Payload Too Large",
    431: b"Request Header Fields Too Large",
}
# The headers a Chatwoot (Rails behind Puma) answer carries; the client parses them all, so they are part of the cost.
_RAILS_HEADERS = (
    b"Content-Type: application/json; charset=utf-8\r\n"
    b"Vary: Accept, Origin\r\n"
    b'ETag: W/"6f1ed002ab5595859014ebf0951522d9"\r\n'
    b"Cache-Control: max-age=0, private, must-revalidate\r\n"
    b"X-Request-Id: 3c1b1e4e-8a43-4a4c-9d7f-6f0f0a3c9b21\r\n"
    b"X-Runtime: 0.042137\r\n"
    b"X-Frame-Options: SAMEORIGIN\r\n"
    b"X-XSS-Protection: 0\r\n"
    b"X-Content-Type-Options: nosniff\r\n"
    b"Referrer-Policy: strict-origin-when-cross-origin\r\n"
)


def answer(status: int, body: bytes) -> bytes:
    """A whole HTTP/1.1 answer with a Content-Length, so the connection stays alive."""
    head = b"HTTP/1.1 %d %s\r\n%sContent-Length: %d\r\n\r\n" % (status, _REASONS[status], _RAILS_HEADERS, len(body))
    return head + body


def _error(status: int, text: str) -> bytes:
    return answer(status, payloads.encode({"error": text}))


class Stats:
    """What the server has accepted; read by ``GET /__stats``."""

    def __init__(self) -> None:
        self.connections = 0
        self.requests = 0


class Routes:
    """The pre-built answers, and the choice of one for a request."""

    def __init__(self) -> None:
        bodies = payloads.build()
        self.list_20 = answer(200, bodies["list_20"])
        self.list_100 = answer(200, bodies["list_100"])
        self.list_1000 = answer(200, bodies["list_1000"])
        self.created = answer(200, bodies["created"])
        self.deleted = answer(200, bodies["deleted"])
        self.unauthorized = _error(401, "Invalid Access Token")
        self.not_found = _error(404, "Resource could not be found")

    def choose(self, method: bytes, target: bytes, has_token: bool, stats: Stats) -> bytes:
        """The answer to one request."""
        path, _, query = target.partition(b"?")
        if path == b"/__stats":
            return answer(200, json.dumps({"connections": stats.connections, "requests": stats.requests}).encode())
        if not has_token:
            return self.unauthorized
        if path == _MESSAGES:
            if method == b"GET":
                keys = {pair.partition(b"=")[0] for pair in query.split(b"&")} if query else set()
                if b"after" in keys:
                    return self.list_1000 if b"before" in keys else self.list_100
                return self.list_20
            if method == b"POST":
                return self.created
        elif method == b"DELETE" and path.startswith(_MESSAGES + b"/") and path[len(_MESSAGES) + 1 :].isdigit():
            return self.deleted
        return self.not_found


def _parse_head(head: bytes) -> Optional[Tuple[bytes, bytes, Dict[bytes, bytes], bool]]:
    """(method, target, headers with lower-case names, keep alive) of a request head, or None if malformed."""
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ")
    if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
        return None
    headers: Dict[bytes, bytes] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if not colon:
            return None
        headers[name.strip().lower()] = value.strip()
    connection = headers.get(b"connection", b"").lower()
    keep_alive = connection != b"close" and (parts[2] == b"HTTP/1.1" or connection == b"keep-alive")
    return parts[0], parts[1], headers, keep_alive


class _Connection(asyncio.Protocol):
    """One client connection: reads pipelined requests (Content-Length bodies) and writes their answers."""

    def __init__(self, routes: Routes, stats: Stats) -> None:
        self.routes = routes
        self.stats = stats
        self.buffer = bytearray()
        self.transport: asyncio.Transport  # set by connection_made, which asyncio calls first

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.stats.connections += 1

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while self.buffer:  # each turn consumes one whole request, or returns to wait for more bytes
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > MAX_HEAD_BYTES:
                    self._fail(_error(431, "Request head too large"))
                return
            parsed = _parse_head(bytes(self.buffer[:end]))
            if parsed is None:
                self._fail(_error(400, "Malformed request"))
                return
            method, target, headers, keep_alive = parsed
            if b"transfer-encoding" in headers:
                self._fail(_error(411, "Send a Content-Length"))
                return
            length = headers.get(b"content-length", b"0")
            if not length.isdigit() or int(length) > MAX_BODY_BYTES:
                self._fail(_error(413, "Body too large"))
                return
            size = end + 4 + int(length)
            if len(self.buffer) < size:
                return
            del self.buffer[:size]
            self.stats.requests += 1
            self.transport.write(self.routes.choose(method, target, b"api_access_token" in headers, self.stats))
            if not keep_alive:
                self.transport.close()
                return

    def _fail(self, reply: bytes) -> None:
        self.transport.write(reply)
        self.transport.close()
        self.buffer.clear()


async def serve(port: int, exit_on_eof: bool, max_seconds: float) -> None:
    """Listen on 127.0.0.1, print ``port N``, and serve until stopped, stdin closes or max_seconds pass."""
    loop = asyncio.get_running_loop()
    routes, stats = Routes(), Stats()
    server = await loop.create_server(lambda: _Connection(routes, stats), "127.0.0.1", port, backlog=128)
    done = loop.create_future()
    if exit_on_eof:
        stdin = sys.stdin.fileno()

        def read_stdin() -> None:
            if not os.read(stdin, 4096) and not done.done():
                done.set_result(None)

        loop.add_reader(stdin, read_stdin)
    loop.call_later(max_seconds, lambda: done.done() or done.set_result(None))
    print(f"port {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--exit-on-eof", action="store_true", help="stop when standard input closes")
    parser.add_argument("--max-seconds", type=float, default=3600.0, help="stop after this long in any case")
    options = parser.parse_args()
    try:
        asyncio.run(serve(options.port, options.exit_on_eof, options.max_seconds))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
