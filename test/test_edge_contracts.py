"""Edges of webhooks, exceptions and the command line that other tests pass over: a timestamp of 0, arguments of
the wrong type, exact refusal messages, and the texts the command line prints, written out."""

from __future__ import annotations

import json
from typing import Any, List

import pytest
from _constants import WEBHOOK_BODY, WEBHOOK_SECRET, WEBHOOK_SIGNATURE, WEBHOOK_TIMESTAMP

import chatwoot_client
from chatwoot_client import cli, exceptions, webhooks

# printf '%s' '0.{"event":"message_created","id":1,"content":"Hi"}' | openssl dgst -sha256 -hmac 'bot-secret'
EPOCH_SIGNATURE = "sha256=7f7518c5ea3f499ff69f472427a3a3ea2ed68aa8a7ee00f19e660ece5c62cb3d"


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHATWOOT_BASE_URL", raising=False)
    monkeypatch.delenv("CHATWOOT_API_ACCESS_TOKEN", raising=False)


# -- webhooks ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("timestamp", [0, "0"])
def test_a_delivery_signed_at_the_epoch_is_accepted(timestamp: Any) -> None:
    assert webhooks.verify_signature(WEBHOOK_SECRET, WEBHOOK_BODY, EPOCH_SIGNATURE, timestamp, now=0) is True


@pytest.mark.parametrize("timestamp", [-1, True, 1.0, "1" * 16, "\u0661\u0662"])
def test_a_timestamp_that_is_not_unix_seconds_is_rejected(timestamp: Any) -> None:
    assert webhooks.verify_signature(WEBHOOK_SECRET, WEBHOOK_BODY, WEBHOOK_SIGNATURE, timestamp, now=0) is False


@pytest.mark.parametrize("signature", [WEBHOOK_SIGNATURE[:-1], WEBHOOK_SIGNATURE + "0", " " + WEBHOOK_SIGNATURE + " "])
def test_signature_of_63_or_65_hex_digits_is_rejected_and_spaces_are_ignored(signature: str) -> None:
    accepted = signature.strip() == WEBHOOK_SIGNATURE
    result = webhooks.verify_signature(
        WEBHOOK_SECRET, WEBHOOK_BODY, signature, str(WEBHOOK_TIMESTAMP), now=WEBHOOK_TIMESTAMP
    )
    assert result is accepted


@pytest.mark.parametrize(("name", "value"), [("tolerance", True), ("tolerance", "300"), ("now", "0"), ("now", False)])
def test_seconds_of_the_wrong_type_raise_type_error(name: str, value: Any) -> None:
    arguments = {"tolerance": 300, "now": WEBHOOK_TIMESTAMP, name: value}
    with pytest.raises(TypeError) as info:
        webhooks.verify_signature(WEBHOOK_SECRET, WEBHOOK_BODY, WEBHOOK_SIGNATURE, str(WEBHOOK_TIMESTAMP), **arguments)

    assert str(info.value) == f"{name} must be a number of seconds, got {type(value).__name__}"


def test_non_finite_seconds_raise_value_error_naming_them() -> None:
    with pytest.raises(ValueError) as info:
        webhooks.verify_signature(WEBHOOK_SECRET, WEBHOOK_BODY, WEBHOOK_SIGNATURE, "0", tolerance=float("nan"))

    assert str(info.value) == "tolerance must be a finite number of seconds, got nan"


def test_headers_that_are_not_a_mapping_raise_type_error_naming_them() -> None:
    with pytest.raises(TypeError) as info:
        webhooks.parse_event(WEBHOOK_BODY, ["X-Chatwoot-Delivery"])  # type: ignore[arg-type]

    assert str(info.value) == "headers must be a mapping of header names to values, got list"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{", "webhook body is not valid JSON: "),
        (b"\xff", "webhook body is not UTF-8 text: "),
        (b"[1]", "webhook body must be a JSON object, got a JSON list"),
        (5, "webhook body must be bytes, str or dict, got int"),
        (b'{"event": ""}', "webhook payload has no 'event' name, got ''"),
    ],
)
def test_malformed_body_raises_value_error_with_its_message(body: Any, message: str) -> None:
    with pytest.raises(ValueError) as info:
        webhooks.parse_event(body)

    assert str(info.value).startswith(message)


