"""rest against its documented numbers and texts, written out here rather than read from rest's constants (a test
that reads the constant it checks cannot see it change): backoff 0.5 s doubling to 8 s, shortened by up to a
quarter; Retry-After up to 60 s; answers up to 64 MiB; redirect bodies up to 64 KiB read to keep the connection;
the five redirect statuses; what is retried; the debug log lines; and the text of each connection error."""

from __future__ import annotations

import logging
import re
import ssl
from typing import Any, List, Optional

import pytest
import trustme
import urllib3
from _constants import EMPTY_PAGE, MESSAGES_PATH
from _loopback import LoopbackServer, answer, wait_for
from urllib3.util.retry import RequestHistory

import chatwoot_client
from chatwoot_client import exceptions, rest

TOKEN = "tok-rest-contract"
MIB = 1024 * 1024
MESSAGE = b'{"id": 4, "content": "hi", "message_type": 1, "conversation_id": 17, "status": "read"}'
NO_POOL: Any = None


def _api(clients: List[chatwoot_client.ApiClient], url: str, retries: Any = None) -> chatwoot_client.MessagesApi:
    configuration = chatwoot_client.Configuration(host=url, api_key={"api_access_token": TOKEN}, retries=retries)
    configuration.timeout = (1.0, 2.0)
    clients.append(chatwoot_client.ApiClient(configuration))
    return chatwoot_client.MessagesApi(clients[-1])


# -- backoff -----------------------------------------------------------------------------------------------------


def _waits(attempts: int, draws: int = 300) -> List[float]:
    history = tuple(RequestHistory("GET", "/x", None, 503, None) for _ in range(attempts))
    policy = rest._retry_policy(None).new(history=history)
    return [policy.get_backoff_time() for _ in range(draws)]


@pytest.mark.parametrize(("attempts", "longest"), [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0), (6, 8.0)])
def test_backoff_doubles_from_half_a_second_to_eight_shortened_by_up_to_a_quarter(
    attempts: int, longest: float
) -> None:
    waits = _waits(attempts)

    assert all(longest * 0.75 <= wait <= longest for wait in waits)
    assert min(waits) < longest * 0.78  # the whole quarter is used, not a smaller fraction
    assert max(waits) > longest * 0.97


# -- Retry-After -------------------------------------------------------------------------------------------------


def test_retry_after_of_sixty_seconds_is_waited(
    clients: List[chatwoot_client.ApiClient], backoff_sleeps: List[float]
) -> None:
    throttled = answer("429 Too Many Requests", b"", ["Retry-After: 60"])
    with LoopbackServer([throttled, answer(body=EMPTY_PAGE)]) as server:
        _api(clients, server.url).list_all_messages(1, 17)

    assert backoff_sleeps == [60.0]
    assert len(server.requests) == 2


def test_retry_after_over_sixty_seconds_hands_the_answer_to_the_caller(
    clients: List[chatwoot_client.ApiClient], backoff_sleeps: List[float]
) -> None:
    throttled = answer("429 Too Many Requests", b'{"error": "slow down"}', ["Retry-After: 61"])
    with (
        LoopbackServer([throttled, answer(body=EMPTY_PAGE)]) as server,
        pytest.raises(exceptions.TooManyRequestsException) as info,
    ):
        _api(clients, server.url).list_all_messages(1, 17)

    assert (info.value.status, info.value.retry_after, backoff_sleeps) == (429, 61.0, [])
    assert len(server.requests) == 1


def test_retry_after_on_a_413_is_honoured_for_a_get(
    clients: List[chatwoot_client.ApiClient], backoff_sleeps: List[float]
) -> None:
    with LoopbackServer([answer("413 Content Too Large", b"", ["Retry-After: 2"]), answer(body=EMPTY_PAGE)]) as server:
        _api(clients, server.url).list_all_messages(1, 17)

    assert backoff_sleeps == [2.0]


def test_update_is_retried_like_a_get(clients: List[chatwoot_client.ApiClient], backoff_sleeps: List[float]) -> None:
    with LoopbackServer([answer("503 Service Unavailable", b""), answer(body=MESSAGE)]) as server:
        _api(clients, server.url).update_a_message(chatwoot_client.MessageStatusUpdate(status="read"), 1, 17, 4)

    assert [request.split(b" ")[0] for request in server.requests] == [b"PATCH", b"PATCH"]


# -- the size of an answer ---------------------------------------------------------------------------------------


