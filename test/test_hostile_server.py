"""Misbehaving servers, scripted byte for byte on loopback: every answer ends in the right result or in the SDK's
own exception, within the call's time bound, and never with the token in it."""

from __future__ import annotations

import gc
import gzip
import json
import logging
import time
import traceback
import zlib
from typing import Any, List

import pytest
from _constants import EMPTY_PAGE, MESSAGES_PATH
from _loopback import LoopbackServer, answer

import chatwoot_client
from chatwoot_client import exceptions, rest

TOKEN = "tok-SECRET-7f3a"
MESSAGE = {"id": 5, "content": "hi", "message_type": 1, "conversation_id": 17}
PAGE = json.dumps({"meta": {}, "payload": [MESSAGE]}).encode()


def _api(clients: List[chatwoot_client.ApiClient], url: str, **settings: Any) -> chatwoot_client.MessagesApi:
    configuration = chatwoot_client.Configuration(host=url, api_key={"api_access_token": TOKEN})
    configuration.timeout = (1.0, 1.0)
    for name, value in settings.items():
        setattr(configuration, name, value)
    clients.append(chatwoot_client.ApiClient(configuration))
    return chatwoot_client.MessagesApi(clients[-1])


# -- time ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("retries", [0, None])
def test_a_trickled_answer_cannot_stretch_a_call_past_its_bound(
    clients: List[chatwoot_client.ApiClient], retries: Any
) -> None:
    # Each byte comes well within the socket timeout, the whole answer never within the read timeout.
    with LoopbackServer([answer(body=PAGE)] * 4, trickle=0.02) as server:
        api = _api(clients, server.url, retries=retries)
        started = time.monotonic()
        with pytest.raises(exceptions.ApiTimeoutError):
            api.list_all_messages(1, 17, _request_timeout=(1.0, 0.2))
        elapsed = time.monotonic() - started
    attempts = 1 if retries == 0 else 4
    assert elapsed < attempts * (0.2 + 0.15) + 0.5  # README: attempts x (connect + read) + backoff, plus slack
    assert len(server.requests) == attempts


def test_redirects_add_one_read_timeout_each_to_the_bound_of_a_call(clients: List[chatwoot_client.ApiClient]) -> None:
    # README: a call takes at most (retries + 1 + redirects) x (connect + read) plus backoff. Each of the five
    # same-origin redirects comes within the read timeout; the answer after them would take about 4 s.
    hops = rest.MAX_REDIRECTS
    redirect = answer("302 Found", b"", ["Location: /api/v1/accounts/1/conversations/17/messages"])
    with LoopbackServer([redirect] * hops + [answer(body=b" " * 2000)], trickle=0.002) as server:
        started = time.monotonic()
        with pytest.raises(exceptions.ApiTimeoutError):
            _api(clients, server.url, retries=0).list_all_messages(1, 17, _request_timeout=(1.0, 0.4))
        elapsed = time.monotonic() - started
    assert len(server.requests) == hops + 1
    assert elapsed < (hops + 1) * 0.4 + 0.5


def test_a_trickled_body_after_prompt_headers_is_a_timeout(clients: List[chatwoot_client.ApiClient]) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"

    def slow_body(request: bytes) -> bytes:
        return head + b" " * 1000

    with LoopbackServer([slow_body], trickle=0.002) as server:  # headers take ~0.08 s, the body 2 s
        started = time.monotonic()
        with pytest.raises(exceptions.ApiTimeoutError):
            _api(clients, server.url, retries=0).list_all_messages(1, 17, _request_timeout=(1.0, 0.3))
    assert time.monotonic() - started < 0.8


def test_an_answer_in_time_is_not_cut(clients: List[chatwoot_client.ApiClient]) -> None:
    with LoopbackServer([answer(body=PAGE)], trickle=0.0005) as server:
        page = _api(clients, server.url).list_all_messages(1, 17, _request_timeout=(1.0, 2.0))
    assert [message.id for message in page.payload or []] == [5]


# -- framing ---------------------------------------------------------------------------------------------------


def test_early_hints_before_a_create_answer_do_not_fail_the_create(clients: List[chatwoot_client.ApiClient]) -> None:
    created = json.dumps(MESSAGE).encode()
    interim = b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
    with LoopbackServer([interim + interim + answer(body=created)]) as server:
        message = _api(clients, server.url).create_a_new_message_in_a_conversation({"content": "hi"}, 1, 17)
    assert message.id == 5
    assert len(server.requests) == 1