def test_event_fields_of_odd_types_read_as_none() -> None:
    payload = {"event": "message_created", "id": True, "content": 5, "private": 1, "message_type": 9, "sender": []}

    event = webhooks.parse_event(json.dumps(payload))

    assert (event.id, event.content, event.private, event.message_type, event.sender) == (None, None, False, "9", {})


def test_event_account_id_falls_back_to_a_top_level_one() -> None:
    event = webhooks.parse_event({"event": "message_created", "account": {"name": "x"}, "account_id": 4})

    assert event.account_id == 4


# -- exceptions --------------------------------------------------------------------------------------------------


def test_an_error_body_given_as_bytes_is_decoded() -> None:
    error = exceptions.ApiException(500, "Oops", b"caf\xc3\xa9 \xff", None)  # type: ignore[arg-type]

    assert str(error) == "(500) Oops: café \ufffd"


def test_headers_are_masked_only_where_a_secret_is_echoed() -> None:
    clean = {"Content-Type": "text/plain"}
    echoed = {"Content-Type": "text/plain", "Location": "/x?token=tok-ECHO"}

    kept = exceptions.ApiException(500, "Oops", None, clean)._hide(["tok-ECHO"])
    masked = exceptions.ApiException(302, "Found", None, echoed)._hide(["tok-ECHO"])

    assert kept.headers is clean
    assert masked.headers is not None and dict(masked.headers) == {
        "Content-Type": "text/plain",
        "Location": "/x?token=***",
    }


# -- the command line --------------------------------------------------------------------------------------------


def _run(capsys: pytest.CaptureFixture[str], *arguments: str) -> List[Any]:
    status = cli.main(list(arguments))
    out, err = capsys.readouterr()
    return [status, out, err]


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--timeout", "abc", "must be a number of seconds above 0 and at most 86400.0, got 'abc'"),
        ("--timeout", "inf", "must be a number of seconds above 0 and at most 86400.0, got 'inf'"),
        ("--timeout", "86400.5", "must be a number of seconds above 0 and at most 86400.0, got '86400.5'"),
        ("--retries", "x", "must be a whole number, got 'x'"),
    ],
)
def test_bad_option_value_is_a_usage_error_naming_it(
    capsys: pytest.CaptureFixture[str], option: str, value: str, message: str
) -> None:
    status, _, err = _run(capsys, option, value, "messages", "list", "--account-id", "1", "--conversation-id", "17")

    assert status == 2
    assert message in err


def test_send_without_content_or_attachment_says_what_it_needs(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(
        capsys,
        "--base-url",
        "http://127.0.0.1:9",
        "--token",
        "tok-EDGE",
        "messages",
        "send",
        "--account-id",
        "1",
        "--conversation-id",
        "17",
    )

    assert (status, err) == (2, "chatwoot-client: error: messages send needs --content, --attach or both\n")


def test_demo_sends_its_reply(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "--json", "demo")

    assert status == 0
    assert json.loads(out)["created"]["content"] == "Hello from chatwoot-client! Your order ships today."


def test_an_unforeseen_error_is_one_line_naming_its_type(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise LookupError("nothing here")

    monkeypatch.setattr(chatwoot_client.MessagesApi, "list_all_messages", broken)
    status, _, err = _run(
        capsys,
        "--base-url",
        "http://127.0.0.1:9",
        "--token",
        "tok-EDGE",
        "messages",
        "list",
        "--account-id",
        "1",
        "--conversation-id",
        "17",
    )

    assert (status, err) == (1, "chatwoot-client: error: unexpected LookupError: nothing here\n")
