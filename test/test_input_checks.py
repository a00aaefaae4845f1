"""Caller mistakes on the input side, each refused with a clear error before any I/O: header names and values, a
token that cannot be a header, multipart part headers, JSON a request cannot carry, ids whose text lies,
timeouts and hosts that cannot work, log files, and webhook arguments. Each test fails if its check is removed."""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List

import pytest
import urllib3
from _constants import CREATED_MESSAGE as CREATED
from _constants import EMPTY_PAGE
from _constants import WEBHOOK_BODY as BODY
from _constants import WEBHOOK_SECRET as SECRET
from _constants import WEBHOOK_SIGNATURE as SIGNATURE
from _constants import WEBHOOK_TIMESTAMP as NOW
from _loopback import LoopbackServer, answer

import chatwoot_client
from chatwoot_client import webhooks

TOKEN = "tok-input-9c1e"


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    """A loopback server with answers to spare: a check that fails lets a request through, and the test sees it."""
    with LoopbackServer([answer(body=EMPTY_PAGE)] * 2) as loopback:
        yield loopback


@pytest.fixture
def client(server: LoopbackServer) -> Iterator[chatwoot_client.ApiClient]:
    configuration = chatwoot_client.Configuration(host=server.url, api_key={"api_access_token": TOKEN}, retries=0)
    configuration.timeout = (1.0, 2.0)
    with chatwoot_client.ApiClient(configuration) as made:
        yield made


def _list(client: chatwoot_client.ApiClient, **options: Any) -> Any:
    return chatwoot_client.MessagesApi(client).list_all_messages(1, 17, **options)


# -- header names and values -------------------------------------------------------------------------------------

BAD_VALUES = ["a\r\nX-Evil: 1", "a\nb", "a\rb", "a\x00b", "a\x7fb", "a\x1bb"]
BAD_NAMES = ["X Trace", "X:Trace", "X-Trace\r\n", "", "Ünicode", "X(Trace)", "X/Trace", "X\x00"]


@pytest.mark.parametrize("value", BAD_VALUES)
@pytest.mark.parametrize(
    "setter",
    [
        lambda client, value: client.set_default_header("X-Trace", value),
        lambda client, value: setattr(client, "user_agent", value),
        lambda client, value: setattr(client, "cookie", value),
    ],
    ids=["default_header", "user_agent", "cookie"],
)
def test_header_value_with_a_control_character_is_refused_when_set(
    client: chatwoot_client.ApiClient, setter: Callable[[Any, str], None], value: str
) -> None:
    with pytest.raises(chatwoot_client.ApiValueError, match="must not contain CR or LF, NUL or other control"):
        setter(client, value)


@pytest.mark.parametrize("value", BAD_VALUES)
def test_header_value_put_straight_into_default_headers_is_refused_before_io(
    client: chatwoot_client.ApiClient, server: LoopbackServer, value: str
) -> None:
    client.default_headers["X-Trace"] = value

    with pytest.raises(chatwoot_client.ApiValueError, match="header X-Trace must not contain"):
        _list(client)
    assert server.requests == []


@pytest.mark.parametrize("name", BAD_NAMES)
def test_header_name_that_is_not_a_token_is_refused(
    client: chatwoot_client.ApiClient, server: LoopbackServer, name: str
) -> None:
    with pytest.raises(chatwoot_client.ApiValueError, match="is not a valid HTTP header name"):
        client.set_default_header(name, "1")
    client.default_headers[name] = "1"
    with pytest.raises(chatwoot_client.ApiValueError, match="is not a valid HTTP header name"):
        _list(client)
    assert server.requests == []


def test_header_value_with_a_tab_is_sent(client: chatwoot_client.ApiClient, server: LoopbackServer) -> None:
    client.set_default_header("X-Trace", "a\tb")

    _list(client)

    assert b"X-Trace: a\tb\r\n" in server.requests[0]


