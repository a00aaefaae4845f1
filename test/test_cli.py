"""Tests of the chatwoot-client command line, run in process against the mock server."""

from __future__ import annotations

import argparse
import io
import json
import platform
import socket
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any, List

import pytest
from _constants import ACCOUNT_ID, WIDGET_CONVERSATION_ID
from _constants import API_CONVERSATION_ID as CONVERSATION_ID

import chatwoot_client
from chatwoot_client import cli
from chatwoot_client.testing import MockChatwootServer

PAGE_SIZE = 100  # messages the server answers per page when listing with after=


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep a developer's CHATWOOT_* settings out of the tests."""
    monkeypatch.delenv("CHATWOOT_BASE_URL", raising=False)
    monkeypatch.delenv("CHATWOOT_API_ACCESS_TOKEN", raising=False)


def messages(action: str, *extra: str, conversation_id: int = CONVERSATION_ID) -> List[str]:
    """The arguments of ``messages ACTION`` on conversation 17 of account 1."""
    return ["messages", action, "--account-id", str(ACCOUNT_ID), "--conversation-id", str(conversation_id), *extra]


def run(server: MockChatwootServer, *arguments: str, token: str = "", json_output: bool = False) -> int:
    """Run the command line against the mock server with the user's token (or ``token``)."""
    options = ["--base-url", server.url, f"--token={token or server.user_token}"] + (["--json"] if json_output else [])
    return cli.main([*options, *arguments])


def add_messages(server: MockChatwootServer, count: int) -> None:
    for number in range(1, count + 1):
        server.add_message(ACCOUNT_ID, CONVERSATION_ID, f"message {number}")


