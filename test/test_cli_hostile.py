"""The command line against servers that answer badly: each failure is one line on stderr with a non-zero exit,
never a traceback and never the token, and a field of an unexpected type is shown as it came.

The server is the shared raw loopback server (``_loopback.LoopbackServer``), answering with the bytes a test gives.
"""

from __future__ import annotations

import contextlib
import json
from typing import Iterator, List

import _loopback
import pytest
from _loopback import LoopbackServer

from chatwoot_client import cli

TOKEN = "tok-SECRET-9f8e7d"  # the token every test passes; it must never be printed
ANSWERS = 20  # answers a scripted server holds: more than the CLI's retries and redirects can ask for
CLOSE = b""  # an "answer" that closes the connection without a word


def http_answer(status: str, body: bytes, content_type: str = "application/json") -> bytes:
    return _loopback.answer(status, body, [f"Content-Type: {content_type}"])


@pytest.fixture
def servers() -> Iterator[contextlib.ExitStack]:
    with contextlib.ExitStack() as stack:
        yield stack


def serve(servers: contextlib.ExitStack, *answers: bytes) -> LoopbackServer:
    """A server answering with ``answers`` in order, then with the last one again."""
    script = [*answers, *[answers[-1]] * (ANSWERS - len(answers))]
    return servers.enter_context(LoopbackServer(script))


def run_against(servers: contextlib.ExitStack, answer: bytes, *command: str) -> int:
    server = serve(servers, answer)
    return cli.main(["--base-url", server.url, f"--token={TOKEN}", *command])


def conversation(action: str, *extra: str) -> List[str]:
    return ["messages", action, "--account-id", "1", "--conversation-id", "17", *extra]


def assert_one_line_failure(capsys: pytest.CaptureFixture[str]) -> str:
    out, err = capsys.readouterr()
    assert TOKEN not in out + err
    assert "Traceback" not in err
    assert err.startswith("chatwoot-client: error: ") and err.count("\n") == 1 and err.endswith("\n")
    return err


def message(**fields: object) -> dict:  # type: ignore[type-arg]
    base = {"id": 1, "content": "Hi", "message_type": 1, "created_at": 1764201600, "private": False}
    return {**base, **fields}


HOSTILE_ANSWERS = {
    "not-json": http_answer("200 OK", b"<html>\n<body>Welcome</body>\n</html>"),
    "json-null": http_answer("200 OK", b"null"),
    "json-number": http_answer("200 OK", b"42"),
    "truncated-json": http_answer("200 OK", b'{"payload": [{"id": 1, "content": "Hi'),
    "too-deep": http_answer("200 OK", b"[" * 100_000 + b"]" * 100_000),
    "not-utf-8": http_answer("200 OK", b'{"payload": [{"id": 1, "content": "\xff\xfe"}]}'),
    "payload-not-a-list": http_answer("200 OK", b'{"payload": {"id": 1}}'),
    "nan": http_answer("200 OK", b'{"payload": [{"id": NaN}]}'),
    "html-500-with-the-token": http_answer(
        "500 Internal Server Error", f"<h1>Oops</h1>\n<p>token {TOKEN} refused</p>".encode(), "text/html"
    ),
    "401-echoing-the-token": http_answer("401 Unauthorized", json.dumps({"error": f"bad token {TOKEN}"}).encode()),
    "404-errors-list": http_answer("404 Not Found", b'{"errors": ["line one\\nline two", 7, null]}'),
    "garbage-status-line": b"HTTP/1.1 abc\r\n\r\n",
    "not-http": b"SSH-2.0-OpenSSH_9.6\r\n",
    "absurd-content-length": b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n{}",
    "redirect-elsewhere-with-the-token": (
        f"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.2:9/{TOKEN}\r\nContent-Length: 0\r\n\r\n".encode()
    ),
    "connection-closed-without-answer": CLOSE,
}


@pytest.mark.parametrize("answer", list(HOSTILE_ANSWERS.values()), ids=list(HOSTILE_ANSWERS))
@pytest.mark.parametrize(
    "command",
    [conversation("list"), conversation("export"), conversation("send", "--content", "Hi")],
    ids=["list", "export", "send"],
)
def test_a_hostile_answer_is_one_line_with_a_non_zero_exit(
    servers: contextlib.ExitStack, capsys: pytest.CaptureFixture[str], answer: bytes, command: List[str]
) -> None:
    status = run_against(servers, answer, *command)
    out, err = capsys.readouterr()
    assert TOKEN not in out + err
    assert "Traceback" not in err
    if status == 0:  # an answer the SDK may read leniently (e.g. a create answer without the fields it expects)
        assert err == ""
        return
    assert err.startswith("chatwoot-client: error: ") and err.count("\n") == 1


