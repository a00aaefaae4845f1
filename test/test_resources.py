"""Resources seen from outside: connections closed as the server sees them, backoff jitter drawn at random within
its bounds, and the cause of a proxy failure handed to the caller."""

from __future__ import annotations

import socket
from typing import Iterator, List

import pytest
import urllib3
from _constants import EMPTY_PAGE as PAGE
from _loopback import LoopbackServer, answer, wait_for
from urllib3.util.retry import RequestHistory

import chatwoot_client
from chatwoot_client import rest

TOKEN = "tok-resources"
DRAWS = 400


def _configuration(url: str) -> chatwoot_client.Configuration:
    configuration = chatwoot_client.Configuration(host=url, api_key={"api_access_token": TOKEN}, retries=0)
    configuration.timeout = (1.0, 2.0)
    return configuration


@pytest.fixture
def keep_alive_server() -> Iterator[LoopbackServer]:
    """Answers one call on a kept-alive connection, then waits on it for a second request that never comes."""
    with LoopbackServer([answer(body=PAGE, keep_alive=True)] * 2, close_after=False) as server:
        yield server


def _open_connection(client: chatwoot_client.ApiClient, server: LoopbackServer) -> None:
    chatwoot_client.MessagesApi(client).list_all_messages(1, 17)
    assert wait_for(lambda: len(server.requests) == 1)
    assert (server.accepted, server.closed_by_client) == (1, 0)


def test_close_closes_the_pooled_connection(keep_alive_server: LoopbackServer) -> None:
    client = chatwoot_client.ApiClient(_configuration(keep_alive_server.url))
    _open_connection(client, keep_alive_server)

    client.close()

    assert wait_for(lambda: keep_alive_server.closed_by_client == 1)


def test_leaving_the_context_manager_closes_the_pooled_connection(keep_alive_server: LoopbackServer) -> None:
    with chatwoot_client.ApiClient(_configuration(keep_alive_server.url)) as client:
        _open_connection(client, keep_alive_server)

    assert wait_for(lambda: keep_alive_server.closed_by_client == 1)


def test_connection_is_kept_between_calls(keep_alive_server: LoopbackServer) -> None:
    with chatwoot_client.ApiClient(_configuration(keep_alive_server.url)) as client:
        api = chatwoot_client.MessagesApi(client)
        api.list_all_messages(1, 17)
        api.list_all_messages(1, 17)

        assert (keep_alive_server.accepted, len(keep_alive_server.requests)) == (1, 2)


def _backoff_after(attempts: int) -> float:
    history = tuple(RequestHistory("GET", "/x", None, 503, None) for _ in range(attempts))
    return rest._retry_policy(None).new(history=history).get_backoff_time()


@pytest.mark.parametrize(("attempts", "bound"), [(1, 0.5), (2, 1.0), (3, 2.0), (9, rest.BACKOFF_MAX)])
def test_backoff_jitter_is_random_within_its_bounds(attempts: int, bound: float) -> None:
    waits = [_backoff_after(attempts) for _ in range(DRAWS)]

    assert all(bound * (1 - rest.BACKOFF_JITTER) <= wait <= bound for wait in waits)
    assert len(set(waits)) > DRAWS // 2
    # Spread over the range: some in its lower and some in its upper quarter.
    low, high = bound * (1 - rest.BACKOFF_JITTER), bound
    quarter = (high - low) / 4
    assert any(wait < low + quarter for wait in waits)
    assert any(wait > high - quarter for wait in waits)


@pytest.fixture
def dead_proxy() -> Iterator[str]:
    """The URL of a loopback port that refuses connections: bound, never listening."""
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{placeholder.getsockname()[1]}"


def test_proxy_failure_hands_its_cause_to_the_caller(dead_proxy: str, backoff_sleeps: List[float]) -> None:
    configuration = _configuration("http://127.0.0.2:9")
    configuration.proxy = dead_proxy
    with chatwoot_client.ApiClient(configuration) as client, pytest.raises(chatwoot_client.ApiConnectionError) as info:
        chatwoot_client.MessagesApi(client).list_all_messages(1, 17)

    error = info.value
    assert str(error).startswith("(0) Connection failed: ")  # the proxy's own failure, not urllib3's wrapper
    cause = error.__cause__
    assert isinstance(cause, urllib3.exceptions.MaxRetryError)
    assert isinstance(cause.reason, urllib3.exceptions.ProxyError)
    assert isinstance(cause.reason.original_error, urllib3.exceptions.NewConnectionError)