def test_answer_declaring_more_than_64_mib_is_refused_before_reading(clients: List[chatwoot_client.ApiClient]) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % (64 * MIB + 1)
    with LoopbackServer([head]) as server, pytest.raises(exceptions.ApiException) as info:
        _api(clients, server.url, retries=0).list_all_messages(1, 17)

    assert str(info.value).startswith("(200) Answer too large: more than 67108864 bytes")


def test_answer_declaring_exactly_64_mib_is_read(clients: List[chatwoot_client.ApiClient]) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n{}" % (64 * MIB)
    with LoopbackServer([head]) as server, pytest.raises(exceptions.ApiConnectionError) as info:
        _api(clients, server.url, retries=0).list_all_messages(1, 17)

    assert "Connection lost before an answer" in str(info.value)  # it read, and the body broke off


def _chunked(*chunks: bytes, keep_alive: bool = False) -> bytes:
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks) + b"0\r\n\r\n"
    return (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
        + (b"" if keep_alive else b"Connection: close\r\n")
        + (b"\r\n" + body)
    )


def test_chunked_answer_is_joined_from_its_chunks(clients: List[chatwoot_client.ApiClient]) -> None:
    with LoopbackServer([_chunked(b'{"meta": {}, ', b'"payload": [{"id": 3}', b"]}")]) as server:
        page = _api(clients, server.url).list_all_messages(1, 17)

    assert [message.id for message in page.payload or []] == [3]


@pytest.mark.parametrize(("size", "refused"), [(27, False), (28, True)])
def test_chunked_answer_is_limited_to_the_largest_answer_size(
    clients: List[chatwoot_client.ApiClient], monkeypatch: pytest.MonkeyPatch, size: int, refused: bool
) -> None:
    monkeypatch.setattr(rest, "MAX_ANSWER_SIZE", 27)
    body = (b'{"meta": {}, "payload": []}' + b" " * 10)[:size]
    with LoopbackServer([_chunked(body[:10], body[10:])]) as server:
        api = _api(clients, server.url, retries=0)
        if refused:
            with pytest.raises(exceptions.ApiException, match="Answer too large: more than 27 bytes"):
                api.list_all_messages(1, 17)
        else:
            assert api.list_all_messages(1, 17).payload == []