def test_early_hints_leave_nothing_behind_on_a_kept_connection(clients: List[chatwoot_client.ApiClient]) -> None:
    interim = b"HTTP/1.1 102 Processing\r\n\r\n"
    with LoopbackServer(
        [interim + answer(body=PAGE, keep_alive=True), answer(body=EMPTY_PAGE)], close_after=False
    ) as server:
        api = _api(clients, server.url)
        first = api.list_all_messages(1, 17)
        second = api.list_all_messages(1, 17)
    assert (len(first.payload or []), len(second.payload or [])) == (1, 0)


@pytest.mark.parametrize(
    "raw",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFFFFFF\r\n{}",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nContent-Length: 5, 7\r\n\r\n{}",
        b"HTTP/1.1 2000 Way OK\r\n\r\n",
        b"HTTP/1.1 OK\r\n\r\n",
        b"SPDY/3 200 OK\r\n\r\n",
        b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(500)) + b"\r\n{}",
        b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70000 + b"\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\nnope",
        b"",
    ],
    ids=[
        "huge-length",
        "huge-chunk",
        "bad-chunk",
        "negative-length",
        "two-lengths",
        "status-2000",
        "no-status",
        "not-http",
        "500-headers",
        "long-header",
        "bad-gzip",
        "nothing",
    ],
)
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # a socket of a refused answer
def test_broken_framing_ends_in_a_result_or_an_api_exception(
    clients: List[chatwoot_client.ApiClient], raw: bytes
) -> None:
    with LoopbackServer([raw]) as server:
        try:
            result: Any = _api(clients, server.url, retries=0).list_all_messages(1, 17)
        except exceptions.ApiException as error:
            result = error
    # Read to the connection's close, a body without a usable length is still the whole answer.
    assert isinstance(result, exceptions.ApiException) or result.payload is None


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_an_answer_that_inflates_past_the_limit_is_refused(
    clients: List[chatwoot_client.ApiClient], monkeypatch: pytest.MonkeyPatch, encoding: str
) -> None:
    monkeypatch.setattr(rest, "MAX_ANSWER_SIZE", 1024 * 1024)
    plain = b'{"meta": {}, "payload": [' + b" " * (8 * 1024 * 1024) + b"]}"
    packed = gzip.compress(plain) if encoding == "gzip" else zlib.compress(plain)
    with (
        LoopbackServer([answer(body=packed, headers=[f"Content-Encoding: {encoding}"])]) as server,
        pytest.raises(exceptions.ApiException, match="Answer too large") as info,
    ):
        _api(clients, server.url).list_all_messages(1, 17)
    assert info.value.status == 200


def test_a_compressed_answer_within_the_limit_is_read(clients: List[chatwoot_client.ApiClient]) -> None:
    with LoopbackServer([answer(body=gzip.compress(PAGE), headers=["Content-Encoding: gzip"])]) as server:
        page = _api(clients, server.url).list_all_messages(1, 17)
    assert page.payload is not None and page.payload[0].content == "hi"


