"""The typed user script (test/typing/user_script.py, type-checked by tools/check_types.py) runs against the mock
server: the calls whose types it pins are calls the SDK accepts, and they give what the types say."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import urllib3

import chatwoot_client
from chatwoot_client.testing import MockChatwootServer
from conftest import ACCOUNT_ID, API_CONVERSATION_ID

USER_SCRIPT = Path(__file__).resolve().parent / "typing" / "user_script.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("user_script", USER_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


user_script = _load()


def test_user_script_runs_every_operation_and_call_option(server: MockChatwootServer) -> None:
    user_script.main(server.url, server.user_token, ACCOUNT_ID, API_CONVERSATION_ID)

    methods = [request.method for request in server.requests]
    assert {"POST", "GET", "PATCH", "DELETE"} <= set(methods)


def test_call_options_give_the_types_the_script_asserts(api: chatwoot_client.MessagesApi) -> None:
    later = api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID, async_req=True)
    raw = api.list_all_messages(ACCOUNT_ID, API_CONVERSATION_ID, _preload_content=False)
    data, status, headers = api.list_all_messages_with_http_info(ACCOUNT_ID, API_CONVERSATION_ID)

    assert isinstance(later, chatwoot_client.api_client.AsyncResult)
    assert isinstance(later.get(timeout=5), chatwoot_client.MessageList)
    assert isinstance(raw, getattr(urllib3, "BaseHTTPResponse", urllib3.HTTPResponse))  # 1.26: HTTPResponse
    assert raw.data.startswith(b"{")
    assert (type(data), type(status), headers["Content-Type"].split(";")[0]) == (
        chatwoot_client.MessageList,
        int,
        "application/json",
    )


def test_mistakes_the_type_checkers_report_are_refused_at_run_time(api: chatwoot_client.MessagesApi) -> None:
    try:
        user_script.mistakes(api)
    except chatwoot_client.ApiTypeError as error:
        assert "befor" in str(error)
    else:
        raise AssertionError("a misspelt keyword passed")
