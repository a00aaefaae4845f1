"""The command line when it is interrupted or the server answers oddly, and ``python -m chatwoot_client``."""

from __future__ import annotations

import runpy
import sys
from typing import Any, NoReturn

import pytest

import chatwoot_client
from chatwoot_client import cli
from chatwoot_client.testing import MockChatwootServer


def test_ctrl_c_exits_130_with_one_line(
    server: MockChatwootServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> NoReturn:
        raise KeyboardInterrupt

    monkeypatch.setattr(chatwoot_client.MessagesApi, "list_all_messages", interrupted)

    status = cli.main(
        ["--base-url", server.url, f"--token={server.user_token}", "messages", "list", "--account-id", "1",
         "--conversation-id", "17"]
    )  # fmt: skip

    assert status == 130
    assert capsys.readouterr().err == "chatwoot-client: interrupted\n"


def test_main_module_runs_the_command_line_in_this_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["chatwoot-client", "--help"])

    with pytest.raises(SystemExit) as exited:
        runpy.run_module("chatwoot_client", run_name="__main__")

    assert exited.value.code == 0
    assert "usage: chatwoot-client" in capsys.readouterr().out