@pytest.mark.parametrize(
    "answer", [HOSTILE_ANSWERS["not-json"], HOSTILE_ANSWERS["json-null"], HOSTILE_ANSWERS["too-deep"]]
)
def test_an_unreadable_list_answer_fails(
    servers: contextlib.ExitStack, capsys: pytest.CaptureFixture[str], answer: bytes
) -> None:
    assert run_against(servers, answer, *conversation("list")) == 1
    assert_one_line_failure(capsys)


def test_the_token_in_a_server_error_is_masked(
    servers: contextlib.ExitStack, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_against(servers, HOSTILE_ANSWERS["401-echoing-the-token"], *conversation("list")) == 1
    assert "bad token ***" in assert_one_line_failure(capsys)


def test_the_token_in_listed_content_is_masked(
    servers: contextlib.ExitStack, capsys: pytest.CaptureFixture[str]
) -> None:
    page = {"payload": [message(content=f"my token is {TOKEN}")]}
    answer = http_answer("200 OK", json.dumps(page).encode())
    for command in (conversation("list"), ["--json", *conversation("list")]):
        assert run_against(servers, answer, *command) == 0
        out, err = capsys.readouterr()
        assert "my token is ***" in out and TOKEN not in out + err


def test_the_token_in_exported_lines_is_masked(
    servers: contextlib.ExitStack, capsys: pytest.CaptureFixture[str]
) -> None:
    escaped = TOKEN[:3] + "\\u002d" + TOKEN[4:]  # the same token, as JSON may escape a character of it
    body = '{"payload": [{"id": 1, "content": "' + escaped + '"}]}'
    server = serve(servers, http_answer("200 OK", body.encode()), http_answer("200 OK", b'{"payload": []}'))
    assert cli.main(["--base-url", server.url, f"--token={TOKEN}", *conversation("export")]) == 0
    out, err = capsys.readouterr()
    assert TOKEN not in out + err
    assert json.loads(out.splitlines()[0])["content"] == "***"


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({"content": 12345}, "12345"),
        ({"content": {"text": "Hi"}}, '{"text":"Hi"}'),
        ({"content": ["a", "b"]}, '["a","b"]'),
        ({"created_at": "yesterday"}, "yesterday"),
        ({"created_at": 10**30}, str(10**30)),
        ({"sender": ["not", "an", "object"]}, '["not","an","object"]'),
        ({"sender": "Grace"}, "Grace"),
        ({"message_type": {"kind": 1}}, '{"kind":1}'),
        ({"attachments": "none"}, "Hi"),
        ({"private": "yes"}, "Hi"),
        ({"id": "m-1"}, "m-1"),
    ],
    ids=[
        "content-number",
        "content-object",
        "content-list",
        "created-at-string",
        "created-at-beyond-any-calendar",
        "sender-list",
        "sender-string",
        "message-type-object",
        "attachments-string",
        "private-string",
        "id-string",
    ],
)
def test_a_field_of_an_unexpected_type_is_shown_as_it_came(
    servers: contextlib.ExitStack,
    capsys: pytest.CaptureFixture[str],
    fields: dict,
    shown: str,  # type: ignore[type-arg]
) -> None:
    page = {"payload": [message(**fields)]}
    assert run_against(servers, http_answer("200 OK", json.dumps(page).encode()), *conversation("list")) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert shown in out.splitlines()[1]


def test_a_page_item_that_is_not_an_object_is_shown_or_refused(
    servers: contextlib.ExitStack, capsys: pytest.CaptureFixture[str]
) -> None:
    page = {"payload": [message(), 7, "text"]}
    status = run_against(servers, http_answer("200 OK", json.dumps(page).encode()), *conversation("list"))
    out, err = capsys.readouterr()
    if status == 0:
        assert [line.split()[-1] for line in out.splitlines()[1:]] == ["Hi", "7", "text"]
    else:
        assert err.count("\n") == 1 and "Traceback" not in err


def test_a_created_message_with_odd_fields_is_shown_as_it_came(
    servers: contextlib.ExitStack, capsys: pytest.CaptureFixture[str]
) -> None:
    created = message(content={"rich": True}, created_at="now", message_type="outgoing")
    answer = http_answer("200 OK", json.dumps(created).encode())
    assert run_against(servers, answer, *conversation("send", "--content", "Hi")) == 0
    assert capsys.readouterr().out == 'Created message 1: outgoing, "{\\"rich\\":true}", created now UTC\n'


def test_a_page_that_does_not_advance_ends_the_export_with_a_failure(
    servers: contextlib.ExitStack, capsys: pytest.CaptureFixture[str]
) -> None:
    page = {"payload": [message(id=5), message(id=5)]}
    assert run_against(servers, http_answer("200 OK", json.dumps(page).encode()), *conversation("export")) == 1
    assert_one_line_failure(capsys)
