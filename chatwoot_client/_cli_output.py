"""How the chatwoot-client command prints: one-line message summaries, tables of messages, JSON documents and the
progress of an export. Nothing here talks to a server.
"""

from __future__ import annotations

import datetime
import json
from typing import Any, List, Optional, Sequence, TextIO

from chatwoot_client.models import Message

MESSAGE_TYPE_NAMES = {0: "incoming", 1: "outgoing", 2: "activity", 3: "template"}
CONTENT_WIDTH = 60  # characters of content in a table row; the rest is cut so that a row fits a terminal
PROGRESS_EVERY = 100  # messages between two progress updates: one page of the server
_TABLE_HEADINGS = ("ID", "TYPE", "FROM", "CREATED (UTC)", "CONTENT")


def type_name(message_type: Any) -> str:
    """The name of a message_type (0 incoming, 1 outgoing, ...); an unknown value is shown as it is."""
    if isinstance(message_type, int) and not isinstance(message_type, bool):
        return MESSAGE_TYPE_NAMES.get(message_type, str(message_type))
    return "-" if message_type is None else str(message_type)


def format_time(created_at: Any) -> str:
    """Unix seconds as ``YYYY-MM-DD HH:MM:SS`` in UTC; anything else is shown as it is."""
    if isinstance(created_at, int) and not isinstance(created_at, bool):
        moment = datetime.datetime.fromtimestamp(created_at, datetime.timezone.utc)
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    return "-" if created_at is None else str(created_at)


def content_preview(message: Message, width: Optional[int] = CONTENT_WIDTH) -> str:
    """The message's content on one line, marked when private or carrying files, cut to ``width`` characters."""
    text = " ".join((message.content or "").split())
    files = len(message.attachments or [])
    if files:
        text = f"{text} [{files} file{'s' if files != 1 else ''}]".strip()
    if message.private:
        text = f"(private) {text}"
    text = text or "(no content)"
    if width is not None and len(text) > width:
        text = text[: width - 3] + "..."
    return text


def sender_name(message: Message) -> str:
    """Who sent the message, or '-' for a system message."""
    sender = message.sender
    if sender is None:
        return "-"
    return str(sender.available_name or sender.name or sender.type or "-")


def describe(message: Message) -> str:
    """One line about a message: id, type, content and when it was created."""
    return (
        f"message {message.id}: {type_name(message.message_type)}, "
        f"{json.dumps(content_preview(message, width=None))}, created {format_time(message.created_at)} UTC"
    )


def table(messages: Sequence[Message]) -> List[str]:
    """The messages as the lines of an aligned table, oldest first; one line when there are none."""
    if not messages:
        return ["(no messages)"]
    rows = [_TABLE_HEADINGS] + [
        (
            str(message.id),
            type_name(message.message_type),
            sender_name(message),
            format_time(message.created_at),
            content_preview(message),
        )
        for message in messages
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(_TABLE_HEADINGS) - 1)]
    return ["  ".join([cell.ljust(width) for cell, width in zip(row, widths)] + [row[-1]]) for row in rows]


def json_document(value: Any) -> str:
    """A JSON-ready value as one indented JSON document."""
    return json.dumps(value, indent=2)


def json_line(value: Any) -> str:
    """A JSON-ready value as one line of JSON lines (ASCII, so any terminal or file encoding can take it)."""
    return json.dumps(value, separators=(",", ":")) + "\n"


class Progress:
    """A counter rewritten in place on a terminal, once per page of messages."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self._stream = stream
        self._label = label

    def update(self, count: int) -> None:
        """Show ``count`` when it completes a page."""
        if count % PROGRESS_EVERY == 0:
            self._show(count)

    def finish(self, count: int) -> None:
        """Show the final count and end the line."""
        self._show(count)
        self._stream.write("\n")
        self._stream.flush()

    def _show(self, count: int) -> None:
        self._stream.write(f"\r{self._label}: {count} message{'s' if count != 1 else ''}")
        self._stream.flush()
