"""``python -m chatwoot_client.testing [--port N] [--agent-bot-url URL]``: serve a mock Chatwoot server until Ctrl-C.

It prints one ``key: value`` line each for url, user_token, bot_token and bot_secret, so that a
script or another process can read them.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType
from typing import Callable, List, Optional

from chatwoot_client.testing.server import MockChatwootServer


def main(argv: Optional[List[str]] = None, *, stop: Optional[threading.Event] = None) -> int:
    """Serve until Ctrl-C, SIGTERM or ``stop`` is set; return the exit status (0, or 1 when the port is taken).

    :param argv: the arguments after the program name; ``sys.argv[1:]`` when None
    :param stop: an event that ends the serving when set, for callers that run it in-process
    """
    parser = argparse.ArgumentParser(
        prog="python -m chatwoot_client.testing", description="Serve a mock Chatwoot server on 127.0.0.1."
    )
    parser.add_argument("--port", type=int, default=0, help="the port to listen on (default: a free one)")
    parser.add_argument(
        "--agent-bot-url", metavar="URL", help="post the agent bot's webhooks (signed) to URL, as Chatwoot does"
    )
    arguments = parser.parse_args(argv)
    if stop is None:
        stop = threading.Event()
    restore = _on_sigterm(stop)
    try:
        server = MockChatwootServer(port=arguments.port)
        server.agent_bot_url = arguments.agent_bot_url
        server.start()
    except (OSError, ValueError) as error:
        restore()
        print(f"error: cannot serve on port {arguments.port}: {error}", file=sys.stderr)
        return 1
    try:
        print(f"url: {server.url}")
        print(f"user_token: {server.user_token}")
        print(f"bot_token: {server.bot_token}")
        print(f"bot_secret: {server.bot_secret}", flush=True)
        while not stop.wait(0.1):  # short waits keep Ctrl-C and SIGTERM responsive everywhere
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        restore()
    return 0


def _on_sigterm(stop: threading.Event) -> Callable[[], None]:
    """Make SIGTERM set ``stop`` (possible on the main thread only); return a function that undoes it."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def handle(signum: int, frame: Optional[FrameType]) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, handle)

    def restore() -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)

    return restore


__all__ = ["main"]


if __name__ == "__main__":  # pragma: no cover - runs in a subprocess in the tests
    sys.exit(main())
