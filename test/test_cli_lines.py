"""The command line word for word: the exact line of each usage error and failure, the edges of its option values,
the secrets it masks wherever they come from, the export's summaries, temporary file and progress, and a reader of
its output that goes away."""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path
from typing import Iterator, List

import _loopback
import pytest
from _constants import ACCOUNT_ID
from _constants import API_CONVERSATION_ID as CONVERSATION_ID
from _loopback import LoopbackServer

from chatwoot_client import cli
from chatwoot_client.testing import MockChatwootServer

TOKEN = "tok-LINES-51c2"  # the token the tests pass where it must never be printed
PASSWORD = "pw-LINES-77aa"  # a password in a base URL, which must never be printed either


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHATWOOT_BASE_URL", raising=False)
    monkeypatch.delenv("CHATWOOT_API_ACCESS_TOKEN", raising=False)


def messages(action: str, *extra: str) -> List[str]:
    return ["messages", action, "--account-id", str(ACCOUNT_ID), "--conversation-id", str(CONVERSATION_ID), *extra]


def run(server: MockChatwootServer, *arguments: str) -> int:
    return cli.main(["--base-url", server.url, f"--token={server.user_token}", *arguments])


@pytest.fixture
def refused_url() -> Iterator[str]:
    """The URL of a loopback port nothing listens on."""
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]
    yield f"http://127.0.0.1:{port}"


# -- usage errors -----------------------------------------------------------------------------------------------

REQUIRED = "error: the following arguments are required:"


@pytest.mark.parametrize(
    ("arguments", "line"),
    [
        ([], "chatwoot-client: error: a command is required"),
        (["messages"], f"chatwoot-client messages: {REQUIRED} ACTION"),
        (["messages", "list", "--account-id", "1"], f"chatwoot-client messages list: {REQUIRED} --conversation-id"),
        (["messages", "list", "--conversation-id", "17"], f"chatwoot-client messages list: {REQUIRED} --account-id"),
        (messages("update", "--status", "read"), f"chatwoot-client messages update: {REQUIRED} --message-id"),
        (messages("update", "--message-id", "1"), f"chatwoot-client messages update: {REQUIRED} --status"),
        (messages("delete"), f"chatwoot-client messages delete: {REQUIRED} --message-id"),
        (
            messages("list", "--before", "0"),
            "chatwoot-client messages list: error: argument --before: must be a positive integer, got '0'",
        ),
        (
            messages("list", "--after", "-1"),
            "chatwoot-client messages list: error: argument --after: must be a whole number, got '-1'",
        ),
        (
            ["mock-server", "--port", "65536"],
            "chatwoot-client mock-server: error: argument --port: must be a port number from 0 to 65535, got '65536'",
        ),
        *[
            (
                ["--timeout", seconds, *messages("list")],
                "chatwoot-client: error: argument --timeout: must be a number of seconds above 0 and at most 86400.0, "
                f"got '{seconds}'",
            )
            for seconds in ("0", "-1", "86400.5", "nan", "inf", "soon")
        ],
    ],
)
def test_a_usage_error_is_one_exact_line(capsys: pytest.CaptureFixture[str], arguments: List[str], line: str) -> None:
    assert cli.main(arguments) == 2
    assert capsys.readouterr() == ("", f"{line} (see --help)\n")


