"""The exactly-once soak (benchmarks/soak.py) as a test: 300 sends over 8 threads sharing one ApiClient, with
seeded faults of every kind on both sides of storing, each send a caller's loop of at most 5 calls."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SOAK = Path(__file__).resolve().parent.parent / "benchmarks" / "soak.py"


@pytest.fixture(scope="module")
def soak() -> ModuleType:
    spec = importlib.util.spec_from_file_location("exactly_once_soak", SOAK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def figures(soak: ModuleType) -> Any:
    rest_sleep = soak.chatwoot_client.rest._sleep  # backoff is not what this measures: the autouse stub is per test
    soak.chatwoot_client.rest._sleep = lambda seconds: None
    try:
        return soak.run(sends=300, threads=8, seed=11, fault_rate=0.12, read_timeout=0.2)
    finally:
        soak.chatwoot_client.rest._sleep = rest_sleep


def test_soak_meets_every_fault_kind(soak: ModuleType, figures: Any) -> None:
    assert set(figures.faults) == set(soak.FAULTS)


def test_soak_stores_every_message_exactly_once(figures: Any) -> None:
    assert (figures.duplicates, figures.lost) == (0, 0)


def test_soak_never_says_stored_false_of_a_stored_message(figures: Any) -> None:
    assert figures.wrong_false == 0


def test_soak_first_calls_succeed_and_rarely_leave_the_caller_guessing(figures: Any) -> None:
    assert figures.first_call_success >= 0.95
    assert figures.first_call_stored_none <= 0.02


def test_soak_lookups_stay_bounded(soak: ModuleType, figures: Any) -> None:
    calls = figures.create_calls
    from chatwoot_client import _lookup, _reconcile

    assert figures.list_requests <= calls * _lookup.PAGES * (1 + _reconcile.PENDING_LOOKS)
