"""One ApiClient shared by many threads: nothing lost, nothing sent twice, connections reused."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Iterator

import pytest

import chatwoot_client
from chatwoot_client.testing import MockChatwootServer
from conftest import ACCOUNT_ID, API_CONVERSATION_ID

THREADS = 16
MESSAGES = 400


@pytest.fixture
def server() -> Iterator[MockChatwootServer]:
    """A mock server without the flood guard: 400 creates in one conversation within a minute are past a real
    server's default limit of 200, and this test measures the client, not the guard."""
    with MockChatwootServer(message_rate_limit=None) as mock:
        yield mock


def test_sixteen_threads_create_four_hundred_messages_exactly_once(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)

    def create(number: int) -> Any:
        return api.create_a_new_message_in_a_conversation(
            {"content": f"load {number}"}, ACCOUNT_ID, API_CONVERSATION_ID
        ).id

    with ThreadPoolExecutor(THREADS) as pool:
        ids = list(pool.map(create, range(MESSAGES)))

    stored = server.messages(ACCOUNT_ID, API_CONVERSATION_ID)
    assert sorted(ids) == [message["id"] for message in stored]
    assert sorted(message["content"] for message in stored) == sorted(f"load {n}" for n in range(MESSAGES))
    assert len(server.requests) == MESSAGES
    assert server.connections_opened <= THREADS
    assert "Connection pool is full" not in caplog.text


def test_eight_threads_with_the_default_pool_never_discard_connections(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)

    with ThreadPoolExecutor(8) as pool:
        pages = list(pool.map(lambda _: api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID), range(200)))

    assert len(pages) == 200
    assert server.connections_opened <= 8
    assert "Connection pool is full" not in caplog.text
