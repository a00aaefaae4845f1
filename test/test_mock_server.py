"""The mock server's own rules, driven with http.client only, so that a client bug cannot hide a mock bug."""

from __future__ import annotations

import http.client
import json
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple
from urllib.parse import quote

import pytest

from chatwoot_client._signature import compute_signature
from chatwoot_client.testing import MockChatwootServer, RecordedRequest, _engine, sign_webhook
from chatwoot_client.testing.__main__ import main

MESSAGES = "/api/v1/accounts/1/conversations/17/messages"
WIDGET_MESSAGES = "/api/v1/accounts/1/conversations/18/messages"
NOT_FOUND = {"error": "Resource could not be found"}
BOUNDARY = "mock-boundary-7MA4YWxkTrZu0gW"

Answer = Tuple[int, Dict[str, str], bytes]
Received = queue.Queue[Tuple[Dict[str, str], bytes]]  # (headers, body) of each webhook a receiver got


@pytest.fixture
def mock_server() -> Iterator[MockChatwootServer]:
    with MockChatwootServer() as server:
        yield server


def connect(server: MockChatwootServer, timeout: float = 5.0) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)


def call(
    server: MockChatwootServer,
    method: str,
    path: str,
    token: Optional[str] = "user",
    body: Any = None,
    headers: Optional[Dict[str, str]] = None,
) -> Answer:
    """One request on a new connection; ``token`` is 'user', 'bot', None (no header) or a literal token."""
    all_headers = dict(headers or {})
    if token is not None:
        all_headers["api_access_token"] = {"user": server.user_token, "bot": server.bot_token}.get(token, token)
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
        all_headers.setdefault("Content-Type", "application/json")
    connection = connect(server)
    try:
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        return response.status, {name.lower(): value for name, value in response.getheaders()}, response.read()
    finally:
        connection.close()


def call_json(server: MockChatwootServer, method: str, path: str, **options: Any) -> Tuple[int, Any]:
    status, _, body = call(server, method, path, **options)
    return status, json.loads(body)


def multipart(fields: Dict[str, str], files: List[Tuple[str, str, bytes]]) -> Tuple[bytes, Dict[str, str]]:
    """Encode a multipart/form-data body by hand: text fields, then (filename, mime type, bytes) files."""
    chunks: List[bytes] = []
    for name, value in fields.items():
        chunks.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for filename, mime_type, data in files:
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="attachments[]"; filename="{filename}"\r\n'
            f"Content-Type: {mime_type}\r\n\r\n"
        )
        chunks.append(head.encode() + data + b"\r\n")
    chunks.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(chunks), {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}


