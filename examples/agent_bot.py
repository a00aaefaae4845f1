"""An agent bot backend on the standard library's http.server: Chatwoot posts each new message of the bot's
inboxes here, signed; the bot checks the signature, drops redeliveries and echoes each incoming message back
through the Messages API.

Run it with the bot's access token and secret, then set the bot's outgoing URL to http://<this host>:8000/::

    CHATWOOT_BASE_URL=https://chat.example.com CHATWOOT_API_ACCESS_TOKEN=<bot token> \\
    CHATWOOT_BOT_SECRET=<bot secret> python examples/agent_bot.py --port 8000

To try it without a Chatwoot server, serve the mock server, which posts the webhooks to the bot::

    chatwoot-client mock-server --port 3000 --agent-bot-url http://127.0.0.1:8000/

then, in a second shell, run the bot with the bot_token and bot_secret it printed::

    CHATWOOT_BASE_URL=http://127.0.0.1:3000 CHATWOOT_API_ACCESS_TOKEN=<bot_token> \\
    CHATWOOT_BOT_SECRET=<bot_secret> python examples/agent_bot.py --port 8000

and, in a third, send a message as the contact with the user_token, and list the echo::

    export CHATWOOT_BASE_URL=http://127.0.0.1:3000 CHATWOOT_API_ACCESS_TOKEN=<user_token>
    chatwoot-client messages send --account-id 1 --conversation-id 17 --incoming --content "Where is my parcel?"
    chatwoot-client messages list --account-id 1 --conversation-id 17

Chatwoot also posts the bot's own replies back to it as ``message_created`` (outgoing) webhooks; the bot answers
only incoming messages, so it never replies to itself.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import List, Mapping, Optional, Type

import chatwoot_client
from chatwoot_client.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, parse_event, verify_signature

MAX_BODY_BYTES = 1024 * 1024  # a webhook is a few kilobytes; refuse anything far larger unread
REMEMBERED_DELIVERIES = 10_000  # delivery ids kept to recognise redeliveries, oldest forgotten first


class EchoBot:
    """Answers each incoming message with its echo. Safe to use from the server's many handler threads."""

    def __init__(self, api: chatwoot_client.MessagesApi, secret: str) -> None:
        self.api = api
        self.secret = secret
        self._seen: collections.OrderedDict[str, None] = collections.OrderedDict()
        self._lock = threading.Lock()

    def handle(self, body: bytes, headers: Mapping[str, str]) -> int:
        """Handle one delivery and return the HTTP status to answer it with."""
        lowered = {name.lower(): value for name, value in headers.items()}
        signature, timestamp = lowered.get(SIGNATURE_HEADER.lower()), lowered.get(TIMESTAMP_HEADER.lower())
        if not verify_signature(self.secret, body, signature, timestamp):
            return 401
        try:
            event = parse_event(body, lowered)
        except ValueError:
            return 400
        # Only incoming messages: the bot's own replies come back as outgoing ones, and answering them would loop.
        wanted = event.event == "message_created" and event.message_type == "incoming" and not event.private
        if not wanted or event.account_id is None or event.conversation_id is None:
            return 200
        if event.delivery_id is not None and not self._first_delivery(event.delivery_id):
            return 200  # already answered: Chatwoot redelivers when it missed our 200
        reply = {"content": f"You said: {event.content}" if event.content else "Thanks, I got your files."}
        try:
            self.api.create_a_new_message_in_a_conversation(reply, event.account_id, event.conversation_id)
        except chatwoot_client.ApiException:
            if event.delivery_id is not None:
                with self._lock:
                    self._seen.pop(event.delivery_id, None)  # let Chatwoot's redelivery try again
            return 502
        return 200

    def _first_delivery(self, delivery_id: str) -> bool:
        """Remember a delivery id; False when it was already seen."""
        with self._lock:
            if delivery_id in self._seen:
                return False
            self._seen[delivery_id] = None
            while len(self._seen) > REMEMBERED_DELIVERIES:
                self._seen.popitem(last=False)
            return True


def make_handler(bot: EchoBot) -> Type[BaseHTTPRequestHandler]:
    """The request handler class that feeds POSTed webhooks to ``bot``."""

    class WebhookHandler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = self.headers.get("Content-Length", "")
            if not length.isdigit() or int(length) > MAX_BODY_BYTES:
                self._answer(413 if length.isdigit() else 411)
                return
            body = self.rfile.read(int(length))
            self._answer(bot.handle(body, dict(self.headers.items())))

        def _answer(self, status: int) -> None:
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return WebhookHandler


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="An echo agent bot for Chatwoot.")
    parser.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000)
    arguments = parser.parse_args(argv)
    secret = os.environ.get("CHATWOOT_BOT_SECRET", "")
    if not secret:
        print("error: set CHATWOOT_BOT_SECRET to the agent bot's secret", file=sys.stderr)
        return 2
    with chatwoot_client.ApiClient(chatwoot_client.Configuration.from_env()) as api_client:
        bot = EchoBot(chatwoot_client.MessagesApi(api_client), secret)
        try:
            httpd = ThreadingHTTPServer((arguments.host, arguments.port), make_handler(bot))
        except OSError as error:  # the port is taken, or the address is not this machine's
            print(f"error: cannot listen on {arguments.host}:{arguments.port}: {error.strerror}", file=sys.stderr)
            return 1
        with httpd:
            print(f"Listening on http://{arguments.host}:{httpd.server_address[1]}/ (Ctrl-C to stop)", flush=True)
            try:
                httpd.serve_forever()
            except KeyboardInterrupt:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
