"""What an ApiException says: the server's text picked from unusual bodies, and Retry-After read as seconds, as an
HTTP date, or not at all."""

from __future__ import annotations

import email.utils
import time
from typing import Optional

import pytest

from chatwoot_client import exceptions


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('{"errors": "Content is too long"}', "(422) Unprocessable Entity: Content is too long"),
        ('{"errors": []}', '(422) Unprocessable Entity: {"errors": []}'),
        ('{"error": 42, "message": "Message is invalid"}', "(422) Unprocessable Entity: Message is invalid"),
        ('{"not json', '(422) Unprocessable Entity: {"not json'),
        ("   ", "(422) Unprocessable Entity"),
        ("", "(422) Unprocessable Entity"),
    ],
)
def test_server_text_is_taken_from_what_the_body_holds(body: str, expected: str) -> None:
    error = exceptions.UnprocessableEntityException(422, "Unprocessable Entity", body, {})

    assert str(error) == expected


def test_retry_after_in_seconds() -> None:
    error = exceptions.TooManyRequestsException(429, "Too Many Requests", "", {"Retry-After": " 7 "})

    assert error.retry_after == 7.0


def test_retry_after_as_a_future_http_date_is_the_seconds_until_then() -> None:
    when = email.utils.formatdate(time.time() + 120, usegmt=True)
    error = exceptions.TooManyRequestsException(429, "Too Many Requests", "", {"Retry-After": when})

    assert error.retry_after is not None
    assert 100 < error.retry_after <= 120


def test_retry_after_as_a_past_http_date_is_zero() -> None:
    error = exceptions.TooManyRequestsException(429, "", "", {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})

    assert error.retry_after == 0.0


@pytest.mark.parametrize("value", ["soon", "Wed, 99 Foo 2015", ""])
def test_unreadable_retry_after_is_none(value: Optional[str]) -> None:
    error = exceptions.TooManyRequestsException(429, "Too Many Requests", "", {"Retry-After": value or ""})

    assert error.retry_after is None
