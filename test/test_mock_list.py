"""SERVER.md section 3: listing and paging, over raw HTTP."""

from __future__ import annotations

from typing import List

import pytest
from _mock_http import MESSAGES, call_json, fill, page_ids

from chatwoot_client.testing import MockChatwootServer

# --- paging ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", list(range(131, 151))),
        ("?before=50", list(range(30, 50))),
        ("?before=10", list(range(1, 10))),
        ("?after=10", list(range(11, 111))),
        ("?after=140", list(range(141, 151))),
        ("?after=5&before=9", [5, 6, 7, 8]),
        ("?after=151", []),
    ],
)
def test_paging(server: MockChatwootServer, query: str, expected: List[int]) -> None:
    fill(server, 150)
    assert page_ids(server, query) == expected


def test_paging_with_both_bounds_answers_at_most_1000(server: MockChatwootServer) -> None:
    fill(server, 1005)
    assert page_ids(server, "?after=2&before=2000") == list(range(2, 1002))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?before=abc", []),
        ("?after=abc", list(range(1, 31))),
        ("?after=25abc", list(range(26, 31))),
        ("?after=2_5", list(range(26, 31))),
        ("?after=%20%2B25", list(range(26, 31))),
        ("?after=-5", list(range(1, 31))),
        ("?before=", list(range(11, 31))),
        ("?after=%20", list(range(11, 31))),
        ("?after=28&before=abc", []),
    ],
)
def test_rule_3_cursors_are_read_with_ruby_to_i_and_blank_ones_ignored(
    server: MockChatwootServer, query: str, expected: List[int]
) -> None:
    """SERVER.md 3: ``before``/``after`` used only when not blank, then read with ``to_i``; never an error."""
    fill(server, 30)
    assert page_ids(server, query) == expected


@pytest.mark.parametrize("value", ["1", "true", "false", "0"])
def test_rule_3_any_filter_internal_messages_value_drops_notes_and_activity(
    server: MockChatwootServer, value: str
) -> None:
    """SERVER.md 3: any non-blank ``filter_internal_messages`` drops private notes and activity messages."""
    kept = server.add_message(1, 17, "public")
    server.add_message(1, 17, "note", "outgoing", private=True)
    server.add_message(1, 17, "activity", "activity")
    assert page_ids(server, f"?filter_internal_messages={value}") == [kept["id"]]


def test_rule_3_a_blank_filter_internal_messages_keeps_everything(server: MockChatwootServer) -> None:
    """SERVER.md 3: a blank value is no filter."""
    server.add_message(1, 17, "note", "outgoing", private=True)
    server.add_message(1, 17, "activity", "activity")
    assert len(page_ids(server, "?filter_internal_messages=")) == 2


def test_rule_3_filter_applies_before_paging(server: MockChatwootServer) -> None:
    """SERVER.md 3: the filter drops messages before the page of 20 is picked."""
    public = [server.add_message(1, 17, f"public {n}")["id"] for n in range(20)]
    for _ in range(5):
        server.add_message(1, 17, "note", "outgoing", private=True)
    assert page_ids(server, "?filter_internal_messages=1") == public


def test_rule_3_meta_has_exactly_the_servers_keys(server: MockChatwootServer) -> None:
    """SERVER.md 3: meta keys; assignee present when assigned, contact in the contact shape."""
    _, page = call_json(server, "GET", MESSAGES)
    keys = {"labels", "additional_attributes", "contact", "assignee", "agent_last_seen_at", "assignee_last_seen_at"}
    assert set(page["meta"]) == keys
    assert page["meta"]["contact"]["type"] == "contact"


def test_rule_3_pages_are_ordered_by_created_at_and_cursors_compare_ids(server: MockChatwootServer) -> None:
    """SERVER.md 3: an imported message with an older created_at lists first; ``before`` still compares ids."""
    newer = server.add_message(1, 17, "newer")
    imported = server.add_message(1, 17, "imported", created_at=newer["created_at"] - 3600)
    assert page_ids(server) == [imported["id"], newer["id"]]
    assert page_ids(server, f"?before={imported['id']}") == [newer["id"]]