class TerminalStream(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


# -- demo -------------------------------------------------------------------------------------------------------


def test_demo_prints_each_step_of_the_round_trip(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo"]) == 0
    out, err = capsys.readouterr()
    steps = ["1. Send a message: POST", "2. List the conversation", "3. Delete message 2", "4. List again"]
    assert all(step in out for step in steps)
    assert "Created message 2: outgoing" in out
    assert "ID  TYPE      FROM" in out
    assert "its content is now 'This message was deleted'" in out
    assert err == ""


def test_demo_json_is_one_document_of_the_round_trip(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--json", "demo"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["created"]["content"] == cli.DEMO_REPLY
    assert [message["content"] for message in document["listed"]["payload"]] == [cli.DEMO_QUESTION, cli.DEMO_REPLY]
    assert document["relisted"]["payload"][-1]["content"] == "This message was deleted"
    assert document["server_url"].startswith("http://127.0.0.1:")


# -- messages list ----------------------------------------------------------------------------------------------


def test_list_prints_a_table_of_the_messages(server: MockChatwootServer, capsys: pytest.CaptureFixture[str]) -> None:
    server.add_message(ACCOUNT_ID, CONVERSATION_ID, "Where is my order?")
    server.add_message(ACCOUNT_ID, CONVERSATION_ID, "On its way!", "outgoing")
    assert run(server, *messages("list")) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "TYPE", "FROM", "CREATED", "(UTC)", "CONTENT"]
    assert lines[1].startswith("1   incoming  Grace Hopper") and lines[1].endswith("Where is my order?")
    assert lines[2].startswith("2   outgoing  Ada Agent") and lines[2].endswith("On its way!")


def test_list_of_an_empty_conversation_says_so(server: MockChatwootServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(server, *messages("list")) == 0
    assert capsys.readouterr().out == "(no messages)\n"


def test_list_json_is_the_message_list(server: MockChatwootServer, capsys: pytest.CaptureFixture[str]) -> None:
    add_messages(server, 2)
    assert run(server, *messages("list"), json_output=True) == 0
    document = json.loads(capsys.readouterr().out)
    assert [message["id"] for message in document["payload"]] == [1, 2]
    assert document["meta"]["agent_last_seen_at"] == "2026-11-27T10:15:00+00:00"


@pytest.mark.parametrize(
    ("options", "ids"),
    [(["--after", "2"], [3, 4, 5]), (["--before", "3"], [1, 2]), (["--after", "0", "--before", "5"], [1, 2, 3, 4])],
    ids=["after", "before", "both"],
)
def test_list_passes_before_and_after(
    server: MockChatwootServer, capsys: pytest.CaptureFixture[str], options: List[str], ids: List[int]
) -> None:
    add_messages(server, 5)
    assert run(server, *messages("list", *options), json_output=True) == 0
    assert [message["id"] for message in json.loads(capsys.readouterr().out)["payload"]] == ids


# -- messages send ----------------------------------------------------------------------------------------------


def test_send_creates_an_outgoing_message(server: MockChatwootServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(server, *messages("send", "--content", "Hello there")) == 0
    stored = server.messages(ACCOUNT_ID, CONVERSATION_ID)
    assert [(message["content"], message["message_type"]) for message in stored] == [("Hello there", 1)]
    assert capsys.readouterr().out.startswith('Created message 1: outgoing, "Hello there", created ')


@pytest.mark.parametrize(
    ("flag", "field", "value"), [("--incoming", "message_type", 0), ("--private", "private", True)]
)
def test_send_flags_set_the_message_fields(server: MockChatwootServer, flag: str, field: str, value: Any) -> None:
    assert run(server, *messages("send", "--content", "Hi", flag)) == 0
    assert server.messages(ACCOUNT_ID, CONVERSATION_ID)[0][field] == value


def test_send_attaches_each_file(server: MockChatwootServer, tmp_path: Path) -> None:
    first, second = tmp_path / "invoice.pdf", tmp_path / "photo.png"
    first.write_bytes(b"%PDF-1.4")
    second.write_bytes(b"\x89PNG")
    assert run(server, *messages("send", "--content", "Files", "--attach", str(first), "--attach", str(second))) == 0
    attachments = server.messages(ACCOUNT_ID, CONVERSATION_ID)[0]["attachments"]
    names = [(file["data_url"].rsplit("/", 1)[1], file["file_size"]) for file in attachments]
    assert names == [("invoice.pdf", 8), ("photo.png", 4)]


def test_send_json_prints_the_created_message(server: MockChatwootServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(server, *messages("send", "--content", "Hi"), json_output=True) == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["id"], document["content"], document["message_type"]) == (1, "Hi", 1)


def test_send_passes_the_client_message_id(server: MockChatwootServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(server, *messages("send", "--content", "Hi", "--client-message-id", "order-1042:reply.1")) == 0
    stored = server.messages(ACCOUNT_ID, CONVERSATION_ID)
    assert [message["content_attributes"].get("client_message_id") for message in stored] == ["order-1042:reply.1"]


def test_send_refuses_a_bad_client_message_id_before_any_request(
    server: MockChatwootServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(server, *messages("send", "--content", "Hi", "--client-message-id", "no spaces")) == 2
    assert "client_message_id" in assert_one_line_failure(capsys, server.user_token)
    assert server.requests == []


# -- messages update --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["sent", "delivered", "read", "failed"])
def test_update_sets_the_status(server: MockChatwootServer, capsys: pytest.CaptureFixture[str], status: str) -> None:
    add_messages(server, 1)
    assert run(server, *messages("update", "--message-id", "1", "--status", status)) == 0
    assert server.messages(ACCOUNT_ID, CONVERSATION_ID)[0]["status"] == status
    assert capsys.readouterr().out == f"Updated message 1: status {status}\n"


def test_update_failed_with_an_external_error(server: MockChatwootServer, capsys: pytest.CaptureFixture[str]) -> None:
    add_messages(server, 1)
    options = ["--message-id", "1", "--status", "failed", "--external-error", "Number unreachable"]
    assert run(server, *messages("update", *options), "--json") == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["status"], document["content_attributes"]["external_error"]) == ("failed", "Number unreachable")


def test_update_outside_an_api_inbox_exits_1(server: MockChatwootServer, capsys: pytest.CaptureFixture[str]) -> None:
    server.add_message(ACCOUNT_ID, WIDGET_CONVERSATION_ID, "Hi")
    options = ["--message-id", "1", "--status", "read"]
    assert run(server, *messages("update", *options, conversation_id=WIDGET_CONVERSATION_ID)) == 1
    assert "(403)" in assert_one_line_failure(capsys, server.user_token)


def test_update_refuses_an_unknown_status(server: MockChatwootServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(server, *messages("update", "--message-id", "1", "--status", "lost")) == 2
    assert "invalid choice" in assert_one_line_failure(capsys, server.user_token)


# -- messages delete --------------------------------------------------------------------------------------------


def test_delete_soft_deletes_the_message(server: MockChatwootServer, capsys: pytest.CaptureFixture[str]) -> None:
    add_messages(server, 1)
    assert run(server, *messages("delete", "--message-id", "1")) == 0
    assert server.messages(ACCOUNT_ID, CONVERSATION_ID)[0]["content"] == "This message was deleted"
    assert capsys.readouterr().out == "Deleted message 1 of conversation 17.\n"


def test_delete_json_names_the_deleted_message(server: MockChatwootServer, capsys: pytest.CaptureFixture[str]) -> None:
    add_messages(server, 1)
    assert run(server, *messages("delete", "--message-id", "1"), json_output=True) == 0
    expected = {"account_id": 1, "conversation_id": 17, "message_id": 1, "deleted": True}
    assert json.loads(capsys.readouterr().out) == expected


# -- messages export --------------------------------------------------------------------------------------------


def test_export_writes_every_message_oldest_first_to_a_file(
    server: MockChatwootServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_messages(server, PAGE_SIZE + 50)
    output = tmp_path / "messages.jsonl"
    assert run(server, *messages("export", "--output", str(output))) == 0
    exported = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [message["id"] for message in exported] == list(range(1, PAGE_SIZE + 51))
    assert exported[-1]["content"] == f"message {PAGE_SIZE + 50}"
    assert [request.query.get("after") for request in server.requests] == ["0", "100", "150"]
    assert capsys.readouterr() == (f"Exported 150 messages to {output}\n", "")


def test_export_to_stdout_writes_only_json_lines(
    server: MockChatwootServer, capsys: pytest.CaptureFixture[str]
) -> None:
    add_messages(server, 3)
    assert run(server, *messages("export")) == 0
    out, err = capsys.readouterr()
    assert [json.loads(line)["content"] for line in out.splitlines()] == ["message 1", "message 2", "message 3"]
    assert err == ""


def test_export_shows_progress_when_stderr_is_a_terminal(
    server: MockChatwootServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_messages(server, PAGE_SIZE + 1)
    terminal = TerminalStream()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert run(server, *messages("export", "--output", str(tmp_path / "out.jsonl"))) == 0
    assert terminal.getvalue() == "\rExported: 100 messages\rExported: 101 messages\n"


def test_export_json_summary(server: MockChatwootServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_messages(server, 2)
    output = tmp_path / "out.jsonl"
    assert run(server, *messages("export", "--output", str(output)), json_output=True) == 0
    assert json.loads(capsys.readouterr().out) == {"exported": 2, "output": str(output)}


def test_failed_export_keeps_the_previous_file(server: MockChatwootServer, tmp_path: Path) -> None:
    output = tmp_path / "messages.jsonl"
    output.write_text("previous export\n", encoding="utf-8")
    add_messages(server, 1)
    server.fail_next(500, method="GET")
    assert run(server, *messages("export", "--output", str(output))) == 1
    assert output.read_text(encoding="utf-8") == "previous export\n"
    assert [path.name for path in tmp_path.iterdir()] == ["messages.jsonl"]


# -- failures ---------------------------------------------------------------------------------------------------


def assert_one_line_failure(capsys: pytest.CaptureFixture[str], *secrets: str) -> str:
    """The stderr of a failure: one line, no traceback, none of ``secrets``; nothing on stdout."""
    out, err = capsys.readouterr()
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1
    assert "Traceback" not in err
    assert all(secret not in err for secret in secrets)
    return err


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (messages("list", conversation_id=999), "(404) Not Found: Resource could not be found"),
        (messages("send", "--content", "Hi", "--incoming", conversation_id=WIDGET_CONVERSATION_ID), "(422)"),
        (messages("delete", "--message-id", "42"), "(404) Not Found"),
    ],
    ids=["unknown-conversation", "incoming-in-widget-inbox", "unknown-message"],
)
def test_api_error_exits_1_with_one_line(
    server: MockChatwootServer, capsys: pytest.CaptureFixture[str], arguments: List[str], message: str
) -> None:
    assert run(server, *arguments) == 1
    assert message in assert_one_line_failure(capsys, server.user_token)


def test_wrong_token_exits_1_without_showing_the_token(
    server: MockChatwootServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(server, *messages("list"), token="tok-SECRET") == 1
    assert "(401) Unauthorized: Invalid Access Token" in assert_one_line_failure(capsys, "tok-SECRET")


def test_bot_token_cannot_list(server: MockChatwootServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(server, *messages("list"), token=server.bot_token) == 1
    assert "not authorized for bots" in assert_one_line_failure(capsys, server.bot_token)


def test_server_error_page_exits_1_with_one_line(
    server: MockChatwootServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.fail_next(504, times=4, method="GET")
    assert run(server, *messages("list")) == 1
    assert "(504)" in assert_one_line_failure(capsys, server.user_token)


def test_unreachable_server_exits_1_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]
    assert cli.main(["--base-url", f"http://127.0.0.1:{port}", "--token", "tok-SECRET", *messages("list")]) == 1
    assert "(0)" in assert_one_line_failure(capsys, "tok-SECRET")


def test_missing_token_is_a_usage_error(server: MockChatwootServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--base-url", server.url, *messages("list")]) == 2
    assert "CHATWOOT_API_ACCESS_TOKEN" in assert_one_line_failure(capsys)


def test_base_url_and_token_come_from_the_environment(
    server: MockChatwootServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CHATWOOT_BASE_URL", server.url)
    monkeypatch.setenv("CHATWOOT_API_ACCESS_TOKEN", server.user_token)
    assert cli.main(messages("list")) == 0
    assert capsys.readouterr().out == "(no messages)\n"


@pytest.mark.parametrize(
    "arguments",
    [
        [],
        ["messages"],
        ["bogus"],
        ["messages", "list"],
        messages("list", "--before", "0"),
        ["messages", "list", "--account-id", "one", "--conversation-id", "17"],
        messages("send"),
        messages("delete"),
        ["--base-url", "ftp://chat.example.com", *messages("list")],
        ["mock-server", "--port", "70000"],
    ],
    ids=[
        "no-command",
        "no-action",
        "unknown-command",
        "no-ids",
        "zero-before",
        "id-not-a-number",
        "send-without-content",
        "delete-without-message-id",
        "base-url-not-http",
        "port-out-of-range",
    ],
)
def test_usage_error_exits_2_with_one_line(
    server: MockChatwootServer, capsys: pytest.CaptureFixture[str], arguments: List[str]
) -> None:
    assert cli.main([f"--token={server.user_token}", *arguments]) == 2
    assert_one_line_failure(capsys, server.user_token)


def test_missing_attachment_file_is_a_usage_error(
    server: MockChatwootServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(server, *messages("send", "--content", "Hi", "--attach", str(tmp_path / "missing.pdf"))) == 2
    assert "missing.pdf" in assert_one_line_failure(capsys, server.user_token)
    assert server.requests == []


def test_export_into_a_missing_folder_names_it_before_any_request(
    server: MockChatwootServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "no-such-dir"
    assert run(server, *messages("export", "--output", str(folder / "out.jsonl"))) == 2
    assert f"the folder {folder} does not exist" in assert_one_line_failure(capsys, server.user_token)
    assert server.requests == []


def test_export_into_a_folder_path_says_it_is_a_folder(
    server: MockChatwootServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(server, *messages("export", "--output", str(tmp_path))) == 2
    assert "it is a folder" in assert_one_line_failure(capsys, server.user_token)


def test_export_into_a_file_used_as_a_folder_says_so(
    server: MockChatwootServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "plain-file").write_text("x", encoding="utf-8")
    assert run(server, *messages("export", "--output", str(tmp_path / "plain-file" / "out.jsonl"))) == 2
    assert "is not a folder" in assert_one_line_failure(capsys, server.user_token)


def test_export_to_an_unwritable_folder_exits_1_with_one_line(
    server: MockChatwootServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied", str(tmp_path))

    monkeypatch.setattr(cli.tempfile, "mkstemp", refuse)
    assert run(server, *messages("export", "--output", str(tmp_path / "out.jsonl"))) == 1
    assert "Permission denied" in assert_one_line_failure(capsys, server.user_token)


# -- entry points -----------------------------------------------------------------------------------------------


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: chatwoot-client")


def test_mock_server_command_runs_the_testing_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: List[List[str]] = []

    def serve(argv: List[str]) -> int:
        calls.append(argv)
        return 0

    monkeypatch.setattr("chatwoot_client.testing.__main__.main", serve)
    assert cli.main(["mock-server", "--port", "8123"]) == 0
    assert cli.main(["mock-server", "--agent-bot-url", "http://127.0.0.1:8000/"]) == 0
    assert calls == [["--port", "8123"], ["--port", "0", "--agent-bot-url", "http://127.0.0.1:8000/"]]


def test_python_dash_m_runs_the_command_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "chatwoot_client", "--help"], capture_output=True, text=True, timeout=10, check=False
    )
    assert (result.returncode, result.stdout.split("\n")[0].split()[:2]) == (0, ["usage:", "chatwoot-client"])


# -- global options ---------------------------------------------------------------------------------------------


def test_version_names_the_distribution(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--version"]) == 0
    installed = metadata.version("chatwoot-messages-client")
    expected = f"chatwoot-client {chatwoot_client.__version__} (chatwoot-messages-client {installed}, Python "
    assert capsys.readouterr() == (f"{expected}{platform.python_version()})\n", "")


def test_version_run_from_source_says_so(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def not_installed(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", not_installed)
    assert cli.main(["--version"]) == 0
    expected = f"(chatwoot-messages-client, not installed: run from its source, Python {platform.python_version()})\n"
    assert capsys.readouterr().out == f"chatwoot-client {chatwoot_client.__version__} {expected}"


def _distribution(folder: Path, info_name: str, metadata_text: str, *files: str) -> None:
    """An installed distribution in ``folder``: its dist-info with METADATA and a RECORD of ``files``."""
    info = folder / info_name
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\n{metadata_text}", encoding="utf-8")
    (info / "RECORD").write_text("".join(f"{file},,\n" for file in files), encoding="utf-8")


def _package(folder: Path) -> Path:
    package = folder / "chatwoot_client"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    return package.resolve()


def test_version_warns_of_another_distribution_in_the_package_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    package = _package(tmp_path)
    _distribution(tmp_path, "chatwoot_python_client-1.0.dist-info", "Name: chatwoot-python-client\n",
                  "chatwoot_client/__init__.py")  # fmt: skip
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(cli, "_package_folder", lambda: package)
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().err == (
        f"chatwoot-client: warning: chatwoot-python-client has also installed files into {package}; both install "
        "the `chatwoot_client` package, so each may break the other: pip uninstall both, then install only "
        "chatwoot-messages-client\n"
    )


def test_the_package_folder_is_the_one_the_package_was_imported_from() -> None:
    assert cli._package_folder() == Path(chatwoot_client.__file__).resolve().parent


def test_another_distribution_in_the_package_folder_is_found(tmp_path: Path) -> None:
    package = _package(tmp_path)
    _distribution(tmp_path, "chatwoot_python_client-1.0.dist-info", "Name: chatwoot-python-client\n",
                  "chatwoot_client/__init__.py")  # fmt: skip
    assert cli._foreign_distributions(package, [str(tmp_path)]) == ["chatwoot-python-client"]
    assert cli._foreign_distributions((tmp_path / "elsewhere").resolve(), [str(tmp_path)]) == []


@pytest.mark.parametrize(
    "spelling", ["chatwoot-messages-client", "Chatwoot_Messages_Client", "chatwoot.messages--client"]
)
def test_our_own_distribution_is_never_foreign_however_it_is_spelled(tmp_path: Path, spelling: str) -> None:
    site, other = tmp_path / "site", tmp_path / "other"
    site.mkdir()
    package = _package(site)
    other.mkdir()
    (other / "chatwoot_client").symlink_to(package, target_is_directory=True)  # the same folder, on another path
    _distribution(site, f"{spelling}-1.0.dist-info", f"Name: {spelling}\n", "chatwoot_client/__init__.py")
    _distribution(other, "other_client-1.0.dist-info", "Name: other-client\n", "chatwoot_client/__init__.py")
    # ours is found first: the search must go on past it to find the other
    assert cli._foreign_distributions(package, [str(site), str(other)]) == ["other-client"]
    assert cli._normalized(spelling) == "chatwoot-messages-client"


def test_a_distribution_without_a_name_is_shown_as_a_question_mark(tmp_path: Path) -> None:
    package = _package(tmp_path)
    _distribution(tmp_path, "nameless-1.0.dist-info", "Version: 1.0\n", "chatwoot_client/__init__.py")
    assert cli._foreign_distributions(package, [str(tmp_path)]) == ["?"]


def test_json_is_accepted_after_the_command(server: MockChatwootServer, capsys: pytest.CaptureFixture[str]) -> None:
    add_messages(server, 1)
    assert cli.main(["--base-url", server.url, *messages("list", f"--token={server.user_token}", "--json")]) == 0
    assert json.loads(capsys.readouterr().out)["payload"][0]["id"] == 1


def test_a_refused_connection_fails_at_once_without_backoff(
    capsys: pytest.CaptureFixture[str], backoff_sleeps: List[float]
) -> None:
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]
    assert cli.main(["--base-url", f"http://127.0.0.1:{port}", "--token=tok-SECRET", *messages("list")]) == 1
    assert f"cannot reach http://127.0.0.1:{port}" in assert_one_line_failure(capsys, "tok-SECRET")
    assert backoff_sleeps == []


def test_every_option_and_command_has_help() -> None:
    parsers = [cli._build_parser()]
    missing = []
    while parsers:
        parser = parsers.pop()
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                parsers.extend(action.choices.values())
                missing += [name for name in action.choices if not any(c.dest == name for c in action._choices_actions)]
            elif not action.help:
                missing.append(f"{parser.prog} {action.dest}")
    assert missing == []
