"""SERVER.md sections 1 and 2: routes, tokens and the order of checks, over raw HTTP."""

from __future__ import annotations

import json
from typing import Optional

import pytest
from _mock_http import MESSAGES, NOT_FOUND, call, call_json, connect

from chatwoot_client.testing import MockChatwootServer

BOTS_REFUSED = {"error": "Access to this endpoint is not authorized for bots"}
SIGN_IN = {"errors": ["You need to sign in or sign up before continuing."]}


@pytest.mark.parametrize("token", [None, "", "   "])
def test_rule_2_1_a_missing_or_blank_token_gets_devises_errors_body(
    server: MockChatwootServer, token: Optional[str]
) -> None:
    """SERVER.md 2.1: absent, empty or whitespace-only token: Devise's 401 with an ``errors`` list."""
    assert call_json(server, "GET", MESSAGES, token=token) == (401, SIGN_IN)


def test_rule_2_1_an_unknown_token_is_an_invalid_access_token(server: MockChatwootServer) -> None:
    """SERVER.md 2.1: a present but unknown token."""
    assert call_json(server, "GET", MESSAGES, token="no-such-token") == (401, {"error": "Invalid Access Token"})


def test_rule_2_1_the_token_header_may_be_written_with_dashes(server: MockChatwootServer) -> None:
    """SERVER.md 2.1: Rails reads the header through Rack's HTTP_API_ACCESS_TOKEN, which dashes also reach."""
    status, _, _ = call(server, "GET", MESSAGES, token=None, headers={"api-access-token": server.user_token})
    assert status == 200


def test_rule_2_1_the_token_check_comes_before_the_account(server: MockChatwootServer) -> None:
    """SERVER.md 2: an unknown account is not looked up before the token is checked."""
    assert call_json(server, "GET", "/api/v1/accounts/3/conversations/1/messages", token=None) == (401, SIGN_IN)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", MESSAGES),
        ("DELETE", MESSAGES + "/1"),
        ("PATCH", MESSAGES + "/1"),
        ("PUT", MESSAGES + "/1"),
        ("POST", MESSAGES + "/1/retry"),
        ("GET", "/api/v1/accounts/99/conversations/17/messages"),
    ],
)
def test_rule_2_2_a_bot_token_may_only_create_even_in_an_unknown_account(
    server: MockChatwootServer, method: str, path: str
) -> None:
    """SERVER.md 2.2: the bot allow-list answers before the account is looked up."""
    assert call_json(server, method, path, token="bot") == (401, BOTS_REFUSED)


def test_rule_2_3_an_unknown_account_is_not_found(server: MockChatwootServer) -> None:
    """SERVER.md 2.3."""
    assert call_json(server, "GET", "/api/v1/accounts/3/conversations/1/messages") == (404, NOT_FOUND)


def test_rule_2_3_a_suspended_account_is_unauthorized(server: MockChatwootServer) -> None:
    """SERVER.md 2.3: a suspended account (the mock has no public switch for it, so the test sets its flag)."""
    server._engine.store.accounts[1].suspended = True
    assert call_json(server, "GET", MESSAGES) == (401, {"error": "Account is suspended"})


def test_rule_2_4_a_user_outside_the_account_is_unauthorized(server: MockChatwootServer) -> None:
    """SERVER.md 2.4."""
    conversation_id = server.add_conversation(account_id=2)
    path = f"/api/v1/accounts/2/conversations/{conversation_id}/messages"
    assert call_json(server, "GET", path) == (401, {"error": "You are not authorized to access this account"})


def test_rule_2_4_a_bot_outside_its_account_is_unauthorized(server: MockChatwootServer) -> None:
    """SERVER.md 2.4: a bot creating in an account it has no inbox in."""
    conversation_id = server.add_conversation(account_id=2)
    path = f"/api/v1/accounts/2/conversations/{conversation_id}/messages"
    answer = call_json(server, "POST", path, token="bot", body={"content": "x"})
    assert answer == (401, {"error": "Bot is not authorized to access this account"})