def test_a_declared_length_past_the_limit_is_refused_unread(
    clients: List[chatwoot_client.ApiClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rest, "MAX_ANSWER_SIZE", 1000)
    with (
        LoopbackServer([b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + b" " * 5000]) as server,
        pytest.raises(exceptions.ApiException, match="Answer too large"),
    ):
        _api(clients, server.url).list_all_messages(1, 17)


@pytest.mark.parametrize("value", ["\u0663", "\u00b2", "-5", "1.5", "9" * 400, "Fri, 31 Dec 99999 23:59:59 GMT"])
def test_an_odd_retry_after_falls_back_to_the_backoff(
    clients: List[chatwoot_client.ApiClient], backoff_sleeps: List[float], value: str
) -> None:
    throttled = answer("429 Too Many Requests", b"slow down", [f"Retry-After: {value}".encode().decode("latin-1")])
    with LoopbackServer([throttled, answer(body=EMPTY_PAGE)]) as server:
        page = _api(clients, server.url).list_all_messages(1, 17)
    assert page.payload == []
    assert len(backoff_sleeps) == 1 and backoff_sleeps[0] <= rest.BACKOFF_START


def test_a_huge_retry_after_ends_retrying(clients: List[chatwoot_client.ApiClient]) -> None:
    with (
        LoopbackServer([answer("429 Too Many Requests", b"", ["Retry-After: 99999999999"])]) as server,
        pytest.raises(exceptions.TooManyRequestsException) as info,
    ):
        _api(clients, server.url).list_all_messages(1, 17)
    assert info.value.retry_after == 99999999999.0
    assert len(server.requests) == 1


def test_a_body_that_is_not_utf8_gives_a_readable_error(clients: List[chatwoot_client.ApiClient]) -> None:
    with (
        LoopbackServer([answer("500 Oops", b"\xff\xfe\x00bad \xc3(")]) as server,
        pytest.raises(exceptions.ServiceException) as info,
    ):
        _api(clients, server.url).list_all_messages(1, 17)
    assert str(info.value).startswith("(500) Oops")
    assert repr(info.value)


@pytest.mark.parametrize(
    "body",
    [b"null", b"[]", b'"text"', b"1e999999", b"[" * 100000 + b"]" * 100000, b'{"a": NaN', b"\xff\xfe"],
    ids=["null", "list", "string", "huge-number", "deep", "broken", "utf16-ish"],
)
def test_a_success_whose_body_is_not_the_model_raises_invalid_body(
    clients: List[chatwoot_client.ApiClient], body: bytes
) -> None:
    gc.collect()  # CPython 3.10 may run a pending finalizer inside the deep parse, where it hits the recursion limit
    with (
        LoopbackServer([answer(body=body)]) as server,
        pytest.raises(exceptions.ApiException, match="Invalid response body") as info,
    ):
        _api(clients, server.url).list_all_messages(1, 17)
    assert info.value.status == 200
    str(info.value), repr(info.value)


@pytest.mark.parametrize("constant", [b"NaN", b"Infinity", b"-Infinity"])
def test_an_answer_with_a_value_json_does_not_have_raises_invalid_body(
    clients: List[chatwoot_client.ApiClient], constant: bytes
) -> None:
    # Python's json module reads NaN and Infinity; JSON (RFC 8259) has no such values.
    body = b'{"meta": {}, "payload": [{"id": 5, "content": ' + constant + b"}]}"
    with (
        LoopbackServer([answer(body=body)]) as server,
        pytest.raises(exceptions.ApiException, match="Invalid response body") as info,
    ):
        _api(clients, server.url, retries=0).list_all_messages(1, 17)
    assert info.value.status == 200


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16-le", "utf-16", "utf-32"])
def test_an_answer_in_any_encoding_json_allows_is_read(clients: List[chatwoot_client.ApiClient], encoding: str) -> None:
    text = '{"meta": {}, "payload": [{"id": 5, "content": "Grüße"}]}'
    with LoopbackServer([answer(body=text.encode(encoding))]) as server:
        page = _api(clients, server.url, retries=0).list_all_messages(1, 17)
    assert [(message.id, message.content) for message in page.payload or []] == [(5, "Grüße")]


def test_a_model_from_json_text_refuses_values_json_does_not_have() -> None:
    gc.collect()  # as above: no finalizer left to run inside the deep parse
    with pytest.raises(chatwoot_client.ApiValueError, match="NaN is not a JSON value"):
        chatwoot_client.Message.from_json('{"id": NaN}')
    with pytest.raises(chatwoot_client.ApiValueError, match="nested too deeply"):
        chatwoot_client.Message.from_json("[" * 100000 + "]" * 100000)


def test_a_deeply_nested_field_can_still_be_shown(clients: List[chatwoot_client.ApiClient]) -> None:
    deep = b"[" * 600 + b"]" * 600
    body = b'{"meta": {}, "payload": [{"id": 1, "content_attributes": {"x": ' + deep + b"}}]}"
    with LoopbackServer([answer(body=body)]) as server:
        page = _api(clients, server.url).list_all_messages(1, 17)
    assert page.payload is not None
    message = page.payload[0]
    assert isinstance(repr(message), str) and isinstance(str(page), str)
    assert message.to_dict()["content_attributes"]["x"] == json.loads(deep)


# -- echoed secrets --------------------------------------------------------------------------------------------


def _echo(request: bytes) -> bytes:
    head = request.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    token = [line.split(":", 1)[1].strip() for line in head.split("\r\n") if line.lower().startswith("api_access")]
    body = json.dumps({"error": f"Invalid Access Token {token[0]}"}).encode()
    return answer("401 Unauthorized " + token[0], body, [f"X-Echo: {token[0]}", f"Location: /?t={token[0]}"])


def test_a_token_the_server_echoes_is_masked_everywhere(clients: List[chatwoot_client.ApiClient]) -> None:
    with LoopbackServer([_echo]) as server, pytest.raises(exceptions.UnauthorizedException) as info:
        _api(clients, server.url).list_all_messages(1, 17)
    error = info.value
    texts = [str(error), repr(error), str(error.args), error.body or "", error.reason or "", str(error.headers)]
    assert all(TOKEN not in text for text in texts)
    assert "Invalid Access Token ***" in str(error)


_BROKEN_ECHOES = {
    # Each is an answer urllib3 cannot read, and its error quotes the bytes that broke it.
    "status-line": b"HTTP/1.1 2000 %s\r\n\r\n",
    "chunk-size": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n%s\r\n",
}


@pytest.mark.parametrize("template", list(_BROKEN_ECHOES.values()), ids=list(_BROKEN_ECHOES))
def test_a_token_echoed_in_a_broken_answer_is_masked_in_the_whole_traceback(
    clients: List[chatwoot_client.ApiClient], template: bytes
) -> None:
    with LoopbackServer([template % TOKEN.encode()]) as server, pytest.raises(exceptions.ApiException) as info:
        _api(clients, server.url, retries=0).list_all_messages(1, 17)
    printed = "".join(traceback.format_exception(info.type, info.value, info.tb))
    assert TOKEN not in printed
    assert "***" in printed
    assert info.value.__cause__ is not None  # the cause is masked, not dropped


def test_a_token_echoed_in_a_broken_status_line_is_masked_in_log_lines(
    clients: List[chatwoot_client.ApiClient], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # the SDK's lines about failed attempts, and urllib3's "Retrying" warning
    broken = _BROKEN_ECHOES["status-line"] % TOKEN.encode()
    with LoopbackServer([broken] * 2) as server, pytest.raises(exceptions.ApiException):
        _api(clients, server.url, retries=1).list_all_messages(1, 17)
    lines = [record.getMessage() for record in caplog.records]
    assert any(
        record.name == "urllib3.connectionpool" and "Retrying" in record.getMessage() for record in caplog.records
    )
    assert any("***" in line for line in lines)
    assert all(TOKEN not in line for line in lines)


def test_a_token_echoed_in_a_redirect_target_is_masked(clients: List[chatwoot_client.ApiClient]) -> None:
    redirect = answer("302 Found", b"", [f"Location: http://127.0.0.2:9/steal?token={TOKEN}"])
    with LoopbackServer([redirect]) as server, pytest.raises(exceptions.ApiException, match="not followed") as info:
        _api(clients, server.url).list_all_messages(1, 17)
    assert TOKEN not in str(info.value) and TOKEN not in repr(info.value)


def test_a_token_echoed_in_an_invalid_success_body_is_masked(clients: List[chatwoot_client.ApiClient]) -> None:
    with (
        LoopbackServer([answer(body=f"<html>{TOKEN}</html>".encode())]) as server,
        pytest.raises(exceptions.ApiException, match="Invalid response body") as info,
    ):
        _api(clients, server.url).list_all_messages(1, 17)
    assert TOKEN not in str(info.value) and TOKEN not in (info.value.body or "")


# -- redirects -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.2\\@127.0.0.1:{port}/x",
        "http://127.0.0.1:{port}\\@127.0.0.2/x",
        "http://user:pw@127.0.0.1:{port}/x",
        "http://[::1/x",
        "http://127.0.0.1:99999/x",
        "http://127.0.0.1:{port}:80/x",
        "https://127.0.0.1:{port}/x",
        "ftp://127.0.0.1:{port}/x",
        "http://127.0.0.1 :{port}/x",
        "http://127.0.0.1:{port}\t/x",
        "//127.0.0.2:{port}/x",
        "http://xn--nxasmq6b:{port}/x",
        "http://127.0.0.1%2e:{port}/x",
    ],
)
def test_a_redirect_target_read_two_ways_or_not_at_all_is_not_followed(
    clients: List[chatwoot_client.ApiClient], location: str
) -> None:
    with LoopbackServer([b"", answer(body=EMPTY_PAGE)]) as server:  # placeholder, replaced below
        port = server.url.rsplit(":", 1)[1]
        server.answers[0] = answer("302 Found", b"", [f"Location: {location.format(port=port)}"])
        with pytest.raises(exceptions.ApiException) as info:
            _api(clients, server.url).list_all_messages(1, 17)
    assert info.value.status == 302
    assert len(server.requests) == 1