def raw_exchange(server: MockChatwootServer, data: bytes, end_input: bool = False) -> bytes:
    """Send raw bytes on a new socket and read whatever comes back until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=2) as connection:
        connection.sendall(data)
        if end_input:
            connection.shutdown(socket.SHUT_WR)
        received = b""
        for _ in range(1000):
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += chunk
        return received


def post_form(server: MockChatwootServer, body: bytes, boundary: str = BOUNDARY) -> Tuple[int, Any]:
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    status, _, answer = call(server, "POST", MESSAGES, body=body, headers=headers)
    return status, json.loads(answer)


def form_part(disposition: str, data: bytes, content_type: str = "") -> bytes:
    type_line = f"Content-Type: {content_type}\r\n" if content_type else ""
    return f"--{BOUNDARY}\r\nContent-Disposition: form-data; {disposition}\r\n{type_line}\r\n".encode() + data + b"\r\n"


# --- fresh state -----------------------------------------------------------------------------------------------


def test_fresh_server_has_two_empty_conversations_and_distinct_tokens(mock_server: MockChatwootServer) -> None:
    assert mock_server.url == f"http://127.0.0.1:{mock_server.port}"
    assert mock_server.messages(1, 17) == [] and mock_server.messages(1, 18) == []
    assert len({mock_server.user_token, mock_server.bot_token, mock_server.bot_secret}) == 3
    assert mock_server.requests == [] and mock_server.connections_opened == 0


def test_list_of_fresh_api_conversation_has_meta_with_assignee(mock_server: MockChatwootServer) -> None:
    status, page = call_json(mock_server, "GET", MESSAGES)
    assert status == 200 and page["payload"] == []
    meta = page["meta"]
    assert meta["labels"] == [] and meta["additional_attributes"] == {}
    assert meta["contact"]["type"] == "contact" and meta["assignee"]["type"] == "user"
    assert meta["agent_last_seen_at"] == "2026-11-27T10:15:00.000Z"


def test_widget_conversation_is_unassigned(mock_server: MockChatwootServer) -> None:
    _, page = call_json(mock_server, "GET", WIDGET_MESSAGES)
    assert "assignee" not in page["meta"] and page["meta"]["agent_last_seen_at"] is None


def test_tokens_differ_between_servers() -> None:
    assert MockChatwootServer().user_token != MockChatwootServer().user_token


# --- authentication and not found ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "token", "status", "error"),
    [
        ("GET", MESSAGES, None, 401, "Invalid Access Token"),
        ("GET", MESSAGES, "no-such-token", 401, "Invalid Access Token"),
        ("GET", "/api/v1/accounts/3/conversations/1/messages", None, 401, "Invalid Access Token"),
        ("GET", MESSAGES, "bot", 401, "Access to this endpoint is not authorized for bots"),
        ("DELETE", MESSAGES + "/1", "bot", 401, "Access to this endpoint is not authorized for bots"),
        ("GET", "/api/v1/accounts/3/conversations/1/messages", "user", 404, "Resource could not be found"),
        ("GET", "/api/v1/accounts/1/conversations/99/messages", "user", 404, "Resource could not be found"),
        ("GET", "/api/v1/accounts/x/conversations/17/messages", "user", 404, "Resource could not be found"),
        ("GET", "/api/v1/accounts/1/conversations/017/messages", "user", 404, "Resource could not be found"),
        ("GET", "/api/v1/accounts/1/conversations/0/messages", "user", 404, "Resource could not be found"),
        ("DELETE", MESSAGES + "/99", "user", 404, "Resource could not be found"),
        ("DELETE", MESSAGES + "/-1", "user", 404, "Resource could not be found"),
    ],
)
def test_auth_and_lookup_errors(
    mock_server: MockChatwootServer, method: str, path: str, token: Optional[str], status: int, error: str
) -> None:
    assert call_json(mock_server, method, path, token=token) == (status, {"error": error})


def test_other_account_answers_not_authorized(mock_server: MockChatwootServer) -> None:
    conversation_id = mock_server.add_conversation(account_id=2)
    path = f"/api/v1/accounts/2/conversations/{conversation_id}/messages"
    assert call_json(mock_server, "GET", path) == (401, {"error": "You are not authorized to access this account"})


def test_unknown_route_is_not_found_before_the_token_check(mock_server: MockChatwootServer) -> None:
    for method, path in [
        ("GET", "/api/v1/profile"),
        ("PUT", MESSAGES),
        ("GET", MESSAGES + "/1"),
        ("GET", MESSAGES + "/"),
    ]:
        status, headers, body = call(mock_server, method, path, token=None)
        assert status == 404 and "error" in json.loads(body)
        assert headers["content-type"].startswith("application/json")


def test_bot_may_create_an_outgoing_message_as_itself(mock_server: MockChatwootServer) -> None:
    status, message = call_json(mock_server, "POST", MESSAGES, token="bot", body={"content": "beep"})
    assert status == 200 and message["sender"]["type"] == "agent_bot"


def test_add_conversation_gives_the_next_display_id(mock_server: MockChatwootServer) -> None:
    assert mock_server.add_conversation() == 19
    assert mock_server.add_conversation(api_inbox=False) == 20
    assert mock_server.add_conversation(account_id=5) == 1


# --- paging ----------------------------------------------------------------------------------------------------


def fill(server: MockChatwootServer, count: int) -> None:
    for index in range(count):
        server.add_message(1, 17, f"message {index}")


def page_ids(server: MockChatwootServer, query: str = "") -> List[int]:
    status, page = call_json(server, "GET", MESSAGES + query)
    assert status == 200
    return [message["id"] for message in page["payload"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", list(range(131, 151))),
        ("?before=50", list(range(30, 50))),
        ("?before=10", list(range(1, 10))),
        ("?after=10", list(range(11, 111))),
        ("?after=140", list(range(141, 151))),
        ("?after=5&before=9", [5, 6, 7, 8]),
        ("?after=151", []),
    ],
)
def test_paging(mock_server: MockChatwootServer, query: str, expected: List[int]) -> None:
    fill(mock_server, 150)
    assert page_ids(mock_server, query) == expected


def test_paging_with_both_bounds_answers_at_most_1000(mock_server: MockChatwootServer) -> None:
    fill(mock_server, 1005)
    assert page_ids(mock_server, "?after=2&before=2000") == list(range(2, 1002))


@pytest.mark.parametrize("name", ["before", "after"])
def test_non_integer_paging_parameter_is_a_bad_request(mock_server: MockChatwootServer, name: str) -> None:
    status, body = call_json(mock_server, "GET", f"{MESSAGES}?{name}=abc")
    assert status == 400 and name in body["error"]


# --- create ----------------------------------------------------------------------------------------------------


def test_create_fills_defaults(mock_server: MockChatwootServer) -> None:
    status, message = call_json(mock_server, "POST", MESSAGES, body={"content": "Hello"})
    assert status == 200
    assert message["id"] == 1 and message["content"] == "Hello" and message["conversation_id"] == 17
    assert (message["message_type"], message["content_type"], message["private"]) == (1, "text", False)
    assert (message["status"], message["echo_id"], message["source_id"]) == ("sent", None, None)
    assert message["content_attributes"] == {} and isinstance(message["created_at"], int)
    assert message["sender"]["type"] == "user" and "attachments" not in message
    assert mock_server.messages(1, 17) == [message]


def test_create_incoming_takes_the_contact_as_sender(mock_server: MockChatwootServer) -> None:
    body = {"content": "Hi", "message_type": "incoming", "private": True, "content_attributes": {"a": 1}}
    _, message = call_json(mock_server, "POST", MESSAGES, body=body)
    assert message["message_type"] == 0 and message["sender"]["type"] == "contact"
    assert message["private"] is True and message["content_attributes"] == {"a": 1}


def test_incoming_in_web_widget_inbox_is_unprocessable(mock_server: MockChatwootServer) -> None:
    body = {"content": "Hi", "message_type": "incoming"}
    assert call_json(mock_server, "POST", WIDGET_MESSAGES, body=body) == (
        422,
        {"error": "Incoming messages are only allowed in Api inboxes"},
    )
    assert mock_server.messages(1, 18) == []


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"[1, 2]", 400),
        (b'{"content": "x", "message_type": "activity"}', 422),
        (b'{"content": "x", "content_type": "sticker"}', 422),
        (b'{"content": "x", "private": "yes"}', 422),
        (b'{"content": "x", "content_attributes": []}', 422),
    ],
)
def test_invalid_create_bodies_are_refused(mock_server: MockChatwootServer, body: bytes, status: int) -> None:
    answer, _, text = call(mock_server, "POST", MESSAGES, body=body, headers={"Content-Type": "application/json"})
    assert answer == status and json.loads(text)["error"]
    assert mock_server.messages(1, 17) == []


def test_chunked_request_body_is_read(mock_server: MockChatwootServer) -> None:
    chunks = iter([b'{"content": ', b'"chunked"}'])
    status, message = call_json(
        mock_server, "POST", MESSAGES, body=chunks, headers={"Content-Type": "application/json"}
    )
    assert status == 200 and message["content"] == "chunked"
    assert mock_server.requests[-1].headers["transfer-encoding"] == "chunked"


def test_multipart_create_stores_attachments_served_back_byte_for_byte(mock_server: MockChatwootServer) -> None:
    png, notes = b"\x89PNG\r\n\x1a\n" + bytes(range(256)), b"line one\r\n--not a boundary\r\n"
    fields = {"content": "files", "private": "true", "content_attributes": '{"k": "v"}'}
    body, headers = multipart(fields, [("photo.png", "image/png", png), ("notes.txt", "text/plain", notes)])
    status, message = call_json(mock_server, "POST", MESSAGES, body=body, headers=headers)
    assert status == 200 and message["private"] is True and message["content_attributes"] == {"k": "v"}
    image, text = message["attachments"]
    assert (image["file_type"], image["extension"], image["file_size"]) == ("image", "png", len(png))
    assert (text["file_type"], text["extension"], text["file_size"]) == ("file", "txt", len(notes))
    assert image["message_id"] == message["id"] and image["account_id"] == 1 and image["width"] is None
    for attachment, data in [(image, png), (text, notes)]:
        assert attachment["data_url"].startswith(mock_server.url + "/")
        path = attachment["data_url"][len(mock_server.url) :]
        assert call(mock_server, "GET", path, token=None)[::2] == (200, data)


def test_sixteen_files_are_unprocessable(mock_server: MockChatwootServer) -> None:
    files = [(f"f{index}.txt", "text/plain", b"x") for index in range(16)]
    body, headers = multipart({"content": "many"}, files)
    status, answer = call_json(mock_server, "POST", MESSAGES, body=body, headers=headers)
    assert status == 422 and "15" in answer["message"]
    assert mock_server.messages(1, 17) == []


def test_malformed_multipart_is_a_bad_request(mock_server: MockChatwootServer) -> None:
    headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    assert call(mock_server, "POST", MESSAGES, body=b"no parts here", headers=headers)[0] == 400


@pytest.mark.parametrize(
    ("disposition", "stored_name"),
    [
        ('name="attachments[]"; filename="a%22b.txt"', 'a"b.txt'),
        ('name="attachments[]"; filename="say \\"hi\\".txt"', 'say "hi".txt'),
        ('name="attachments[]"; filename="C:\\dir\\a.txt"', "C:\\dir\\a.txt"),
        ('name="attachments[]"; filename="100%.txt"', "100%.txt"),
        ('name="attachments[]"; filename=plain.txt', "plain.txt"),
        ('name="attachments[]"; filename="x.txt"; filename*=UTF-8\'\'na%C3%AFve.txt', "naïve.txt"),
    ],
)
def test_multipart_file_names_are_decoded_as_rack_does(
    mock_server: MockChatwootServer, disposition: str, stored_name: str
) -> None:
    body = form_part(disposition, b"data", "text/plain") + f"--{BOUNDARY}--\r\n".encode()
    status, message = post_form(mock_server, body)
    assert status == 200
    assert message["attachments"][0]["data_url"].endswith("/" + quote(stored_name, safe=""))


def test_multipart_with_preamble_quoted_boundary_and_template_params(mock_server: MockChatwootServer) -> None:
    params = '{"name": "order", "processed_params": {"1": "x"}}'
    body = b"preamble\r\n" + form_part('name="template_params"', params.encode()) + f"--{BOUNDARY}--".encode()
    status, message = post_form(mock_server, body, boundary=f'"{BOUNDARY}"')
    assert status == 200 and message["content"] is None
    assert message["additional_attributes"] == {"template_params": json.loads(params)}


def test_a_file_not_named_attachments_brackets_is_ignored(mock_server: MockChatwootServer) -> None:
    body = form_part('name="content"', b"hi") + form_part('name="attachments"; filename="a.txt"', b"x")
    status, message = post_form(mock_server, body + f"--{BOUNDARY}--".encode())
    assert status == 200 and message["content"] == "hi" and "attachments" not in message


def test_too_many_parts_are_a_bad_request(mock_server: MockChatwootServer) -> None:
    body = form_part('name="content"', b"x") * 1001 + f"--{BOUNDARY}--".encode()
    assert post_form(mock_server, body)[0] == 400


def test_file_without_content_type_is_a_plain_file(mock_server: MockChatwootServer) -> None:
    body = form_part('name="attachments[]"; filename="README"', b"read me") + f"--{BOUNDARY}--\r\n".encode()
    _, message = post_form(mock_server, body)
    assert (message["attachments"][0]["file_type"], message["attachments"][0]["extension"]) == ("file", None)


@pytest.mark.parametrize(
    ("body", "boundary"),
    [
        (b"no parts here", BOUNDARY),
        (f"--{BOUNDARY}\r\n".encode(), BOUNDARY),
        (f"--{BOUNDARY}garbage\r\n\r\nx\r\n--{BOUNDARY}--".encode(), BOUNDARY),
        (f"--{BOUNDARY}\r\nContent-Disposition: form-data\r\n--{BOUNDARY}--".encode(), BOUNDARY),
        (f"--{BOUNDARY}\r\nno colon here\r\n\r\nx\r\n--{BOUNDARY}--".encode(), BOUNDARY),
        (f"--{BOUNDARY}\r\n\r\nno headers\r\n--{BOUNDARY}--".encode(), BOUNDARY),
        (form_part("name=\"attachments[]\"; filename*=nope''x", b"x") + f"--{BOUNDARY}--".encode(), BOUNDARY),
        (form_part('name="content"', b"\xff") + f"--{BOUNDARY}--".encode(), BOUNDARY),
        (f"--{BOUNDARY}--".encode(), ""),
    ],
)
def test_malformed_multipart_bodies_are_bad_requests(
    mock_server: MockChatwootServer, body: bytes, boundary: str
) -> None:
    status, answer = post_form(mock_server, body, boundary)
    assert status == 400 and answer["error"]


@pytest.mark.parametrize(
    "part",
    [
        form_part('name="attachments[]"', b"not a file"),
        form_part('name="private"', b"True"),
        form_part('name="content_attributes"', b"{bad json"),
        form_part('name="content_type"', b"sticker"),
    ],
)
def test_invalid_form_fields_are_unprocessable(mock_server: MockChatwootServer, part: bytes) -> None:
    status, answer = post_form(mock_server, part + f"--{BOUNDARY}--".encode())
    assert status == 422 and answer["error"]
    assert mock_server.messages(1, 17) == []


@pytest.mark.parametrize(
    ("content_type", "body", "status"),
    [
        ("text/plain", b"content=x", 415),
        ("application/json", b"\xff", 400),
        ("application/json", b'{"content": 5}', 422),
        ("application/json", b'{"content": "x", "template_params": "t"}', 422),
    ],
)
def test_other_bodies_are_refused(mock_server: MockChatwootServer, content_type: str, body: bytes, status: int) -> None:
    answer, _, text = call(mock_server, "POST", MESSAGES, body=body, headers={"Content-Type": content_type})
    assert answer == status and json.loads(text)["error"]


# --- the HTTP layer --------------------------------------------------------------------------------------------


def test_chunked_body_with_extension_and_trailer_is_read(mock_server: MockChatwootServer) -> None:
    content = b'{"content":"t"}'
    head = (
        f"POST {MESSAGES} HTTP/1.1\r\nHost: x\r\napi_access_token: {mock_server.user_token}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    chunks = b"%x;name=value\r\n" % len(content) + content + b"\r\n0\r\nX-Trailer: 1\r\n\r\n"
    answer = raw_exchange(mock_server, head.encode() + chunks)
    assert answer.startswith(b"HTTP/1.1 200 ") and b"Connection: close" in answer
    assert mock_server.messages(1, 17)[0]["content"] == "t"


@pytest.mark.parametrize(
    ("headers", "body", "status_line"),
    [
        ("Content-Length: 12x", b"", b"HTTP/1.1 400 "),
        ("Content-Length: 999999999999", b"", b"HTTP/1.1 413 "),
        ("Transfer-Encoding: chunked", b"zz\r\n", b"HTTP/1.1 400 "),
        ("Transfer-Encoding: chunked", b"FFFFFFFFFFFF\r\n", b"HTTP/1.1 413 "),
        ("Transfer-Encoding: chunked", b"1\r\nx\r\n0\r\n" + b"X-Trailer: 1\r\n" * 101, b"HTTP/1.1 400 "),
    ],
)
def test_unreadable_bodies_are_answered_and_the_connection_closed(
    mock_server: MockChatwootServer, headers: str, body: bytes, status_line: bytes
) -> None:
    request = f"POST {MESSAGES} HTTP/1.1\r\nHost: x\r\n{headers}\r\n\r\n".encode() + body
    answer = raw_exchange(mock_server, request)
    assert answer.startswith(status_line) and b"Connection: close" in answer


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ("Content-Length: 10", b"abc"),
        ("Transfer-Encoding: chunked", b""),
        ("Transfer-Encoding: chunked", b"5\r\nab"),
    ],
)
def test_a_body_cut_short_gets_no_answer(mock_server: MockChatwootServer, headers: str, body: bytes) -> None:
    request = f"POST {MESSAGES} HTTP/1.1\r\nHost: x\r\n{headers}\r\n\r\n".encode() + body
    assert raw_exchange(mock_server, request, end_input=True) == b""
    assert mock_server.requests == []


def test_patch_has_no_route(mock_server: MockChatwootServer) -> None:
    assert call(mock_server, "PATCH", MESSAGES + "/1")[0] == 404


def test_a_mock_failure_is_answered_as_a_500(mock_server: MockChatwootServer, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*arguments: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(_engine, "handle_request", broken)
    status, answer = call_json(mock_server, "GET", MESSAGES)
    assert status == 500 and "boom" in answer["error"]


# --- delete ----------------------------------------------------------------------------------------------------


def test_delete_is_soft_and_idempotent(mock_server: MockChatwootServer) -> None:
    body, headers = multipart({"content": "with file"}, [("a.png", "image/png", b"png")])
    _, created = call_json(mock_server, "POST", MESSAGES, body=body, headers=headers)
    data_path = created["attachments"][0]["data_url"][len(mock_server.url) :]
    status, deleted = call_json(mock_server, "DELETE", f"{MESSAGES}/{created['id']}")
    assert status == 200 and deleted["content"] == "This message was deleted"
    assert deleted["content_type"] == "text" and deleted["content_attributes"] == {"deleted": True}
    assert "attachments" not in deleted and call(mock_server, "GET", data_path, token=None)[0] == 404
    assert call_json(mock_server, "DELETE", f"{MESSAGES}/{created['id']}") == (200, deleted)
    assert page_ids(mock_server) == [created["id"]]


# --- add_message -----------------------------------------------------------------------------------------------


def test_add_message_stores_extra_fields_and_serves_them(mock_server: MockChatwootServer) -> None:
    added = mock_server.add_message(1, 17, "hi", "outgoing", brand_new_field={"x": 1}, status="read")
    _, page = call_json(mock_server, "GET", MESSAGES)
    assert page["payload"] == [added]
    assert added["brand_new_field"] == {"x": 1} and added["status"] == "read" and added["message_type"] == 1


@pytest.mark.parametrize(
    ("message_type", "number", "sender_type"),
    [
        ("incoming", 0, "contact"),
        ("outgoing", 1, "user"),
        ("activity", 2, None),
        ("template", 3, "user"),
        (7, 7, "user"),
    ],
)
def test_add_message_types_and_senders(
    mock_server: MockChatwootServer, message_type: Any, number: int, sender_type: Optional[str]
) -> None:
    message = mock_server.add_message(1, 17, "x", message_type)
    assert message["message_type"] == number
    assert (message["sender"]["type"] if "sender" in message else None) == sender_type


@pytest.mark.parametrize(
    ("arguments", "fields"), [((1, 17, "x", "bogus"), {}), ((1, 17, "x", True), {}), ((1, 17, "x"), {"id": 5})]
)
def test_add_message_refuses_bad_arguments(mock_server: MockChatwootServer, arguments: Any, fields: Any) -> None:
    with pytest.raises(ValueError):
        mock_server.add_message(*arguments, **fields)


def test_delete_of_a_message_with_hand_made_attachments(mock_server: MockChatwootServer) -> None:
    added = mock_server.add_message(1, 17, "x", attachments=["not an attachment object", {"id": 99}])
    status, deleted = call_json(mock_server, "DELETE", f"{MESSAGES}/{added['id']}")
    assert status == 200 and "attachments" not in deleted


def test_add_message_to_unknown_conversation_raises(mock_server: MockChatwootServer) -> None:
    with pytest.raises(ValueError, match="no conversation 99"):
        mock_server.add_message(1, 99, "hi")


# --- fault injection -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "content_type", "text"),
    [
        (429, "text/plain", b"Retry later"),
        (502, "text/html", b"502 Bad Gateway"),
        (503, "text/html", b"503 Service Unavailable"),
        (504, "text/html", b"504 Gateway Timeout"),
        (400, "application/json", b'{"error": "Bad Request"}'),
        (500, "application/json", b'{"error": "Internal Server Error"}'),
    ],
)
def test_fail_next_default_bodies(mock_server: MockChatwootServer, status: int, content_type: str, text: bytes) -> None:
    mock_server.fail_next(status)
    answer, headers, body = call(mock_server, "GET", MESSAGES)
    assert answer == status and headers["content-type"].startswith(content_type) and text in body
    assert "retry-after" not in headers
    assert call(mock_server, "GET", MESSAGES)[0] == 200


@pytest.mark.parametrize("retry_after", [3, "Wed, 21 Oct 2026 07:28:00 GMT"])
def test_fail_next_adds_retry_after(mock_server: MockChatwootServer, retry_after: Any) -> None:
    mock_server.fail_next(429, retry_after=retry_after)
    assert call(mock_server, "GET", MESSAGES)[1]["retry-after"] == str(retry_after)


@pytest.mark.parametrize(
    ("body", "expected"), [({"errors": ["a", "b"]}, b'{"errors": ["a", "b"]}'), ("oops", b"oops"), (b"\x00", b"\x00")]
)
def test_fail_next_body_overrides_the_default(mock_server: MockChatwootServer, body: Any, expected: bytes) -> None:
    mock_server.fail_next(418, body=body)
    assert call(mock_server, "GET", MESSAGES)[::2] == (418, expected)


def test_500_comes_after_the_message_was_stored(mock_server: MockChatwootServer) -> None:
    mock_server.fail_next(500)
    assert call(mock_server, "POST", MESSAGES, body={"content": "saved"})[0] == 500
    assert [message["content"] for message in mock_server.messages(1, 17)] == ["saved"]


def test_a_2xx_fault_comes_after_the_request_acted(mock_server: MockChatwootServer) -> None:
    mock_server.fail_next(200, body=b"<html>not json</html>", content_type="text/html")
    status, headers, body = call(mock_server, "POST", MESSAGES, body={"content": "acted"})
    assert (status, headers["content-type"], body) == (200, "text/html", b"<html>not json</html>")
    assert [message["content"] for message in mock_server.messages(1, 17)] == ["acted"]


@pytest.mark.parametrize("status", [429, 502, 503, 504, 422])
def test_other_failures_do_not_store_the_message(mock_server: MockChatwootServer, status: int) -> None:
    mock_server.fail_next(status)
    assert call(mock_server, "POST", MESSAGES, body={"content": "lost"})[0] == status
    assert mock_server.messages(1, 17) == []


def test_fail_next_with_method_skips_other_methods(mock_server: MockChatwootServer) -> None:
    mock_server.fail_next(503, method="post")
    assert call(mock_server, "GET", MESSAGES)[0] == 200
    assert call(mock_server, "POST", MESSAGES, body={"content": "x"})[0] == 503
    assert call(mock_server, "POST", MESSAGES, body={"content": "x"})[0] == 200


def test_fail_next_times_and_order_of_arrival(mock_server: MockChatwootServer) -> None:
    mock_server.fail_next(502, times=2)
    mock_server.fail_next(429)
    statuses = [call(mock_server, "GET", MESSAGES)[0] for _ in range(4)]
    assert statuses == [502, 502, 429, 200]


def test_drop_next_closes_without_answer_after_storing(mock_server: MockChatwootServer) -> None:
    mock_server.drop_next()
    with pytest.raises((ConnectionError, http.client.HTTPException)):
        call(mock_server, "POST", MESSAGES, body={"content": "dropped"})
    assert [message["content"] for message in mock_server.messages(1, 17)] == ["dropped"]
    assert call(mock_server, "GET", MESSAGES)[0] == 200


def test_delay_next_outlasts_a_short_client_timeout_and_stop_is_prompt(mock_server: MockChatwootServer) -> None:
    mock_server.delay_next(30)
    connection = connect(mock_server, timeout=0.1)
    try:
        connection.request("GET", MESSAGES, headers={"api_access_token": mock_server.user_token})
        with pytest.raises(socket.timeout):
            connection.getresponse()
        started = time.monotonic()
        mock_server.stop()
        assert time.monotonic() - started < 0.5
    finally:
        connection.close()


def test_redirect_next_answers_location_without_acting(mock_server: MockChatwootServer) -> None:
    mock_server.redirect_next("https://elsewhere.example/next", status=307, method="POST")
    status, headers, _ = call(mock_server, "POST", MESSAGES, body={"content": "x"})
    assert status == 307 and headers["location"] == "https://elsewhere.example/next"
    assert mock_server.messages(1, 17) == []


@pytest.mark.parametrize(
    ("name", "arguments", "error"),
    [
        ("fail_next", {"status": 99}, ValueError),
        ("fail_next", {"status": "500"}, TypeError),
        ("fail_next", {"status": 500, "times": True}, TypeError),
        ("fail_next", {"status": 500, "method": "P OST"}, ValueError),
        ("fail_next", {"status": 500, "retry_after": 1.5}, TypeError),
        ("fail_next", {"status": 500, "retry_after": "1\r\nX-Evil: 1"}, ValueError),
        ("fail_next", {"status": 500, "body": 3}, TypeError),
        ("drop_next", {"times": 0}, ValueError),
        ("delay_next", {"seconds": -1}, ValueError),
        ("delay_next", {"seconds": float("nan")}, TypeError),
        ("redirect_next", {"location": "/x", "status": 200}, ValueError),
        ("redirect_next", {"location": b"/x"}, TypeError),
    ],
)
def test_fault_arguments_are_checked(
    mock_server: MockChatwootServer, name: str, arguments: Dict[str, Any], error: type
) -> None:
    with pytest.raises(error):
        getattr(mock_server, name)(**arguments)


def test_fail_next_with_204_sends_no_body_and_599_has_a_generic_reason(mock_server: MockChatwootServer) -> None:
    mock_server.fail_next(204, method="DELETE")
    mock_server.fail_next(599)
    status, headers, body = call(mock_server, "DELETE", MESSAGES + "/1")
    assert (status, body) == (204, b"") and "content-length" not in headers
    assert call_json(mock_server, "GET", MESSAGES) == (599, {"error": "Error"})


def test_drop_next_with_method_and_delay_next_zero(mock_server: MockChatwootServer) -> None:
    mock_server.drop_next(method="DELETE")
    mock_server.delay_next(0)
    assert call(mock_server, "GET", MESSAGES)[0] == 200
    with pytest.raises((ConnectionError, http.client.HTTPException)):
        call(mock_server, "DELETE", MESSAGES + "/1")


# --- connections, records, reset -------------------------------------------------------------------------------


def test_keep_alive_serves_two_requests_on_one_connection(mock_server: MockChatwootServer) -> None:
    connection = connect(mock_server)
    try:
        for _ in range(2):
            connection.request("GET", MESSAGES, headers={"api_access_token": mock_server.user_token})
            response = connection.getresponse()
            assert response.status == 200 and response.getheader("Content-Length")
            response.read()
    finally:
        connection.close()
    assert mock_server.connections_opened == 1


def test_stop_is_prompt_with_an_idle_keep_alive_connection(mock_server: MockChatwootServer) -> None:
    connection = connect(mock_server)
    try:
        connection.request("GET", MESSAGES, headers={"api_access_token": mock_server.user_token})
        connection.getresponse().read()
        started = time.monotonic()
        mock_server.stop()
        assert time.monotonic() - started < 0.5
    finally:
        connection.close()


def test_concurrent_creates_get_distinct_ids(mock_server: MockChatwootServer) -> None:
    def send(worker: int) -> None:
        for index in range(5):
            assert call(mock_server, "POST", MESSAGES, body={"content": f"{worker}-{index}"})[0] == 200

    threads = [threading.Thread(target=send, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    ids = [message["id"] for message in mock_server.messages(1, 17)]
    assert ids == list(range(1, 41)) and mock_server.connections_opened == 40


def test_requests_are_recorded(mock_server: MockChatwootServer) -> None:
    mock_server.fail_next(503)
    connection = connect(mock_server)
    try:
        body = json.dumps({"content": "x"}).encode()
        headers = {"api_access_token": "tok", "Content-Type": "application/json", "X-Custom": "1"}
        connection.request("POST", MESSAGES + "?a=1&a=2&b=", body=body, headers=headers)
        connection.getresponse().read()
        local_port = connection.sock.getsockname()[1]
    finally:
        connection.close()
    (recorded,) = mock_server.requests
    assert isinstance(recorded, RecordedRequest)
    assert (recorded.method, recorded.path, recorded.query) == ("POST", MESSAGES, {"a": "2", "b": ""})
    assert recorded.headers["x-custom"] == "1" and recorded.headers["api_access_token"] == "tok"
    assert recorded.body == body and recorded.json() == {"content": "x"} and recorded.client_port == local_port


def test_reset_restores_the_fresh_state_with_the_same_tokens(mock_server: MockChatwootServer) -> None:
    token = mock_server.user_token
    call(mock_server, "POST", MESSAGES, body={"content": "x"})
    mock_server.add_conversation()
    mock_server.fail_next(503)
    mock_server.agent_bot_url = "http://127.0.0.1:9/"
    mock_server.reset()
    assert mock_server.user_token == token and mock_server.agent_bot_url is None
    assert mock_server.requests == [] and mock_server.connections_opened == 0
    assert call(mock_server, "GET", MESSAGES)[0] == 200
    assert mock_server.messages(1, 17) == [] and mock_server.add_conversation() == 19


def test_lifecycle_details() -> None:
    with pytest.raises(ValueError):
        MockChatwootServer(port=70000)
    server = MockChatwootServer()
    assert repr(server) == "<MockChatwootServer stopped>" and server.port == 0
    server.stop()  # stopping a stopped server does nothing
    with server:
        assert server.start() is server and repr(server) == f"<MockChatwootServer {server.url}>"
    with pytest.raises(ValueError):
        server.add_conversation(account_id=0)


def test_restart_keeps_the_url(mock_server: MockChatwootServer) -> None:
    url = mock_server.url
    mock_server.stop()
    with pytest.raises(RuntimeError):
        _ = mock_server.url
    assert mock_server.start().url == url and call(mock_server, "GET", MESSAGES)[0] == 200


# --- agent bot webhooks ----------------------------------------------------------------------------------------


class _Receiver(BaseHTTPRequestHandler):
    received: Received

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.put(({name.lower(): value for name, value in self.headers.items()}, body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[Tuple[str, Received]]:
    received: Received = queue.Queue()
    handler = type("Receiver", (_Receiver,), {"received": received})
    httpd = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/bot", received
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(2)


def test_incoming_message_is_delivered_as_a_signed_webhook(
    mock_server: MockChatwootServer, receiver: Tuple[str, Received]
) -> None:
    url, received = receiver
    mock_server.agent_bot_url = url
    _, message = call_json(mock_server, "POST", MESSAGES, body={"content": "ping", "message_type": "incoming"})
    headers, body = received.get(timeout=2)
    expected = compute_signature(mock_server.bot_secret, body, headers["x-chatwoot-timestamp"])
    assert headers["x-chatwoot-signature"] == expected and headers["content-type"] == "application/json"
    payload = json.loads(body)
    assert payload["event"] == "message_created" and payload["id"] == message["id"]
    assert payload["message_type"] == "incoming" and payload["content"] == "ping"
    assert payload["created_at"].endswith("Z") and payload["sender"]["type"] == "contact"
    assert payload["conversation"]["id"] == 17 and payload["account"]["id"] == 1 and payload["inbox"]["id"] == 1
    (delivery,) = mock_server.webhook_deliveries
    assert delivery["delivery_id"] == headers["x-chatwoot-delivery"] and delivery["status"] == 200


def test_outgoing_message_and_add_message_send_no_webhook(
    mock_server: MockChatwootServer, receiver: Tuple[str, Received]
) -> None:
    mock_server.agent_bot_url = receiver[0]
    call(mock_server, "POST", MESSAGES, body={"content": "pong"})
    mock_server.add_message(1, 17, "stored directly")
    assert mock_server.webhook_deliveries == [] and receiver[1].empty()


def test_failed_delivery_is_recorded_not_raised(mock_server: MockChatwootServer) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        mock_server.agent_bot_url = f"http://127.0.0.1:{unused.getsockname()[1]}/"
        assert call(mock_server, "POST", MESSAGES, body={"content": "x", "message_type": "incoming"})[0] == 200
    (delivery,) = mock_server.webhook_deliveries
    assert delivery["status"] is None and delivery["error"]


def test_delivery_answered_with_an_error_status_is_recorded(mock_server: MockChatwootServer) -> None:
    mock_server.agent_bot_url = mock_server.url + "/bot"  # the mock answers 404 there
    assert call(mock_server, "POST", MESSAGES, body={"content": "x", "message_type": "incoming"})[0] == 200
    (delivery,) = mock_server.webhook_deliveries
    assert delivery["status"] == 404 and delivery["error"] is None


def test_sign_webhook_headers_verify_with_the_shared_helper() -> None:
    headers = sign_webhook("secret", b'{"event": "message_created"}', timestamp=1700000000)
    assert headers["X-Chatwoot-Timestamp"] == "1700000000" and len(headers["X-Chatwoot-Delivery"]) == 36
    assert headers["X-Chatwoot-Signature"] == compute_signature("secret", '{"event": "message_created"}', 1700000000)
    assert sign_webhook("secret", b"x")["X-Chatwoot-Delivery"] != headers["X-Chatwoot-Delivery"]


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