def test_header_value_outside_latin_1_is_refused(client: chatwoot_client.ApiClient) -> None:
    with pytest.raises(chatwoot_client.ApiValueError, match="cannot be sent in an HTTP header"):
        client.set_default_header("X-Trace", "snow \u2603")


# -- a token that cannot be a header -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    [
        "sekrit\u200b7Q",  # a zero-width space from a copy and paste
        b"sekrit-\xff\xfe",  # bytes that are not UTF-8
        "sekrit\r\nX-Evil: 1",
        "sekrit\x00",
        " sekrit-padded ",
        "sekrit-caf\u00e9",
    ],
    ids=["zero-width-space", "non-utf8-bytes", "crlf", "nul", "padded", "non-ascii"],
)
def test_token_that_cannot_be_a_header_is_refused_without_showing_it(
    client: chatwoot_client.ApiClient, server: LoopbackServer, token: Any
) -> None:
    client.configuration.api_key["api_access_token"] = token

    with pytest.raises(chatwoot_client.ApiValueError) as info:
        _list(client)

    assert server.requests == []
    shown = str(info.value) + repr(info.value) + repr(info.value.args)
    assert "sekrit" not in shown
    assert "access token" in str(info.value)


# -- multipart part headers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "filename",
    ['a"; name="content', "a\r\nContent-Type: text/html", "a\nb", "a\rb", "a\x00b", "a\\b", "a\x1fb"],
)
def test_attachment_filename_that_could_end_its_part_header_is_refused(
    client: chatwoot_client.ApiClient, server: LoopbackServer, filename: str
) -> None:
    api = chatwoot_client.MessagesApi(client)
    with pytest.raises(chatwoot_client.ApiValueError, match=r"attachments\[0\]: the filename must not contain"):
        api.create_a_new_message_in_a_conversation({"content": "hi"}, 1, 17, attachments=[(filename, b"x")])
    assert server.requests == []


@pytest.mark.parametrize(
    "mime",
    [
        "text/plain\r\nContent-Disposition: form-data; name=content",
        "text/plain\n",
        "text/plain\x00",
        'text/plain; charset="a\r\nb"',
        "text",
        "text/",
        "/plain",
        "text/plain extra",
    ],
)
def test_attachment_mime_type_that_could_end_its_part_header_is_refused(
    client: chatwoot_client.ApiClient, server: LoopbackServer, mime: str
) -> None:
    api = chatwoot_client.MessagesApi(client)
    with pytest.raises(chatwoot_client.ApiValueError, match=r"attachments\[0\]: the mime type must read type/subtype"):
        api.create_a_new_message_in_a_conversation({"content": "hi"}, 1, 17, attachments=[("a.txt", b"x", mime)])
    assert server.requests == []


@pytest.mark.parametrize("mime", ["text/plain", "text/plain; charset=utf-8", 'text/plain; charset="utf-8"'])
def test_attachment_with_a_well_formed_mime_type_is_sent_with_it(
    client: chatwoot_client.ApiClient, server: LoopbackServer, mime: str
) -> None:
    server.answers[:] = [answer(body=CREATED)]
    api = chatwoot_client.MessagesApi(client)

    api.create_a_new_message_in_a_conversation({"content": "hi"}, 1, 17, attachments=[("a.txt", b"x", mime)])

    assert f"Content-Type: {mime}\r\n".encode() in server.requests[0]


# -- JSON a request cannot carry ---------------------------------------------------------------------------------


def _circular() -> Dict[str, Any]:
    value: Dict[str, Any] = {}
    value["self"] = value
    return value


