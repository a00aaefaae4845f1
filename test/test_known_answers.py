"""Known answers: what the SDK and the mock server could agree on while both being wrong, checked against values
computed by other implementations (openssl for the webhook signature, the standard library's email parser for
multipart bodies, urllib.parse for query strings) or written out by hand."""

from __future__ import annotations

import email.parser
import email.policy
import json
from typing import Any, List, Tuple
from urllib.parse import parse_qsl, urlsplit

import pytest
from _constants import EMPTY_PAGE
from _constants import WEBHOOK_BODY as BODY
from _constants import WEBHOOK_BODY_HEX as BODY_HEX  # openssl's answer, see _constants
from _constants import WEBHOOK_SECRET as SECRET
from _constants import WEBHOOK_TIMESTAMP as TIMESTAMP
from _loopback import LoopbackServer, answer

import chatwoot_client
from chatwoot_client.testing import sign_webhook
from chatwoot_client.webhooks import verify_signature

UTF8_BODY = '{"content":"café"}'.encode()
# printf '1800000000.{"content":"caf\xc3\xa9"}' | openssl dgst -sha256 -hmac 'bot-secret'
UTF8_BODY_HEX = "9d45401720db378546d2e1565f4337ed53340d24d60149c703205c6353c0d23b"
TOKEN = "tok-known-answers"
CREATED = json.dumps({"id": 9, "content": "see attached", "message_type": 1, "conversation_id": 17}).encode()


# -- the webhook signature, as Chatwoot 4.13 computes it ---------------------------------------------------------


@pytest.mark.parametrize(("body", "hex_digest"), [(BODY, BODY_HEX), (UTF8_BODY, UTF8_BODY_HEX)])
def test_openssl_signature_is_accepted(body: bytes, hex_digest: str) -> None:
    assert verify_signature(SECRET, body, f"sha256={hex_digest}", str(TIMESTAMP), now=TIMESTAMP) is True


def test_signature_over_the_body_alone_is_rejected() -> None:
    # printf '%s' '{"event":"message_created","id":1,"content":"Hi"}' | openssl dgst -sha256 -hmac 'bot-secret'
    body_only = "fb6e7594591aaa14819fbdd592dc7b83cf12e09a8a0d3e368869524391b4a8ee"

    assert verify_signature(SECRET, BODY, f"sha256={body_only}", str(TIMESTAMP), now=TIMESTAMP) is False


@pytest.mark.parametrize(("body", "hex_digest"), [(BODY, BODY_HEX), (UTF8_BODY, UTF8_BODY_HEX)])
def test_mock_signs_webhooks_as_openssl_does(body: bytes, hex_digest: str) -> None:
    headers = sign_webhook(SECRET, body, TIMESTAMP)

    assert headers["X-Chatwoot-Signature"] == f"sha256={hex_digest}"
    assert headers["X-Chatwoot-Timestamp"] == "1800000000"


# -- what goes on the wire ---------------------------------------------------------------------------------------


def _api(clients: List[chatwoot_client.ApiClient], url: str) -> chatwoot_client.MessagesApi:
    configuration = chatwoot_client.Configuration(host=url, api_key={"api_access_token": TOKEN}, retries=0)
    configuration.timeout = (1.0, 2.0)
    configuration.reconcile_creates = False  # these tests read one request's bytes: no lookup before a create
    clients.append(chatwoot_client.ApiClient(configuration))
    return chatwoot_client.MessagesApi(clients[-1])


def _split(request: bytes) -> Tuple[str, List[Tuple[str, str]], bytes]:
    """(request line, headers, body) of one raw request."""
    head, _, body = request.partition(b"\r\n\r\n")
    line, *fields = head.decode("latin-1").split("\r\n")
    return line, [(name.strip(), value.strip()) for name, _, value in (field.partition(":") for field in fields)], body


def test_multipart_body_reads_the_same_with_the_standard_library(clients: List[chatwoot_client.ApiClient]) -> None:
    photo = bytes(range(256)) * 4
    with LoopbackServer([answer(body=CREATED)]) as server:
        api = _api(clients, server.url)
        body = chatwoot_client.ConversationMessageCreate(
            content="see attached", private=True, content_attributes={"client_message_id": "known-1"}
        )
        api.create_a_new_message_in_a_conversation(
            body, 1, 17, attachments=[("photo.png", photo), ("notes.txt", b"line 1\r\n\r\nline 3", "text/plain")]
        )
    _, headers, raw_body = _split(server.requests[0])
    content_type = dict((name.lower(), value) for name, value in headers)["content-type"]
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + raw_body
    )

    parts = [
        (part.get_param("name", header="content-disposition"), part.get_filename(), part.get_content_type(), part)
        for part in message.iter_parts()
    ]
    assert message.get_content_type() == "multipart/form-data"
    assert [(name, filename, kind) for name, filename, kind, _ in parts] == [
        ("content", None, "text/plain"),
        ("private", None, "text/plain"),
        ("content_attributes", None, "text/plain"),
        ("attachments[]", "photo.png", "image/png"),
        ("attachments[]", "notes.txt", "text/plain"),
    ]
    payloads = [bytes(part.get_payload(decode=True)) for *_, part in parts]
    assert payloads[:2] == [b"see attached", b"true"]
    assert json.loads(payloads[2]) == {"client_message_id": "known-1"}
    assert payloads[3:] == [photo, b"line 1\r\n\r\nline 3"]


@pytest.mark.parametrize(
    ("options", "target"),
    [
        ({}, "/api/v1/accounts/1/conversations/17/messages"),
        ({"before": 5}, "/api/v1/accounts/1/conversations/17/messages?before=5"),
        ({"after": 0, "before": 12}, "/api/v1/accounts/1/conversations/17/messages?before=12&after=0"),
        (
            {"after": 3, "filter_internal_messages": True},
            "/api/v1/accounts/1/conversations/17/messages?after=3&filter_internal_messages=true",
        ),
        ({"filter_internal_messages": False}, "/api/v1/accounts/1/conversations/17/messages"),
    ],
)
def test_list_request_target_is_written_out(
    clients: List[chatwoot_client.ApiClient], options: Any, target: str
) -> None:
    with LoopbackServer([answer(body=EMPTY_PAGE)]) as server:
        _api(clients, server.url).list_all_messages(1, 17, **options)
    line, _, _ = _split(server.requests[0])

    assert line == f"GET {target} HTTP/1.1"
    sent = {
        name: value for name, value in parse_qsl(urlsplit(target).query, strict_parsing=bool(urlsplit(target).query))
    }
    assert sent == {
        name: ("true" if value is True else str(value)) for name, value in options.items() if value is not False
    }


def test_update_sends_exactly_its_json(clients: List[chatwoot_client.ApiClient]) -> None:
    message = json.dumps({"id": 4, "content": "hi", "message_type": 1, "conversation_id": 17, "status": "read"})
    with LoopbackServer([answer(body=message.encode())]) as server:
        _api(clients, server.url).update_a_message(chatwoot_client.MessageStatusUpdate(status="read"), 1, 17, 4)
    line, headers, body = _split(server.requests[0])

    assert line == "PATCH /api/v1/accounts/1/conversations/17/messages/4 HTTP/1.1"
    assert ("Content-Type", "application/json") in headers
    assert body == b'{"status":"read"}'