def test_a_same_origin_redirect_with_percent_encoded_dots_stays_on_the_origin(
    clients: List[chatwoot_client.ApiClient],
) -> None:
    with LoopbackServer(
        [answer("301 Moved", b"", ["Location: /api/%2e%2e/v1/x"], keep_alive=True), answer(body=EMPTY_PAGE)],
        close_after=False,
    ) as server:
        page = _api(clients, server.url).list_all_messages(1, 17)
    assert page.payload == []
    assert server.requests[1].lower().startswith(b"get /api/%2e%2e/v1/x http/1.1")
    assert TOKEN.encode() in server.requests[1]


def test_redirects_share_one_retry_budget(clients: List[chatwoot_client.ApiClient]) -> None:
    unavailable = answer("503 Service Unavailable", b"")
    hop = answer("302 Found", b"", ["Location: /next"])
    with (
        LoopbackServer([unavailable, unavailable, hop, unavailable, unavailable, unavailable]) as server,
        pytest.raises(exceptions.ServiceException),
    ):
        _api(clients, server.url).list_all_messages(1, 17)
    assert len(server.requests) == 5  # 4 attempts in all (3 retries) plus the redirect


def test_the_redirect_origin_follows_a_changed_host(clients: List[chatwoot_client.ApiClient]) -> None:
    with LoopbackServer([answer("302 Found", b"", ["Location: /moved"]), answer(body=EMPTY_PAGE)]) as second:
        api = _api(clients, "http://127.0.0.2:9")
        api.api_client.configuration.host = second.url  # changed after the ApiClient was made
        page = api.list_all_messages(1, 17)
    assert page.payload == []
    assert [request.split(b" ")[1] for request in second.requests] == [MESSAGES_PATH.encode(), b"/moved"]


