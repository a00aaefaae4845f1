"""How the chatwoot-client command prints: one-line message summaries, tables of messages, JSON documents, the
progress of an export, and streams that mask secrets. Nothing here talks to a server.

A server may send any JSON in any field; each field is shown as it came when it is not of the type the API
documents, so that nothing a server sends can crash the output.
"""

from __future__ import annotations

import datetime
import json
import urllib.parse
from typing import Any, Iterable, List, Optional, Sequence, TextIO

from chatwoot_client.models import Message, Sender

MESSAGE_TYPE_NAMES = {0: "incoming", 1: "outgoing", 2: "activity", 3: "template"}
CONTENT_WIDTH = 60  # characters of content in a table row; the rest is cut so that a row fits a terminal
PROGRESS_EVERY = 100  # messages between two progress updates: one page of the server
MASK = "***"  # what a secret is replaced with in everything the command prints
_TABLE_HEADINGS = ("ID", "TYPE", "FROM", "CREATED (UTC)", "CONTENT")


def shown(value: Any) -> str:
    """Any value on one line: a str as it is, anything else as compact JSON (or its repr when it is not JSON)."""
    if isinstance(value, str):
        text = value
    else:
        try:
            text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=repr)
        except (TypeError, ValueError, RecursionError):
            text = object.__repr__(value)
    return " ".join(text.split())


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def type_name(message_type: Any) -> str:
    """The name of a message_type (0 incoming, 1 outgoing, ...); an unknown value is shown as it is."""
    if _is_int(message_type):
        return MESSAGE_TYPE_NAMES.get(message_type, str(message_type))
    return "-" if message_type is None else shown(message_type)


def format_time(created_at: Any) -> str:
    """Unix seconds as ``YYYY-MM-DD HH:MM:SS`` in UTC; anything else (or a time no calendar holds) as it is."""
    if _is_int(created_at):
        try:
            moment = datetime.datetime.fromtimestamp(created_at, datetime.timezone.utc)
        except (OverflowError, OSError, ValueError):
            return str(created_at)
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    return "-" if created_at is None else shown(created_at)


def content_preview(message: Message, width: Optional[int] = CONTENT_WIDTH) -> str:
    """The message's content on one line, marked when private or carrying files, cut to ``width`` characters."""
    content = message.content
    text = "" if content is None else shown(content)
    attachments = message.attachments
    files = len(attachments) if isinstance(attachments, list) else 0
    if files:
        text = f"{text} [{files} file{'s' if files != 1 else ''}]".strip()
    if message.private is True:
        text = f"(private) {text}"
    text = text or "(no content)"
    if width is not None and len(text) > width:
        text = text[: width - 3] + "..."
    return text


def sender_name(message: Message) -> str:
    """Who sent the message, or '-' for a system message; a sender that is not an object is shown as it came."""
    sender = message.sender
    if sender is None:
        return "-"
    if isinstance(sender, Sender):
        name = sender.available_name or sender.name or sender.type
        return "-" if name is None else shown(name)
    return shown(sender)


def describe(message: Message) -> str:
    """One line about a message: id, type, content and when it was created."""
    return (
        f"message {shown(message.id)}: {type_name(message.message_type)}, "
        f"{json.dumps(content_preview(message, width=None), ensure_ascii=False)}, "
        f"created {format_time(message.created_at)} UTC"
    )


def describe_status(message: Message) -> str:
    """One line about a message's delivery: id, status and the external error when there is one."""
    fields = message.to_dict()
    line = f"message {shown(message.id)}: status {shown(fields.get('status'))}"
    content_attributes = fields.get("content_attributes")
    if isinstance(content_attributes, dict) and content_attributes.get("external_error") is not None:
        line += f", external error {json.dumps(shown(content_attributes['external_error']), ensure_ascii=False)}"
    return line


def _row(message: Any) -> Sequence[str]:
    if not isinstance(message, Message):  # an item of a page that is not an object: shown in the content column
        return ("-", "-", "-", "-", shown(message))
    return (
        shown(message.id),
        type_name(message.message_type),
        sender_name(message),
        format_time(message.created_at),
        content_preview(message),
    )


def table(messages: Sequence[Any]) -> List[str]:
    """The messages as the lines of an aligned table, oldest first; one line when there are none."""
    if not messages:
        return ["(no messages)"]
    rows = [_TABLE_HEADINGS, *(_row(message) for message in messages)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(_TABLE_HEADINGS) - 1)]
    return ["  ".join([cell.ljust(width) for cell, width in zip(row, widths)] + [row[-1]]) for row in rows]


def json_document(value: Any) -> str:
    """A JSON-ready value as one indented JSON document."""
    return json.dumps(value, indent=2, default=repr)


def json_line(value: Any) -> str:
    """A JSON-ready value as one line of JSON lines (ASCII, so any terminal or file encoding can take it)."""
    return json.dumps(value, separators=(",", ":"), default=repr) + "\n"


def secret_forms(secrets: Iterable[Optional[str]]) -> List[str]:
    """Each secret as printed text may carry it: as it is, JSON-escaped (ASCII or not) and percent-encoded."""
    forms = set()
    for secret in secrets:
        if secret:
            forms.update(
                {
                    secret,
                    json.dumps(secret)[1:-1],
                    json.dumps(secret, ensure_ascii=False)[1:-1],
                    urllib.parse.quote(secret, safe=""),
                }
            )
    forms.discard("")
    return sorted(forms, key=len, reverse=True)  # the longest first, so that no part of a longer form is left


def mask(text: str, forms: Sequence[str]) -> str:
    """``text`` with every form of a secret replaced by MASK."""
    for form in forms:
        text = text.replace(form, MASK)
    return text


class MaskedStream:
    """A text stream that masks the secrets in all that is written to it, and never fails on a character the
    underlying stream's encoding lacks (it is written escaped)."""

    def __init__(self, stream: TextIO, forms: Sequence[str]) -> None:
        self._stream = stream
        self._forms = forms

    def write(self, text: str) -> int:
        text = mask(text, self._forms)
        try:
            self._stream.write(text)
        except UnicodeEncodeError:
            encoding = getattr(self._stream, "encoding", None) or "ascii"
            self._stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()


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
