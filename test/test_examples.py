"""The examples run end to end against the mock server: the echo agent bot and the send_message script."""

from __future__ import annotations

import importlib.util
import json
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any, Iterator, List

import pytest
from _constants import ACCOUNT_ID
from _constants import API_CONVERSATION_ID as CONVERSATION_ID

import chatwoot_client
from chatwoot_client.testing import MockChatwootServer, sign_webhook

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def load_example(name: str) -> ModuleType:
    """Import examples/<name>.py (the examples folder is not a package)."""
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


agent_bot = load_example("agent_bot")
send_message = load_example("send_message")


@pytest.fixture
def bot(server: MockChatwootServer, bot_api: chatwoot_client.MessagesApi) -> Iterator[Any]:
    """The echo bot, served on 127.0.0.1 and set as the mock server's agent bot URL."""
    echo_bot = agent_bot.EchoBot(bot_api, server.bot_secret)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), agent_bot.make_handler(echo_bot))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    server.agent_bot_url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    yield echo_bot
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def incoming(content: str) -> chatwoot_client.ConversationMessageCreate:
    return chatwoot_client.ConversationMessageCreate(content=content, message_type="incoming")


def contents(server: MockChatwootServer) -> List[Any]:
    return [message["content"] for message in server.messages(ACCOUNT_ID, CONVERSATION_ID)]


def test_agent_bot_echoes_an_incoming_message(
    server: MockChatwootServer, api: chatwoot_client.MessagesApi, bot: Any
) -> None:
    api.create_a_new_message_in_a_conversation(incoming("Where is my parcel?"), ACCOUNT_ID, CONVERSATION_ID)
    server.wait_for_webhooks(2)  # the incoming message, then the bot's reply
    assert contents(server) == ["Where is my parcel?", "You said: Where is my parcel?"]
    assert server.messages(ACCOUNT_ID, CONVERSATION_ID)[1]["sender"]["type"] == "agent_bot"


def test_agent_bot_ignores_its_own_reply_coming_back_as_a_webhook(
    server: MockChatwootServer, api: chatwoot_client.MessagesApi, bot: Any
) -> None:
    api.create_a_new_message_in_a_conversation(incoming("Hello"), ACCOUNT_ID, CONVERSATION_ID)
    deliveries = server.wait_for_webhooks(2)
    reply_id = server.messages(ACCOUNT_ID, CONVERSATION_ID)[1]["id"]
    own = [record for record in deliveries if record["message_id"] == reply_id]
    assert [(record["event"], record["status"]) for record in own] == [("message_created", 200)]
    # The bot answered its own reply's webhook without sending anything: no third message, no third webhook.
    assert contents(server) == ["Hello", "You said: Hello"] and len(server.webhook_deliveries) == 2


def test_agent_bot_ignores_outgoing_messages(
    server: MockChatwootServer, api: chatwoot_client.MessagesApi, bot: Any
) -> None:
    api.create_a_new_message_in_a_conversation({"content": "An agent speaking"}, ACCOUNT_ID, CONVERSATION_ID)
    (delivery,) = server.wait_for_webhooks(1)
    assert delivery["status"] == 200 and contents(server) == ["An agent speaking"]


def webhook(content: str) -> bytes:
    """A message_created payload for an incoming message, as Chatwoot sends it."""
    payload = {
        "event": "message_created",
        "id": 1,
        "content": content,
        "message_type": "incoming",
        "private": False,
        "account": {"id": ACCOUNT_ID},
        "conversation": {"id": CONVERSATION_ID},
    }
    return json.dumps(payload).encode()


def test_agent_bot_drops_a_redelivery(server: MockChatwootServer, bot: Any) -> None:
    body = webhook("Hello?")
    headers = sign_webhook(server.bot_secret, body)
    assert [bot.handle(body, headers), bot.handle(body, headers)] == [200, 200]
    assert contents(server) == ["You said: Hello?"]


def test_agent_bot_refuses_a_wrong_signature(server: MockChatwootServer, bot: Any) -> None:
    body = webhook("Hello?")
    assert bot.handle(body, sign_webhook("not-the-secret", body)) == 401
    assert contents(server) == []


def test_send_message_example_sends_and_lists(
    server: MockChatwootServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CHATWOOT_BASE_URL", server.url)
    monkeypatch.setenv("CHATWOOT_API_ACCESS_TOKEN", server.user_token)
    assert send_message.main([str(ACCOUNT_ID), str(CONVERSATION_ID), "Hello"]) == 0
    assert contents(server) == ["Hello"]
    assert capsys.readouterr().out == "Sent message 1.\nThe newest messages:\n  1: Hello\n"


def test_send_message_example_with_a_bot_token_reports_the_sent_message(
    server: MockChatwootServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CHATWOOT_BASE_URL", server.url)
    monkeypatch.setenv("CHATWOOT_API_ACCESS_TOKEN", server.bot_token)

    status = send_message.main([str(ACCOUNT_ID), str(CONVERSATION_ID), "Hello from the bot"])

    output = capsys.readouterr()
    assert (status, contents(server)) == (0, ["Hello from the bot"])
    assert output.out == "Sent message 1.\n"
    assert output.err == (
        "The newest messages cannot be shown: (401) Unauthorized: Access to this endpoint is not authorized for bots\n"
    )
    assert [request.method for request in server.requests] == ["POST", "GET"]


def test_send_message_example_reports_a_failed_create(
    server: MockChatwootServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CHATWOOT_BASE_URL", server.url)
    monkeypatch.setenv("CHATWOOT_API_ACCESS_TOKEN", "not-a-token")

    assert send_message.main([str(ACCOUNT_ID), str(CONVERSATION_ID), "Hello"]) == 1
    assert capsys.readouterr().err.startswith("error: (401) Unauthorized")
    assert contents(server) == []


def test_agent_bot_reports_a_port_it_cannot_listen_on(
    server: MockChatwootServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CHATWOOT_BASE_URL", server.url)
    monkeypatch.setenv("CHATWOOT_API_ACCESS_TOKEN", server.bot_token)
    monkeypatch.setenv("CHATWOOT_BOT_SECRET", server.bot_secret)
    taken = server.url.rsplit(":", 1)[1]  # the mock server listens there

    assert agent_bot.main(["--port", taken]) == 1
    assert capsys.readouterr().err == f"error: cannot listen on 127.0.0.1:{taken}: Address already in use\n"
