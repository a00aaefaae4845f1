"""Fault injection: fail_next, delay_next, drop_next and redirect_next, over raw HTTP."""

from __future__ import annotations

import http.client
import socket
import time
from typing import Any, Dict

import pytest
from _mock_http import (
    MESSAGES,
    call,
    call_json,
    connect,
)

from chatwoot_client.testing import MockChatwootServer

# --- fault injection -------------------------------------------------------------------------------------------


def test_rule_9_a_429_is_rack_attacks_plain_text_without_retry_after(server: MockChatwootServer) -> None:
    """SERVER.md 9: ``Content-Type: text/plain``, body ``Retry later\\n``, no Retry-After."""
    server.fail_next(429)
    answer, headers, body = call(server, "POST", MESSAGES, body={"content": "x"})
    assert (answer, headers["content-type"], body) == (429, "text/plain", b"Retry later\n")
    assert "retry-after" not in headers and server.messages(1, 17) == []


@pytest.mark.parametrize(
    ("status", "content_type", "text"),
    [
        (429, "text/plain", b"Retry later"),
        (502, "text/html", b"502 Bad Gateway"),
        (503, "text/html", b"503 Service Unavailable"),
        (504, "text/html", b"504 Gateway Timeout"),
        (400, "application/json", b'{"error": "Bad Request"}'),
        (500, "application/json", b'{"error": "Internal Server Error"}'),
    ],
)
def test_fail_next_default_bodies(server: MockChatwootServer, status: int, content_type: str, text: bytes) -> None:
    server.fail_next(status)
    answer, headers, body = call(server, "GET", MESSAGES)
    assert answer == status and headers["content-type"].startswith(content_type) and text in body
    assert "retry-after" not in headers
    assert call(server, "GET", MESSAGES)[0] == 200


@pytest.mark.parametrize("retry_after", [3, "Wed, 21 Oct 2026 07:28:00 GMT"])
def test_fail_next_adds_retry_after(server: MockChatwootServer, retry_after: Any) -> None:
    server.fail_next(429, retry_after=retry_after)
    assert call(server, "GET", MESSAGES)[1]["retry-after"] == str(retry_after)


@pytest.mark.parametrize(
    ("body", "expected"), [({"errors": ["a", "b"]}, b'{"errors": ["a", "b"]}'), ("oops", b"oops"), (b"\x00", b"\x00")]
)
def test_fail_next_body_overrides_the_default(server: MockChatwootServer, body: Any, expected: bytes) -> None:
    server.fail_next(418, body=body)
    assert call(server, "GET", MESSAGES)[::2] == (418, expected)


def test_500_comes_after_the_message_was_stored(server: MockChatwootServer) -> None:
    server.fail_next(500)
    assert call(server, "POST", MESSAGES, body={"content": "saved"})[0] == 500
    assert [message["content"] for message in server.messages(1, 17)] == ["saved"]


def test_a_2xx_fault_comes_after_the_request_acted(server: MockChatwootServer) -> None:
    server.fail_next(200, body=b"<html>not json</html>", content_type="text/html")
    status, headers, body = call(server, "POST", MESSAGES, body={"content": "acted"})
    assert (status, headers["content-type"], body) == (200, "text/html", b"<html>not json</html>")
    assert [message["content"] for message in server.messages(1, 17)] == ["acted"]


@pytest.mark.parametrize("status", [429, 502, 503, 504, 422])
def test_other_failures_do_not_store_the_message(server: MockChatwootServer, status: int) -> None:
    server.fail_next(status)
    assert call(server, "POST", MESSAGES, body={"content": "lost"})[0] == status
    assert server.messages(1, 17) == []


def test_fail_next_with_method_skips_other_methods(server: MockChatwootServer) -> None:
    server.fail_next(503, method="post")
    assert call(server, "GET", MESSAGES)[0] == 200
    assert call(server, "POST", MESSAGES, body={"content": "x"})[0] == 503
    assert call(server, "POST", MESSAGES, body={"content": "x"})[0] == 200


def test_fail_next_times_and_order_of_arrival(server: MockChatwootServer) -> None:
    server.fail_next(502, times=2)
    server.fail_next(429)
    statuses = [call(server, "GET", MESSAGES)[0] for _ in range(4)]
    assert statuses == [502, 502, 429, 200]


def test_drop_next_closes_without_answer_after_storing(server: MockChatwootServer) -> None:
    server.drop_next()
    with pytest.raises((ConnectionError, http.client.HTTPException)):
        call(server, "POST", MESSAGES, body={"content": "dropped"})
    assert [message["content"] for message in server.messages(1, 17)] == ["dropped"]
    assert call(server, "GET", MESSAGES)[0] == 200


def test_delay_next_outlasts_a_short_client_timeout_and_stop_is_prompt(server: MockChatwootServer) -> None:
    server.delay_next(30)
    connection = connect(server, timeout=0.1)
    try:
        connection.request("GET", MESSAGES, headers={"api_access_token": server.user_token})
        with pytest.raises(socket.timeout):
            connection.getresponse()
        started = time.monotonic()
        server.stop()
        assert time.monotonic() - started < 0.5
    finally:
        connection.close()


def test_redirect_next_answers_location_without_acting(server: MockChatwootServer) -> None:
    server.redirect_next("https://elsewhere.example/next", status=307, method="POST")
    status, headers, _ = call(server, "POST", MESSAGES, body={"content": "x"})
    assert status == 307 and headers["location"] == "https://elsewhere.example/next"
    assert server.messages(1, 17) == []


@pytest.mark.parametrize(
    ("name", "arguments", "error"),
    [
        ("fail_next", {"status": 99}, ValueError),
        ("fail_next", {"status": "500"}, TypeError),
        ("fail_next", {"status": 500, "times": True}, TypeError),
        ("fail_next", {"status": 500, "method": "P OST"}, ValueError),
        ("fail_next", {"status": 500, "retry_after": 1.5}, TypeError),
        ("fail_next", {"status": 500, "retry_after": "1\r\nX-Evil: 1"}, ValueError),
        ("fail_next", {"status": 500, "body": 3}, TypeError),
        ("drop_next", {"times": 0}, ValueError),
        ("delay_next", {"seconds": -1}, ValueError),
        ("delay_next", {"seconds": float("nan")}, TypeError),
        ("redirect_next", {"location": "/x", "status": 200}, ValueError),
        ("redirect_next", {"location": b"/x"}, TypeError),
    ],
)
def test_fault_arguments_are_checked(
    server: MockChatwootServer, name: str, arguments: Dict[str, Any], error: type
) -> None:
    with pytest.raises(error):
        getattr(server, name)(**arguments)


def test_fail_next_with_204_sends_no_body_and_599_has_a_generic_reason(server: MockChatwootServer) -> None:
    server.fail_next(204, method="DELETE")
    server.fail_next(599)
    status, headers, body = call(server, "DELETE", MESSAGES + "/1")
    assert (status, body) == (204, b"") and "content-length" not in headers
    assert call_json(server, "GET", MESSAGES) == (599, {"error": "Error"})


def test_drop_next_with_method_and_delay_next_zero(server: MockChatwootServer) -> None:
    server.drop_next(method="DELETE")
    server.delay_next(0)
    assert call(server, "GET", MESSAGES)[0] == 200
    with pytest.raises((ConnectionError, http.client.HTTPException)):
        call(server, "DELETE", MESSAGES + "/1")
