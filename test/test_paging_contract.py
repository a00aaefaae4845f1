"""iter_all_messages never ends early in silence: each page it cannot read or page past ends in an ApiException whose
text says why, written out here, after the messages of that page."""

from __future__ import annotations

import json
from typing import Any, List

import pytest
from _loopback import LoopbackServer, answer

import chatwoot_client

TOKEN = "tok-paging"


def _page(payload: Any) -> bytes:
    return answer(body=json.dumps({"meta": {}, "payload": payload}).encode())


def _iterate(clients: List[chatwoot_client.ApiClient], *pages: bytes) -> Any:
    with LoopbackServer(list(pages)) as server:
        configuration = chatwoot_client.Configuration(host=server.url, api_key={"api_access_token": TOKEN})
        clients.append(chatwoot_client.ApiClient(configuration))
        seen: List[Any] = []
        with pytest.raises(chatwoot_client.ApiException) as info:
            for message in chatwoot_client.MessagesApi(clients[-1]).iter_all_messages(1, 17):
                seen.append(message.id)
    return seen, str(info.value)


@pytest.mark.parametrize(
    ("payload", "found"),
    [({"id": 1}, "dict"), ("messages", "str"), (None, "NoneType"), ([{"id": 1}, 5], "a list with other items")],
)
def test_a_page_that_is_not_a_list_of_messages_says_what_it_is(
    clients: List[chatwoot_client.ApiClient], payload: Any, found: str
) -> None:
    seen, text = _iterate(clients, _page(payload))

    assert seen == []
    assert text == f"(200) Invalid response body: a page whose payload is {found}"


@pytest.mark.parametrize(
    ("last", "shown"),
    [(3, "3"), ("x" * 60, repr("x" * 60)[:40]), (True, "True"), (None, "None")],
)
def test_a_page_that_does_not_advance_names_its_last_id(
    clients: List[chatwoot_client.ApiClient], last: Any, shown: str
) -> None:
    seen, text = _iterate(clients, _page([{"id": 4}, {"id": 5}]), _page([{"id": 6}, {"id": last}]))

    assert seen == [4, 5, 6, last]
    assert text == f"(200) Invalid response body: cannot page past message id {shown} (after=5)"
