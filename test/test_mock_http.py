"""The mock server's HTTP layer: chunked and unreadable bodies, keep-alive, its own failures."""

from __future__ import annotations

from typing import Any

import pytest
from _mock_http import (
    MESSAGES,
    call_json,
    raw_exchange,
)

from chatwoot_client.testing import MockChatwootServer, _engine

# --- the HTTP layer --------------------------------------------------------------------------------------------


def test_chunked_body_with_extension_and_trailer_is_read(server: MockChatwootServer) -> None:
    content = b'{"content":"t"}'
    head = (
        f"POST {MESSAGES} HTTP/1.1\r\nHost: x\r\napi_access_token: {server.user_token}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    chunks = b"%x;name=value\r\n" % len(content) + content + b"\r\n0\r\nX-Trailer: 1\r\n\r\n"
    answer = raw_exchange(server, head.encode() + chunks)
    assert answer.startswith(b"HTTP/1.1 200 ") and b"Connection: close" in answer
    assert server.messages(1, 17)[0]["content"] == "t"


@pytest.mark.parametrize(
    ("headers", "body", "status_line"),
    [
        ("Content-Length: 12x", b"", b"HTTP/1.1 400 "),
        ("Content-Length: 999999999999", b"", b"HTTP/1.1 413 "),
        ("Transfer-Encoding: chunked", b"zz\r\n", b"HTTP/1.1 400 "),
        ("Transfer-Encoding: chunked", b"FFFFFFFFFFFF\r\n", b"HTTP/1.1 413 "),
        ("Transfer-Encoding: chunked", b"1\r\nx\r\n0\r\n" + b"X-Trailer: 1\r\n" * 101, b"HTTP/1.1 400 "),
    ],
)
def test_unreadable_bodies_are_answered_and_the_connection_closed(
    server: MockChatwootServer, headers: str, body: bytes, status_line: bytes
) -> None:
    request = f"POST {MESSAGES} HTTP/1.1\r\nHost: x\r\n{headers}\r\n\r\n".encode() + body
    answer = raw_exchange(server, request)
    assert answer.startswith(status_line) and b"Connection: close" in answer


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ("Content-Length: 10", b"abc"),
        ("Transfer-Encoding: chunked", b""),
        ("Transfer-Encoding: chunked", b"5\r\nab"),
    ],
)
def test_a_body_cut_short_gets_no_answer(server: MockChatwootServer, headers: str, body: bytes) -> None:
    request = f"POST {MESSAGES} HTTP/1.1\r\nHost: x\r\n{headers}\r\n\r\n".encode() + body
    assert raw_exchange(server, request, end_input=True) == b""
    assert server.requests == []


def test_a_mock_failure_is_answered_as_a_500(server: MockChatwootServer, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*arguments: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(_engine, "handle_request", broken)
    status, answer = call_json(server, "GET", MESSAGES)
    assert status == 500 and "boom" in answer["error"]
