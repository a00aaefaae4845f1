"""Raw HTTP helpers for the mock server's tests: http.client and sockets only, so that a client bug cannot hide a
mock bug."""

from __future__ import annotations

import http.client
import json
import queue
import socket
from typing import Any, Dict, List, Optional, Tuple

from chatwoot_client.testing import MockChatwootServer

MESSAGES = "/api/v1/accounts/1/conversations/17/messages"
WIDGET_MESSAGES = "/api/v1/accounts/1/conversations/18/messages"
NOT_FOUND = {"error": "Resource could not be found"}
BOUNDARY = "mock-boundary-7MA4YWxkTrZu0gW"

Answer = Tuple[int, Dict[str, str], bytes]
Received = queue.Queue[Tuple[Dict[str, str], bytes]]  # (headers, body) of each webhook a receiver got


def connect(server: MockChatwootServer, timeout: float = 5.0) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)


def call(
    server: MockChatwootServer,
    method: str,
    path: str,
    token: Optional[str] = "user",
    body: Any = None,
    headers: Optional[Dict[str, str]] = None,
) -> Answer:
    """One request on a new connection; ``token`` is 'user', 'bot', None (no header) or a literal token."""
    all_headers = dict(headers or {})
    if token is not None:
        all_headers["api_access_token"] = {"user": server.user_token, "bot": server.bot_token}.get(token, token)
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
        all_headers.setdefault("Content-Type", "application/json")
    connection = connect(server)
    try:
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        return response.status, {name.lower(): value for name, value in response.getheaders()}, response.read()
    finally:
        connection.close()


def call_json(server: MockChatwootServer, method: str, path: str, **options: Any) -> Tuple[int, Any]:
    status, _, body = call(server, method, path, **options)
    return status, json.loads(body)


def multipart(fields: Dict[str, str], files: List[Tuple[str, str, bytes]]) -> Tuple[bytes, Dict[str, str]]:
    """Encode a multipart/form-data body by hand: text fields, then (filename, mime type, bytes) files."""
    chunks: List[bytes] = []
    for name, value in fields.items():
        chunks.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for filename, mime_type, data in files:
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="attachments[]"; filename="{filename}"\r\n'
            f"Content-Type: {mime_type}\r\n\r\n"
        )
        chunks.append(head.encode() + data + b"\r\n")
    chunks.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(chunks), {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}


def raw_exchange(server: MockChatwootServer, data: bytes, end_input: bool = False) -> bytes:
    """Send raw bytes on a new socket and read whatever comes back until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=2) as connection:
        connection.sendall(data)
        if end_input:
            connection.shutdown(socket.SHUT_WR)
        received = b""
        for _ in range(1000):
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += chunk
        return received


def post_form(server: MockChatwootServer, body: bytes, boundary: str = BOUNDARY) -> Tuple[int, Any]:
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    status, _, answer = call(server, "POST", MESSAGES, body=body, headers=headers)
    return status, json.loads(answer)


def form_part(disposition: str, data: bytes, content_type: str = "") -> bytes:
    type_line = f"Content-Type: {content_type}\r\n" if content_type else ""
    return f"--{BOUNDARY}\r\nContent-Disposition: form-data; {disposition}\r\n{type_line}\r\n".encode() + data + b"\r\n"


def fill(server: MockChatwootServer, count: int) -> None:
    for index in range(count):
        server.add_message(1, 17, f"message {index}")


def page_ids(server: MockChatwootServer, query: str = "") -> List[int]:
    status, page = call_json(server, "GET", MESSAGES + query)
    assert status == 200
    return [message["id"] for message in page["payload"]]