def test_connection_of_a_refused_answer_is_closed(
    clients: List[chatwoot_client.ApiClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rest, "MAX_ANSWER_SIZE", 5)
    with LoopbackServer([_chunked(b"0123456789", keep_alive=True)] * 2, close_after=False) as server:
        with pytest.raises(exceptions.ApiException, match="Answer too large"):
            _api(clients, server.url, retries=0).list_all_messages(1, 17)

        assert wait_for(lambda: server.closed_by_client == 1)


def test_connection_of_a_broken_answer_is_closed(clients: List[chatwoot_client.ApiClient]) -> None:
    broken = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"
    with LoopbackServer([broken] * 2, close_after=False) as server:
        with pytest.raises(exceptions.ApiConnectionError):
            _api(clients, server.url, retries=0).list_all_messages(1, 17)

        assert wait_for(lambda: server.closed_by_client == 1)


# -- statuses ----------------------------------------------------------------------------------------------------


def test_status_299_is_a_success(clients: List[chatwoot_client.ApiClient]) -> None:
    with LoopbackServer([answer("299 Fine", EMPTY_PAGE)] * 2) as server:
        api = _api(clients, server.url)
        assert api.list_all_messages(1, 17).payload == []
        raw: Any = api.list_all_messages(1, 17, _preload_content=False)
    assert raw.status == 299


@pytest.mark.parametrize("preload", [True, False])
def test_status_300_without_a_location_is_an_error(clients: List[chatwoot_client.ApiClient], preload: bool) -> None:
    with (
        LoopbackServer([answer("300 Multiple Choices", b"pick one")]) as server,
        pytest.raises(exceptions.ApiException) as info,
    ):
        _api(clients, server.url).list_all_messages(1, 17, _preload_content=preload)
    assert info.value.status == 300


# -- redirects ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["301 Moved Permanently", "302 Found", "303 See Other", "307 Temporary", "308 Perm"])
def test_each_redirect_status_on_the_same_origin_is_followed(
    clients: List[chatwoot_client.ApiClient], status: str
) -> None:
    with LoopbackServer([answer(status, b"", ["Location: /moved"]), answer(body=EMPTY_PAGE)]) as server:
        _api(clients, server.url).list_all_messages(1, 17)

    assert [request.split(b" ")[1] for request in server.requests] == [MESSAGES_PATH.encode(), b"/moved"]


def test_unknown_3xx_with_a_location_is_not_followed(clients: List[chatwoot_client.ApiClient]) -> None:
    with (
        LoopbackServer([answer("304 Not Modified", b"", ["Location: /moved"])]) as server,
        pytest.raises(exceptions.ApiException) as info,
    ):
        _api(clients, server.url).list_all_messages(1, 17)
    assert info.value.status == 304
    assert len(server.requests) == 1


@pytest.mark.parametrize(("body_size", "connections"), [(0, 1), (64 * 1024, 1), (64 * 1024 + 1, 2)])
def test_redirect_body_up_to_64_kib_is_read_to_keep_the_connection(
    clients: List[chatwoot_client.ApiClient], body_size: int, connections: int
) -> None:
    redirect = answer("302 Found", b"r" * body_size, ["Location: /moved"], keep_alive=True)
    with LoopbackServer([redirect, answer(body=EMPTY_PAGE)], close_after=False) as server:
        _api(clients, server.url).list_all_messages(1, 17)

    assert (server.accepted, len(server.requests)) == (connections, 2)


def test_redirect_text_names_the_target(clients: List[chatwoot_client.ApiClient]) -> None:
    with (
        LoopbackServer([answer("302 Found", b"", ["Location: http://127.0.0.2:9/x"])]) as server,
        pytest.raises(exceptions.ApiException) as info,
    ):
        _api(clients, server.url).list_all_messages(1, 17)
    assert str(info.value).startswith("(302) Redirect to http://127.0.0.2:9/x not followed")


def test_too_many_redirects_text_names_the_last_target(clients: List[chatwoot_client.ApiClient]) -> None:
    hops = [answer("302 Found", b"", [f"Location: /hop{index}"], keep_alive=True) for index in range(6)]
    with LoopbackServer(hops, close_after=False) as server, pytest.raises(exceptions.ApiException) as info:
        _api(clients, server.url).list_all_messages(1, 17)
    assert str(info.value).startswith(f"(302) Too many redirects, the last to {server.url}/hop5")


@pytest.mark.parametrize("target", ["http://@{host}/x", "http://{host_only}:0/x"])
def test_redirect_to_a_target_with_an_empty_user_or_port_zero_is_not_followed(
    clients: List[chatwoot_client.ApiClient], target: str
) -> None:
    with LoopbackServer([b"", answer(body=EMPTY_PAGE)]) as server:
        host = server.url.split("//", 1)[1]
        location = target.format(host=host, host_only=host.split(":")[0])
        server.answers[0] = answer("302 Found", b"", [f"Location: {location}"])
        with pytest.raises(exceptions.ApiException, match="not followed"):
            _api(clients, server.url).list_all_messages(1, 17)
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("origin", "target", "same"),
    [
        ("http://[::1]:8080/a", "http://[::1]:8080/b", True),
        ("http://127.0.0.1:1/a", "http://127.0.0.1:1/b", True),
        ("http://exa mple.test/a", "http://example.test/b", False),
        ("http://example.test/a", "http://exa mple.test/b", False),
    ],
)
def test_same_origin_of_ipv6_low_ports_and_unreadable_urls(origin: str, target: str, same: bool) -> None:
    assert rest._same_origin(origin, target) is same


# -- TLS errors are not retried ------------------------------------------------------------------------------------


def test_tls_failure_is_not_retried(clients: List[chatwoot_client.ApiClient]) -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert("127.0.0.1").configure_cert(context)  # from an authority the client does not trust
    with LoopbackServer([answer(body=EMPTY_PAGE)] * 4, tls=context) as server:
        with pytest.raises(exceptions.ApiConnectionError, match=r"^\(0\) TLS error: "):
            _api(clients, server.url).list_all_messages(1, 17)
        assert wait_for(lambda: server.accepted >= 1)
    assert server.accepted == 1


# -- per-call timeouts ---------------------------------------------------------------------------------------------


def test_connect_and_read_timeouts_are_passed_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    client = rest.RESTClientObject(chatwoot_client.Configuration(host="http://127.0.0.1:9"))
    seen: List[urllib3.Timeout] = []

    def urlopen(*args: Any, **kwargs: Any) -> Any:
        seen.append(kwargs["timeout"])
        raise urllib3.exceptions.NewConnectionError(NO_POOL, "refused")

    monkeypatch.setattr(client.pool_manager, "urlopen", urlopen)
    with pytest.raises(exceptions.ApiConnectionError):
        client.request("GET", "http://127.0.0.1:9/x", {}, None, (1.5, 7.0))

    assert (seen[0].connect_timeout, seen[0].read_timeout) == (1.5, 7.0)


