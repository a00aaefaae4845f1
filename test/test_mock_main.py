"""``python -m chatwoot_client.testing``: the command line server."""

from __future__ import annotations

import http.client
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import List, Optional

import pytest
from _mock_http import (
    MESSAGES,
)

from chatwoot_client.testing.__main__ import main

# --- python -m chatwoot_client.testing -------------------------------------------------------------------------


def test_main_answers_1_when_the_port_is_taken(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert main(["--port", str(taken.getsockname()[1])]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("error: cannot serve on port")


def test_main_in_process_prints_the_four_lines_and_stops_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    stop = threading.Event()
    stop.set()
    assert main(["--port", "0"], stop=stop) == 0
    keys = [line.split(": ", 1)[0] for line in capsys.readouterr().out.splitlines()]
    assert keys == ["url", "user_token", "bot_token", "bot_secret"]


def test_main_serves_until_stop_is_set(capsys: pytest.CaptureFixture[str]) -> None:
    class SetOnSecondWait(threading.Event):
        def wait(self, timeout: Optional[float] = None) -> bool:
            if not self.is_set() and not hasattr(self, "waited"):
                self.waited = True
                return False
            self.set()
            return True

    assert main([], stop=SetOnSecondWait()) == 0


def test_main_on_another_thread_leaves_signals_alone(capsys: pytest.CaptureFixture[str]) -> None:
    stop = threading.Event()
    stop.set()
    results: List[int] = []
    thread = threading.Thread(target=lambda: results.append(main([], stop=stop)))
    thread.start()
    thread.join(5)
    assert results == [0]


def test_main_exits_0_on_sigterm_and_restores_the_handler(capsys: pytest.CaptureFixture[str]) -> None:
    class TerminatedWhileWaiting(threading.Event):
        def wait(self, timeout: Optional[float] = None) -> bool:
            if not self.is_set():
                signal.raise_signal(signal.SIGTERM)  # main's handler is installed by now; it sets the event
            return self.is_set()

    before = signal.getsignal(signal.SIGTERM)
    assert main([], stop=TerminatedWhileWaiting()) == 0
    assert signal.getsignal(signal.SIGTERM) is before


def test_main_exits_0_on_ctrl_c(capsys: pytest.CaptureFixture[str]) -> None:
    class Interrupted(threading.Event):
        def wait(self, timeout: Optional[float] = None) -> bool:
            raise KeyboardInterrupt

    assert main([], stop=Interrupted()) == 0
    assert capsys.readouterr().out.startswith("url: http://127.0.0.1:")


def test_module_entry_point_prints_the_four_lines_and_serves() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "chatwoot_client.testing", "--port", "0"],
        cwd=Path(__file__).resolve().parents[1],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    stdout, stderr = process.stdout, process.stderr
    assert stdout is not None and stderr is not None

    def read_lines() -> None:
        for line in stdout:
            lines.put(line)

    reader = threading.Thread(target=read_lines, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 5
        values = {}
        for _ in range(4):
            key, _, value = lines.get(timeout=max(0.01, deadline - time.monotonic())).strip().partition(": ")
            values[key] = value
        assert set(values) == {"url", "user_token", "bot_token", "bot_secret"}
        port = int(values["url"].rsplit(":", 1)[1])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", MESSAGES, headers={"api_access_token": values["user_token"]})
            assert connection.getresponse().status == 200
        finally:
            connection.close()
    finally:
        process.terminate()
        process.wait(timeout=5)
        reader.join(2)
        errors = stderr.read()
        stdout.close()
        stderr.close()
    assert process.returncode == 0 and errors == ""
