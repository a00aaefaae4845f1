"""The SDK's exceptions at their edges: the status classes (5xx written out), str() and repr() that never raise,
the default reason of a connection error, Retry-After with spaces and tabs, and every form of a secret masked."""

from __future__ import annotations

from typing import Any

import pytest

from chatwoot_client import exceptions


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (499, exceptions.ApiException),
        (500, exceptions.ServiceException),
        (599, exceptions.ServiceException),
        (600, exceptions.ApiException),
        (404, exceptions.NotFoundException),
    ],
)
def test_each_status_gets_its_class(status: int, kind: type) -> None:
    error = exceptions._from_response(status, "Reason", b"", {})

    assert type(error) is kind
    assert (error.status, error.body) == (status, "")


def test_an_error_without_a_reason_shows_its_status_alone() -> None:
    assert str(exceptions.ApiException(502, None, None, None)) == "(502)"


class _Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("no text")


def test_str_and_repr_of_an_error_whose_reason_cannot_be_shown_never_raise(monkeypatch: pytest.MonkeyPatch) -> None:
    error = exceptions.ApiException(500, _Unprintable(), None, None)  # type: ignore[arg-type]

    assert str(error) == "(ApiException)"
    assert repr(error) == "ApiException('(ApiException)')"
    monkeypatch.setattr(exceptions.ApiException, "__str__", lambda self: 1 / 0)
    assert repr(error) == "ApiException()"


def test_repr_wraps_str() -> None:
    assert repr(exceptions.NotFoundException(404, "Not Found", None, None)) == "NotFoundException('(404) Not Found')"


def test_connection_error_has_a_default_reason() -> None:
    assert str(exceptions.ApiConnectionError()) == "(0) Connection error"


@pytest.mark.parametrize(("value", "seconds"), [(" \t7\t ", 7.0), ("12", 12.0), (" x ", None), (None, None)])
def test_retry_after_is_read_around_spaces_and_tabs(value: Any, seconds: Any) -> None:
    assert exceptions._parse_retry_after(value) == seconds


def test_every_form_of_a_secret_is_masked_longest_first() -> None:
    secret = 'tok/with "quote"'
    forms = exceptions._secret_forms([secret, None, ""])

    assert forms == sorted(forms, key=len, reverse=True)
    assert set(forms) == {secret, "tok%2Fwith%20%22quote%22", "tok/with%20%22quote%22", 'tok/with \\"quote\\"'}
    body = 'echo tok%2Fwith%20%22quote%22 and tok/with \\"quote\\" and tok/with "quote"'
    assert exceptions._masked(body, forms) == "echo *** and *** and ***"
    assert exceptions._masked(b'raw tok/with "quote"', forms) == "raw ***"
    assert exceptions._masked(5, forms) == 5


def test_a_body_of_another_type_is_shown_as_its_text() -> None:
    assert exceptions._as_text(12) == "12"