# -- the text of each connection error ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (urllib3.exceptions.ReadTimeoutError(NO_POOL, "/", "read timed out"), "(0) Timed out: "),
        (urllib3.exceptions.SSLError("certificate verify failed"), "(0) TLS error: certificate verify failed"),
        (urllib3.exceptions.NewConnectionError(NO_POOL, "refused"), "(0) Connection failed: "),
        (urllib3.exceptions.ProtocolError("Connection aborted."), "(0) Connection lost before an answer: "),
        (ValueError("bad chunk"), "(0) Unreadable answer: ValueError: bad chunk"),
        (OverflowError("huge"), "(0) Unreadable answer: OverflowError: huge"),
        (ConnectionResetError("reset"), "(0) Connection error: reset"),
        (urllib3.exceptions.ProxyError("proxy said no", NO_POOL), "(0) Connection error: "),
    ],
)
def test_each_connection_error_has_its_own_text(monkeypatch: pytest.MonkeyPatch, error: Exception, text: str) -> None:
    client = rest.RESTClientObject(chatwoot_client.Configuration(host="http://127.0.0.1:9"))

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise error

    monkeypatch.setattr(client.pool_manager, "urlopen", fail)
    with pytest.raises(exceptions.ApiConnectionError) as info:
        client.request("GET", "http://127.0.0.1:9/x", {}, None, 1.0)

    assert str(info.value).startswith(text)
    if isinstance(error, urllib3.exceptions.ProxyError):
        assert "proxy said no" in str(info.value)


def test_watchdog_timeout_after_a_plain_body_has_its_text(
    clients: List[chatwoot_client.ApiClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rest.WATCHDOG, "expired", lambda: True)
    with LoopbackServer([answer(body=EMPTY_PAGE)]) as server, pytest.raises(exceptions.ApiTimeoutError) as info:
        _api(clients, server.url, retries=0).list_all_messages(1, 17)

    assert str(info.value) == "(0) Timed out: the answer did not arrive within the read timeout"


def test_watchdog_timeout_after_a_chunked_body_has_its_text(
    clients: List[chatwoot_client.ApiClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rest.WATCHDOG, "expired", lambda: True)
    with LoopbackServer([_chunked(EMPTY_PAGE)]) as server, pytest.raises(exceptions.ApiTimeoutError) as info:
        _api(clients, server.url, retries=0).list_all_messages(1, 17)

    assert str(info.value) == "(0) Timed out: the answer did not arrive within the read timeout"


# -- debug log lines ---------------------------------------------------------------------------------------------

_DONE = re.compile(r"^GET (\S+) -> (\d+) in (\d+) ms \(attempt (\d+)\)$")


def _lines(caplog: pytest.LogCaptureFixture) -> List[str]:
    return [record.getMessage() for record in caplog.records if record.name == "chatwoot_client.rest"]


def _done(caplog: pytest.LogCaptureFixture) -> Optional[re.Match[str]]:
    return next((match for match in map(_DONE.match, _lines(caplog)) if match), None)


def test_debug_lines_name_each_failed_attempt_and_the_answer(
    clients: List[chatwoot_client.ApiClient], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="chatwoot_client")
    unavailable = answer("503 Service Unavailable", b"")
    with LoopbackServer([unavailable, answer(body=EMPTY_PAGE)], trickle=0.0005) as server:
        _api(clients, server.url).list_all_messages(1, 17, before=5)

    path = f"{MESSAGES_PATH}?before=5"
    assert f"GET {path} attempt 1 failed: status 503" in _lines(caplog)
    done = _done(caplog)
    assert done is not None and (done.group(1), done.group(2), done.group(4)) == (path, "200", "2")
    assert 20 <= int(done.group(3)) < 60_000  # the answers trickled for tens of ms; never a clock's raw value


def test_debug_line_of_a_first_attempt_and_of_a_connection_error(
    clients: List[chatwoot_client.ApiClient], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="chatwoot_client")
    with LoopbackServer([b"", answer(body=EMPTY_PAGE)]) as server:  # the first connection closes without a word
        _api(clients, server.url).list_all_messages(1, 17)

    failed = [line for line in _lines(caplog) if " attempt 1 failed: " in line]
    assert failed and failed[0].startswith(f"GET {MESSAGES_PATH} attempt 1 failed: ")
    assert "status" not in failed[0] and "no answer" not in failed[0]  # the error itself is named
    done = _done(caplog)
    assert done is not None and done.group(4) == "2"