def _deep(levels: int) -> Any:
    value: Any = "bottom"
    for _ in range(levels):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("attributes", "problem"),
    [
        ({"score": math.nan}, "only finite numbers"),
        ({"score": math.inf}, "only finite numbers"),
        ({"score": -math.inf}, "only finite numbers"),
        ({"loop": _circular()}, "nested deeper than 64 levels, or circular"),
        ({"deep": _deep(200)}, "nested deeper than 64 levels, or circular"),
        ({"inner": {1: "not a str key"}}, "keys must be str"),
    ],
    ids=["nan", "infinity", "minus-infinity", "circular", "too-deep", "int-key"],
)
@pytest.mark.parametrize("with_file", [False, True], ids=["json", "multipart"])
def test_request_json_that_cannot_be_sent_is_refused_before_io(
    client: chatwoot_client.ApiClient, server: LoopbackServer, attributes: Any, problem: str, with_file: bool
) -> None:
    api = chatwoot_client.MessagesApi(client)
    body = {"content": "hi", "content_attributes": attributes}
    files = [("a.txt", b"x")] if with_file else None

    with pytest.raises(chatwoot_client.ApiValueError, match=problem):
        api.create_a_new_message_in_a_conversation(body, 1, 17, attachments=files)
    assert server.requests == []


def test_request_json_just_within_the_depth_limit_is_sent(
    client: chatwoot_client.ApiClient, server: LoopbackServer
) -> None:
    server.answers[:] = [answer(body=CREATED)]
    api = chatwoot_client.MessagesApi(client)

    api.create_a_new_message_in_a_conversation({"content": "hi", "content_attributes": {"deep": _deep(60)}}, 1, 17)

    assert b'"bottom"' in server.requests[0]


# -- ids whose text lies -----------------------------------------------------------------------------------------


class LyingInt(int):
    """An int whose text forms say something else."""

    def __str__(self) -> str:
        return "../../admin"

    def __repr__(self) -> str:
        return "666"

    def __format__(self, spec: str) -> str:
        return "999"

    def __int__(self) -> int:
        return 12345


def test_int_subclass_ids_are_sent_as_their_int_value(
    client: chatwoot_client.ApiClient, server: LoopbackServer
) -> None:
    chatwoot_client.MessagesApi(client).list_all_messages(LyingInt(1), LyingInt(17), before=LyingInt(5))

    assert server.requests[0].startswith(b"GET /api/v1/accounts/1/conversations/17/messages?before=5 HTTP/1.1\r\n")


def test_int_subclass_body_value_is_sent_as_its_int_value(
    client: chatwoot_client.ApiClient, server: LoopbackServer
) -> None:
    server.answers[:] = [answer(body=CREATED)]
    api = chatwoot_client.MessagesApi(client)

    api.create_a_new_message_in_a_conversation({"content": "hi", "content_attributes": {"n": LyingInt(7)}}, 1, 17)

    assert b'"n":7' in server.requests[0]


# -- timeouts ----------------------------------------------------------------------------------------------------

BAD_TIMEOUTS = [
    math.inf,
    (1.0, math.inf),
    (math.inf, 1.0),
    1e300,
    10**400,
    urllib3.Timeout(connect=1.0, read=math.inf),
    urllib3.Timeout(total=1e300),
]


@pytest.mark.parametrize("value", BAD_TIMEOUTS)
def test_infinite_or_too_large_timeout_is_refused_when_set(value: Any) -> None:
    configuration = chatwoot_client.Configuration()

    with pytest.raises(chatwoot_client.ApiValueError, match="timeout must be a positive finite number"):
        configuration.timeout = value
    assert configuration.timeout == (10.0, 30.0)


@pytest.mark.parametrize("value", BAD_TIMEOUTS)
def test_infinite_or_too_large_request_timeout_is_refused_before_io(
    client: chatwoot_client.ApiClient, server: LoopbackServer, value: Any
) -> None:
    with pytest.raises(chatwoot_client.ApiValueError, match="_request_timeout must be a positive finite number"):
        _list(client, _request_timeout=value)
    assert server.requests == []


