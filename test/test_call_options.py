"""Call options and settings read back: async results, the cookie header, the debug and logger_file settings, and
attachment and webhook arguments refused before any work."""

from __future__ import annotations

import logging
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

import chatwoot_client
from chatwoot_client import webhooks
from chatwoot_client.api_client import AsyncResult
from chatwoot_client.testing import MockChatwootServer
from conftest import ACCOUNT_ID, API_CONVERSATION_ID, make_configuration


def test_async_result_can_be_waited_for_then_checked(api: chatwoot_client.MessagesApi) -> None:
    pending: Any = api.list_all_messages_with_http_info(ACCOUNT_ID, API_CONVERSATION_ID, async_req=True)

    pending.wait(timeout=5)

    assert pending.ready()
    assert pending.successful()
    assert pending.get()[1] == 200


def test_async_result_of_a_failed_call_is_not_successful(api: chatwoot_client.MessagesApi) -> None:
    pending: Any = api.list_all_messages_with_http_info(ACCOUNT_ID, 999, async_req=True)

    pending.wait(timeout=5)

    assert not pending.successful()
    with pytest.raises(chatwoot_client.exceptions.NotFoundException):
        pending.get()


def test_async_result_cannot_tell_success_before_the_call_ends() -> None:
    with pytest.raises(ValueError, match="has not finished"):
        AsyncResult(Future()).successful()


def test_cookie_is_sent_with_every_call(server: MockChatwootServer) -> None:
    configuration = make_configuration(server, server.user_token)
    with chatwoot_client.ApiClient(configuration, cookie="session=abc") as client:
        chatwoot_client.MessagesApi(client).list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID)

    assert server.requests[-1].headers["cookie"] == "session=abc"


def test_debug_setting_reads_back_and_sets_the_package_logger_level() -> None:
    configuration = chatwoot_client.Configuration()
    package_logger = logging.getLogger("chatwoot_client")
    assert configuration.debug is False
    try:
        configuration.debug = True
        assert configuration.debug is True
        assert package_logger.level == logging.DEBUG
    finally:
        configuration.debug = False
    assert package_logger.level == logging.WARNING


def test_logger_file_setting_reads_back(tmp_path: Path) -> None:
    configuration = chatwoot_client.Configuration()
    assert configuration.logger_file is None
    try:
        configuration.logger_file = str(tmp_path / "sdk.log")
        assert configuration.logger_file == str(tmp_path / "sdk.log")
    finally:
        configuration.logger_file = None
    assert configuration.logger_file is None


@pytest.mark.parametrize(
    ("attachment", "problem"),
    [
        (("notes.txt", b"x", 5), r"attachments\[0\]: the mime type must be a str, got 5"),
        (('say "hi".txt', b"x"), r"attachments\[0\]: the filename must not contain CR, LF or a double quote"),
        (("two\nlines.txt", b"x"), r"attachments\[0\]: the filename must not contain CR, LF or a double quote"),
    ],
)
def test_attachment_with_a_bad_mime_type_or_filename_is_refused_before_io(
    api: chatwoot_client.MessagesApi, server: MockChatwootServer, attachment: Any, problem: str
) -> None:
    with pytest.raises(chatwoot_client.ApiValueError, match=problem):
        api.create_a_new_message_in_a_conversation(
            {"content": "Hi"}, ACCOUNT_ID, API_CONVERSATION_ID, attachments=[attachment]
        )

    assert server.requests == []


def test_webhook_secret_of_the_wrong_type_raises_type_error() -> None:
    with pytest.raises(TypeError, match="secret must be str or bytes, got int"):
        webhooks.verify_signature(12345, b"{}", "sha256=00", "1764201600")  # type: ignore[arg-type]
