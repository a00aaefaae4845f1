"""Fixtures: a fresh MockChatwootServer per test on 127.0.0.1, clients built on it, and a guard that refuses
any connection beyond loopback."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any, Iterator, List

import pytest
from _constants import ACCOUNT_ID as ACCOUNT_ID  # re-exported: test modules import them from conftest
from _constants import API_CONVERSATION_ID as API_CONVERSATION_ID
from _constants import WIDGET_CONVERSATION_ID as WIDGET_CONVERSATION_ID

import chatwoot_client
from chatwoot_client import rest
from chatwoot_client.testing import MockChatwootServer


def _is_loopback(address: Any) -> bool:
    if isinstance(address, tuple) and address:
        host = address[0]
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False
    return True  # unix sockets and the like never leave the machine


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse any connection to an address beyond loopback."""
    real_connect = socket.socket.connect

    def guarded_connect(self: socket.socket, address: Any) -> Any:
        if not _is_loopback(address):
            raise ConnectionRefusedError(f"tests may only connect to loopback, not {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture(autouse=True)
def backoff_sleeps(monkeypatch: pytest.MonkeyPatch) -> List[float]:
    """Record the SDK's backoff waits instead of sleeping them."""
    sleeps: List[float] = []
    monkeypatch.setattr(rest, "_sleep", sleeps.append)
    return sleeps


@pytest.fixture
def clients() -> Iterator[List[chatwoot_client.ApiClient]]:
    """ApiClients a test makes for its own servers (append them): each is closed after the test."""
    made: List[chatwoot_client.ApiClient] = []
    yield made
    for client in made:
        client.close()


@pytest.fixture
def server() -> Iterator[MockChatwootServer]:
    with MockChatwootServer() as mock:
        yield mock


def make_configuration(server: MockChatwootServer, token: str) -> chatwoot_client.Configuration:
    configuration = chatwoot_client.Configuration(host=server.url)
    configuration.api_key["api_access_token"] = token
    configuration.timeout = (2.0, 5.0)
    return configuration


@pytest.fixture
def api_client(server: MockChatwootServer) -> Iterator[chatwoot_client.ApiClient]:
    with chatwoot_client.ApiClient(make_configuration(server, server.user_token)) as client:
        yield client


@pytest.fixture
def api(api_client: chatwoot_client.ApiClient) -> chatwoot_client.MessagesApi:
    return chatwoot_client.MessagesApi(api_client)


@pytest.fixture
def bot_api(server: MockChatwootServer) -> Iterator[chatwoot_client.MessagesApi]:
    with chatwoot_client.ApiClient(make_configuration(server, server.bot_token)) as client:
        yield chatwoot_client.MessagesApi(client)


@pytest.fixture
def new_api() -> Iterator[Any]:
    """Build a MessagesApi on a new ApiClient for a configuration; every client is closed at teardown."""
    clients: List[chatwoot_client.ApiClient] = []

    def build(configuration: chatwoot_client.Configuration) -> chatwoot_client.MessagesApi:
        clients.append(chatwoot_client.ApiClient(configuration))
        return chatwoot_client.MessagesApi(clients[-1])

    yield build
    for client in clients:
        client.close()