# -- the host ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "http://127.0.0.1:0",
        "http://127.0.0.1:65536",
        "http://127.0.0.1:99999",
        "http://127.0.0.1:-1",
        "http://127.0.0.1:8x",
        " http://127.0.0.1",
        "http://127.0.0.1 ",
        "http://127.0.0.1\t",
        "http://127.0.0.1/\n",
        "http://127.0.0.1\x00",
        "http://127.0.0.1\x7f",
        "http://127.0.0.1\\@evil.example",
        "http://127.0.0.1 .evil.example",
    ],
)
def test_host_that_cannot_work_is_refused_when_set_naming_the_setting(host: str) -> None:
    configuration = chatwoot_client.Configuration(host="http://127.0.0.1:8080")

    with pytest.raises(chatwoot_client.ApiValueError, match=r"^host "):
        configuration.host = host
    assert configuration.host == "http://127.0.0.1:8080"


@pytest.mark.parametrize("host", ["http://127.0.0.1:1", "http://127.0.0.1:65535", "https://[::1]:8443"])
def test_host_with_a_valid_port_is_kept(host: str) -> None:
    assert chatwoot_client.Configuration(host=host).host == host


# -- logger_file -------------------------------------------------------------------------------------------------


def _file_handlers(path: Path) -> List[logging.Handler]:
    return [
        handler
        for handler in logging.getLogger("chatwoot_client").handlers
        if isinstance(handler, logging.FileHandler) and handler.baseFilename == str(path)
    ]


def test_logger_file_keeps_one_handler_per_file_across_configurations(tmp_path: Path) -> None:
    path = tmp_path / "sdk.log"
    first, second = chatwoot_client.Configuration(), chatwoot_client.Configuration()
    try:
        first.logger_file = str(path)
        second.logger_file = str(tmp_path / "." / "sdk.log")  # the same file, named another way
        third = first.copy()
        third.logger_file = str(path)
        assert len(_file_handlers(path)) == 1

        logging.getLogger("chatwoot_client.rest").warning("one line")
        assert path.read_text().count("one line") == 1

        first.logger_file = None
        second.logger_file = None
        assert len(_file_handlers(path)) == 1  # the third still writes there
        third.logger_file = None
        assert _file_handlers(path) == []
    finally:
        for configuration in (first, second):
            configuration.logger_file = None


def test_logger_file_set_again_to_the_same_file_keeps_one_handler(tmp_path: Path) -> None:
    path = tmp_path / "sdk.log"
    configuration = chatwoot_client.Configuration()
    try:
        configuration.logger_file = str(path)
        configuration.logger_file = str(path)
        assert len(_file_handlers(path)) == 1
    finally:
        configuration.logger_file = None
    assert _file_handlers(path) == []


# -- webhook arguments -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tolerance", [math.nan, math.inf, -math.inf])
def test_verify_signature_refuses_a_non_finite_tolerance(tolerance: float) -> None:
    with pytest.raises(ValueError, match="tolerance"):
        webhooks.verify_signature(SECRET, BODY, SIGNATURE, str(NOW), tolerance=tolerance, now=NOW)


@pytest.mark.parametrize("now", [math.nan, math.inf, -math.inf])
def test_verify_signature_refuses_a_non_finite_now(now: float) -> None:
    with pytest.raises(ValueError, match="now"):
        webhooks.verify_signature(SECRET, BODY, SIGNATURE, str(NOW), now=now)


def test_verify_signature_accepts_the_same_delivery_with_finite_arguments() -> None:
    assert webhooks.verify_signature(SECRET, BODY, SIGNATURE, str(NOW), tolerance=1.5, now=NOW + 1.0) is True


def test_verify_signature_refuses_a_str_body_that_cannot_be_encoded() -> None:
    with pytest.raises(ValueError):
        webhooks.verify_signature(SECRET, '{"content":"\ud800"}', SIGNATURE, str(NOW), now=NOW)


@pytest.mark.parametrize("headers", [["X-Chatwoot-Delivery", "abc"], "X-Chatwoot-Delivery: abc", 5, object()])
def test_parse_event_refuses_headers_that_are_not_a_mapping(headers: Any) -> None:
    with pytest.raises((TypeError, ValueError), match="headers"):
        webhooks.parse_event(BODY, headers)