@pytest.mark.parametrize(
    "path",
    ["/api/v1/accounts/1/conversations/99/messages", "/api/v1/accounts/x/conversations/17/messages"],
)
def test_rule_2_5_an_unknown_conversation_or_account_id_is_not_found(server: MockChatwootServer, path: str) -> None:
    """SERVER.md 2.3 and 2.5; an id without a leading digit is not found."""
    assert call_json(server, "GET", path) == (404, NOT_FOUND)


@pytest.mark.parametrize("segment", ["017", "17abc"])
def test_rule_1_path_ids_are_cast_as_rails_integers(server: MockChatwootServer, segment: str) -> None:
    """SERVER.md 1: leading digits count, the rest is ignored."""
    status, page = call_json(server, "GET", f"/api/v1/accounts/1/conversations/{segment}/messages")
    assert status == 200 and page["payload"] == []


@pytest.mark.parametrize("segment", ["0", "-1", "99999999999999999999999999999999"])
def test_rule_1_a_zero_negative_or_huge_path_id_is_not_found(server: MockChatwootServer, segment: str) -> None:
    """SERVER.md 1: no leading digit or too large: not found."""
    assert call_json(server, "DELETE", f"{MESSAGES}/{segment}") == (404, NOT_FOUND)


def test_rule_1_a_json_format_suffix_ends_the_last_segment(server: MockChatwootServer) -> None:
    """SERVER.md 1: a ``.`` ends a segment (``messages.json`` is the list)."""
    status, page = call_json(server, "GET", MESSAGES + ".json")
    assert status == 200 and page["payload"] == []


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/profile"),
        ("PUT", MESSAGES),
        ("GET", MESSAGES + "/1"),
        ("GET", MESSAGES + "/"),
        ("OPTIONS", MESSAGES),
    ],
)
def test_rule_1_an_unknown_route_is_the_routers_json_404_before_the_token_check(
    server: MockChatwootServer, method: str, path: str
) -> None:
    """SERVER.md 1: a JSON request to no route: ``{"status":404,"error":"Not Found"}``, whatever the token."""
    status, headers, body = call(server, method, path, token=None, headers={"Accept": "application/json"})
    assert (status, json.loads(body)) == (404, {"status": 404, "error": "Not Found"})
    assert headers["content-type"] == "application/json; charset=utf-8"


def test_rule_1_an_unknown_route_without_a_json_accept_gets_an_html_page(server: MockChatwootServer) -> None:
    """SERVER.md 1: any other request to no route gets Rails' HTML 404 page."""
    status, headers, body = call(server, "GET", "/api/v1/profile", token=None)
    assert status == 404 and headers["content-type"].startswith("text/html") and b"<html>" in body


def test_rule_1_head_is_answered_as_get_without_a_body(server: MockChatwootServer) -> None:
    """SERVER.md 1: HEAD is GET without a body."""
    connection = connect(server)
    try:
        connection.request("HEAD", MESSAGES, headers={"api_access_token": server.user_token})
        response = connection.getresponse()
        assert (response.status, response.read()) == (200, b"")
        assert int(response.getheader("Content-Length", "0")) > 0
    finally:
        connection.close()


def test_rule_1_json_answers_carry_a_request_id(server: MockChatwootServer) -> None:
    """SERVER.md 1: ``application/json; charset=utf-8`` with ``X-Request-Id``."""
    status, headers, _ = call(server, "GET", MESSAGES)
    assert status == 200 and headers["content-type"] == "application/json; charset=utf-8"
    assert len(headers["x-request-id"]) == 36


def test_rule_2_7_a_message_of_another_conversation_is_not_found(server: MockChatwootServer) -> None:
    """SERVER.md 2.7: messages are looked up within the path's conversation."""
    other = server.add_message(1, 18, "elsewhere")
    assert call_json(server, "DELETE", f"{MESSAGES}/{other['id']}") == (404, NOT_FOUND)


def test_bot_may_create_an_outgoing_message_as_itself(server: MockChatwootServer) -> None:
    status, message = call_json(server, "POST", MESSAGES, token="bot", body={"content": "beep"})
    assert status == 200 and message["sender"]["type"] == "agent_bot"


def test_add_conversation_gives_the_next_display_id(server: MockChatwootServer) -> None:
    assert server.add_conversation() == 19
    assert server.add_conversation(api_inbox=False) == 20
    assert server.add_conversation(account_id=5) == 1
