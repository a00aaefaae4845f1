"""The token in the chain of exceptions behind an ApiException: every linked exception (cause and context, and
theirs) is masked, a link that shows the token anyway is cut, and a chain is kept to 32 exceptions, the rest cut,
so that a printed traceback never shows the token."""

from __future__ import annotations

import traceback
from typing import List

import pytest

from chatwoot_client import ApiException

SECRET = "tok-CHAIN-3e9d"
CHAIN_LIMIT = 32  # the documented bound: exceptions of a chain kept, the ApiException counted


def hidden(error: ApiException) -> ApiException:
    return error._hide([SECRET])


def printed(error: BaseException) -> str:
    return "".join(traceback.format_exception(type(error), error, error.__traceback__))


class _Loud(Exception):
    """An exception whose text is built from something masking its arguments cannot reach."""

    def __str__(self) -> str:
        return f"echoing {SECRET}"


class _Unprintable(Exception):
    def __str__(self) -> str:
        raise RuntimeError("no text")


@pytest.mark.parametrize("attribute", ["__cause__", "__context__"])
def test_a_linked_exception_and_its_own_links_are_masked(attribute: str) -> None:
    error, inner, innermost = ApiException(0, "failed"), OSError(f"got {SECRET}"), ValueError(f"read {SECRET}")
    setattr(error, attribute, inner)
    setattr(inner, attribute, innermost)
    hidden(error)
    assert getattr(error, attribute) is inner and getattr(inner, attribute) is innermost
    assert (str(inner), str(innermost)) == ("got ***", "read ***")
    assert SECRET not in printed(error)


def test_bytes_in_a_linked_exception_are_masked_even_when_not_utf8() -> None:
    error, inner = ApiException(0, "failed"), OSError(b"\xff " + SECRET.encode())
    error.__cause__ = inner
    hidden(error)
    assert error.__cause__ is inner and inner.args == ("\ufffd ***".encode(),)


@pytest.mark.parametrize("attribute", ["__cause__", "__context__"])
@pytest.mark.parametrize("linked", [_Loud, _Unprintable], ids=["shows-the-token", "has-no-text"])
def test_a_link_whose_text_cannot_be_masked_is_cut(attribute: str, linked: type) -> None:
    error = ApiException(0, "failed")
    setattr(error, attribute, linked())
    hidden(error)
    assert getattr(error, attribute) is None
    assert error.__suppress_context__  # (setting __cause__ sets it too; a cut context must set it itself)
    assert SECRET not in printed(error)


def test_a_chain_that_loops_is_masked_once_around() -> None:
    error, first, second = ApiException(0, "failed"), OSError(f"a {SECRET}"), OSError(f"b {SECRET}")
    error.__context__, first.__context__, second.__context__ = first, second, first
    hidden(error)
    assert (str(first), str(second)) == ("a ***", "b ***")
    assert second.__context__ is first


def _chain(links: int) -> List[BaseException]:
    """An ApiException and ``links`` exceptions behind it, each the cause of the one before, each echoing the token."""
    chain: List[BaseException] = [ApiException(0, "failed")]
    for number in range(links):
        chain.append(OSError(f"link {number} {SECRET}"))
        chain[-2].__cause__ = chain[-1]
    return chain


def _kept(error: BaseException) -> int:
    count = 1
    while error.__cause__ is not None and count <= 100:  # bounded: the chains here are shorter
        error, count = error.__cause__, count + 1
    return count


def test_a_chain_at_the_limit_is_kept_whole() -> None:
    chain = _chain(CHAIN_LIMIT - 1)
    hidden(chain[0])  # type: ignore[arg-type]
    assert _kept(chain[0]) == CHAIN_LIMIT
    assert SECRET not in printed(chain[0])


def test_a_chain_past_the_limit_is_cut_at_it() -> None:
    chain = _chain(CHAIN_LIMIT + 8)
    hidden(chain[0])  # type: ignore[arg-type]
    assert _kept(chain[0]) == CHAIN_LIMIT
    assert SECRET not in printed(chain[0])