# -- paging ----------------------------------------------------------------------------------------------------


def _page(*messages: Any) -> bytes:
    return answer(body=json.dumps({"meta": {}, "payload": list(messages)}).encode())


@pytest.mark.parametrize(
    ("pages", "yielded"),
    [
        ([_page({"id": 3}, {"id": "7"})], 2),
        ([_page({"id": 3}, {"id": None})], 2),
        ([_page({"id": 3}, {"id": True})], 2),
        ([_page({"id": 3}, {"id": 7.0})], 2),
        ([_page({"id": 3}), _page({"id": 3})], 2),
        ([_page({"id": 3}), _page({"id": 2})], 2),
        ([answer(body=b'{"meta": {}, "payload": {"id": 3}}')], 0),
        ([answer(body=b'{"meta": {}}')], 0),
        ([answer(body=b'{"meta": {}, "payload": null}')], 0),
        ([_page({"id": 3}, 5)], 0),
        ([_page({"id": 3}), _page([1])], 1),
    ],
)
def test_iter_all_messages_never_stops_silently_early(
    clients: List[chatwoot_client.ApiClient], pages: List[bytes], yielded: int
) -> None:
    seen: List[Any] = []
    with LoopbackServer(pages) as server, pytest.raises(exceptions.ApiException, match="Invalid response body") as info:
        for message in _api(clients, server.url).iter_all_messages(1, 17):
            seen.append(message.id)
    assert len(seen) == yielded
    assert info.value.status == 200


def test_iter_all_messages_pages_until_an_empty_page(clients: List[chatwoot_client.ApiClient]) -> None:
    with LoopbackServer([_page({"id": 3}, {"id": 4}), _page({"id": 9}), _page()]) as server:
        ids = [message.id for message in _api(clients, server.url).iter_all_messages(1, 17)]
    assert ids == [3, 4, 9]
    assert [request.split(b" ")[1].split(b"?")[1] for request in server.requests] == [
        b"after=0",
        b"after=4",
        b"after=9",
    ]