def test_no_token_is_a_usage_error_before_any_request(
    server: MockChatwootServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--base-url", server.url, *messages("list")]) == 2
    expected = "chatwoot-client: error: no access token: pass --token or set CHATWOOT_API_ACCESS_TOKEN\n"
    assert capsys.readouterr() == ("", expected)
    assert server.requests == []


@pytest.mark.parametrize("port", ["0", "65535"])
def test_a_port_at_either_end_of_the_range_is_served(monkeypatch: pytest.MonkeyPatch, port: str) -> None:
    served: List[List[str]] = []

    def serve(argv: List[str]) -> int:
        served.append(argv)
        return 0

    monkeypatch.setattr("chatwoot_client.testing.__main__.main", serve)
    assert cli.main(["mock-server", "--port", port]) == 0
    assert served == [["--port", port]]


@pytest.mark.parametrize("seconds", ["0.5", "86400"])
def test_a_timeout_at_either_end_of_the_range_is_taken(
    server: MockChatwootServer, capsys: pytest.CaptureFixture[str], seconds: str
) -> None:
    assert run(server, "--timeout", seconds, *messages("list")) == 0
    assert capsys.readouterr() == ("(no messages)\n", "")


def test_the_timeout_bounds_each_answer(capsys: pytest.CaptureFixture[str]) -> None:
    # The answer trickles in over seconds; a timeout of half a second ends the call instead of waiting for it.
    page = _loopback.answer(body=b'{"payload": []}', headers=["Content-Type: application/json"])
    with LoopbackServer([page], trickle=0.05) as slow:
        options = ["--base-url", slow.url, f"--token={TOKEN}", "--timeout", "0.5", "--retries", "0"]
        status = cli.main([*options, *messages("list")])
    assert status == 1
    assert "(0) Timed out" in capsys.readouterr().err


# -- failures ---------------------------------------------------------------------------------------------------


def test_an_unreachable_server_is_named_before_the_reason(refused_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--base-url", refused_url, f"--token={TOKEN}", *messages("list")]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(f"chatwoot-client: error: cannot reach {refused_url}: (0) Connection failed")


def test_an_unreachable_server_from_the_environment_is_named(
    refused_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CHATWOOT_BASE_URL", refused_url)
    assert cli.main([f"--token={TOKEN}", *messages("list")]) == 1
    assert capsys.readouterr().err.startswith(f"chatwoot-client: error: cannot reach {refused_url}: ")


@pytest.mark.parametrize("source", ["option", "environment"])
def test_the_token_and_a_url_password_are_masked_wherever_they_come_from(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], source: str
) -> None:
    # A server that lists a message holding both secrets: the SDK passes content on as it is; the command masks it.
    page = {"payload": [{"id": 1, "content": f"{TOKEN} {PASSWORD}", "message_type": 0, "created_at": 1764201600}]}
    listed = _loopback.answer(body=json.dumps(page).encode(), headers=["Content-Type: application/json"])
    with LoopbackServer([listed]) as server:
        base_url = server.url.replace("http://", f"http://user:{PASSWORD}@")
        if source == "option":
            arguments = ["--base-url", base_url, f"--token={TOKEN}"]
        else:
            monkeypatch.setenv("CHATWOOT_BASE_URL", base_url)
            monkeypatch.setenv("CHATWOOT_API_ACCESS_TOKEN", TOKEN)
            arguments = []
        assert cli.main([*arguments, *messages("list")]) == 0
    out, err = capsys.readouterr()
    assert (out.splitlines()[1].split()[-2:], err) == (["***", "***"], "")


def test_a_failed_export_to_a_file_says_why(
    server: MockChatwootServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.fail_next(500, method="GET")
    assert run(server, *messages("export", "--output", str(tmp_path / "out.jsonl"))) == 1
    assert capsys.readouterr().err.startswith("chatwoot-client: error: (500) Internal Server Error")


@pytest.mark.parametrize(
    ("output", "reason"),
    [
        ("missing/out.jsonl", "the folder {tmp}/missing does not exist"),
        ("plain-file/out.jsonl", "{tmp}/plain-file is not a folder"),
        (".", "it is a folder; name a file in it"),
    ],
    ids=["missing-folder", "file-as-folder", "folder"],
)
def test_an_output_that_cannot_be_written_is_one_exact_line(
    server: MockChatwootServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], output: str, reason: str
) -> None:
    (tmp_path / "plain-file").write_text("x", encoding="utf-8")
    path = str(tmp_path / output) if output != "." else str(tmp_path)
    assert run(server, *messages("export", "--output", path)) == 2
    expected = f"chatwoot-client: error: cannot write {path}: {reason.format(tmp=tmp_path)}\n"
    assert capsys.readouterr() == ("", expected)
    assert server.requests == []


# -- export -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "summary"), [(0, "Exported 0 messages"), (1, "Exported 1 message"), (2, "Exported 2 messages")]
)
def test_the_export_summary_counts_in_words(
    server: MockChatwootServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], count: int, summary: str
) -> None:
    for number in range(count):
        server.add_message(ACCOUNT_ID, CONVERSATION_ID, f"message {number}")
    output = tmp_path / "out.jsonl"
    assert run(server, *messages("export", "--output", str(output))) == 0
    assert capsys.readouterr().out == f"{summary} to {output}\n"


def test_an_export_is_written_beside_its_output_then_renamed_over_it(
    server: MockChatwootServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.add_message(ACCOUNT_ID, CONVERSATION_ID, "Hi")
    renames: List[str] = []
    real_replace = os.replace

    def replace(source: str, target: str) -> None:
        renames.append(source)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    output = tmp_path / "out.jsonl"
    assert run(server, *messages("export", "--output", str(output))) == 0
    (temporary,) = map(Path, renames)
    assert temporary.parent == tmp_path
    assert temporary.name.startswith(".chatwoot-export-") and temporary.name.endswith(".tmp")
    assert [json.loads(line)["content"] for line in output.read_text(encoding="utf-8").splitlines()] == ["Hi"]


def test_an_export_to_a_bare_file_name_goes_to_the_current_folder(
    server: MockChatwootServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.add_message(ACCOUNT_ID, CONVERSATION_ID, "Hi")
    monkeypatch.chdir(tmp_path)
    assert run(server, *messages("export", "--output", "out.jsonl")) == 0
    assert [path.name for path in tmp_path.iterdir()] == ["out.jsonl"]


class _Terminal:
    """A stream that says it is a terminal and keeps what is written to it."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("to_file", "stdout_is_a_terminal", "progress"),
    [(True, True, True), (True, False, True), (False, False, True), (False, True, False)],
    ids=["file-stdout-terminal", "file-stdout-piped", "stdout-piped", "stdout-terminal"],
)
def test_export_progress_goes_to_a_terminal_stderr_unless_the_lines_go_there_too(
    server: MockChatwootServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    to_file: bool,
    stdout_is_a_terminal: bool,
    progress: bool,
) -> None:
    server.add_message(ACCOUNT_ID, CONVERSATION_ID, "Hi")
    stderr = _Terminal()
    monkeypatch.setattr(sys, "stderr", stderr)
    if stdout_is_a_terminal:
        monkeypatch.setattr(sys, "stdout", _Terminal())
    output = ["--output", str(tmp_path / "out.jsonl")] if to_file else []
    assert run(server, *messages("export", *output)) == 0
    assert stderr.text == ("\rExported: 1 message\n" if progress else "")


def test_a_reader_that_goes_away_ends_the_export_with_one_line(
    server: MockChatwootServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server.add_message(ACCOUNT_ID, CONVERSATION_ID, "Hi")
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader of the pipe is gone, as after `chatwoot-client ... | head -0`
    captured = sys.stdout
    with open(write_end, "w", encoding="utf-8") as stdout:
        monkeypatch.setattr(sys, "stdout", stdout)
        assert run(server, *messages("export")) == 1
        # stdout now writes to the null device, so the interpreter's last flush cannot fail on the closed pipe
        assert os.path.samestat(os.fstat(write_end), os.stat(os.devnull))
        monkeypatch.setattr(sys, "stdout", captured)
    assert capsys.readouterr().err.startswith("chatwoot-client: error: output closed early: ")
