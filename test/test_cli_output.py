"""How the command line shows a message whose fields are missing, unknown or long."""

from __future__ import annotations

from typing import Any, Dict

import pytest

import chatwoot_client
from chatwoot_client import _cli_output as output


@pytest.mark.parametrize(("value", "shown"), [(0, "incoming"), (9, "9"), ("template", "template"), (None, "-")])
def test_message_type_is_named_or_shown_as_it_is(value: Any, shown: str) -> None:
    assert output.type_name(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"), [(1764201600, "2025-11-27 00:00:00"), ("yesterday", "yesterday"), (None, "-")]
)
def test_creation_time_is_utc_or_shown_as_it_is(value: Any, shown: str) -> None:
    assert output.format_time(value) == shown


def test_long_content_is_cut_with_an_ellipsis() -> None:
    message = chatwoot_client.Message(content="word " * 40)

    preview = output.content_preview(message, width=20)

    assert preview == "word word word wo..."
    assert len(preview) == 20


@pytest.mark.parametrize(
    ("sender", "shown"),
    [
        (None, "-"),
        ({"available_name": "Ada", "name": "Ada L."}, "Ada"),
        ({"name": "Ada L."}, "Ada L."),
        ({"type": "agent_bot"}, "agent_bot"),
        ({}, "-"),
    ],
)
def test_sender_is_named_by_the_best_name_it_has(sender: Dict[str, Any], shown: str) -> None:
    message = chatwoot_client.Message.from_dict({"id": 1, "sender": sender})

    assert output.sender_name(message) == shown
