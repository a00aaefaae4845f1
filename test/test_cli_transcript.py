"""The command line's own words: the demo's whole transcript written out (only the port and the clock vary), and
the line a failed create adds about its client message id and whether the message was stored."""

from __future__ import annotations

import re
from typing import Any, Optional

import pytest

from chatwoot_client import cli

DEMO = """Started a mock Chatwoot server at http://127.0.0.1:PORT
Account 1, conversation 17 holds one message from the contact.

1. Send a message: POST /api/v1/accounts/1/conversations/17/messages
   Created message 2: outgoing, "Hello from chatwoot-client! Your order ships today.", created TIME UTC

2. List the conversation: GET /api/v1/accounts/1/conversations/17/messages
   ID  TYPE      FROM          CREATED (UTC)        CONTENT
   1   incoming  Grace Hopper  TIME  Hi! Where is my order #1042?
   2   outgoing  Ada Agent     TIME  Hello from chatwoot-client! Your order ships today.

3. Delete message 2: DELETE /api/v1/accounts/1/conversations/17/messages/2
   Deleted.

4. List again: GET /api/v1/accounts/1/conversations/17/messages
   ID  TYPE      FROM          CREATED (UTC)        CONTENT
   1   incoming  Grace Hopper  TIME  Hi! Where is my order #1042?
   2   outgoing  Ada Agent     TIME  This message was deleted

Message 2 stays in the list, soft-deleted: its content is now 'This message was deleted'
and its content_attributes are {"deleted": true}.
The mock server has stopped.
"""


def test_demo_prints_its_whole_transcript(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo"]) == 0
    out = capsys.readouterr().out

    out = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", out)
    assert re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", "TIME", out) == DEMO


class _CreateFailed(Exception):
    def __init__(self, stored: Optional[bool], key: Any = "cm-7") -> None:
        super().__init__("(0) Connection lost before an answer")
        self.client_message_id = key
        self.stored = stored


@pytest.mark.parametrize(
    ("stored", "words"),
    [(True, "yes"), (False, "no (safe to send again with the same id)"), (None, "unknown")],
)
def test_a_failed_create_says_its_client_message_id_and_whether_it_was_stored(
    capsys: pytest.CaptureFixture[str], stored: Optional[bool], words: str
) -> None:
    assert cli._fail(_CreateFailed(stored), 1) == 1

    assert capsys.readouterr().err == (
        f"chatwoot-client: error: (0) Connection lost before an answer (client message id cm-7; stored: {words})\n"
    )


def test_an_error_without_a_client_message_id_adds_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    cli._fail(_CreateFailed(True, key=None), 1)

    assert capsys.readouterr().err == "chatwoot-client: error: (0) Connection lost before an answer\n"


def test_an_error_whose_text_fails_is_named_by_its_type(capsys: pytest.CaptureFixture[str]) -> None:
    class Unprintable(Exception):
        def __str__(self) -> str:
            raise RuntimeError("no text")

    assert cli._fail(Unprintable(), 2, "prefix: ") == 2
    assert capsys.readouterr().err == "chatwoot-client: error: prefix: Unprintable\n"
