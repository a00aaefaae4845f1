"""ApiClient at the edges: ids from 1 (or 0) to 2**63 - 1, flags, unknown keywords and missing arguments with their
messages, the headers every call carries, what the return options give, the async_req pool, reading an answer
that is not the JSON the operation expects, and the repr."""

from __future__ import annotations

import threading
from typing import Any, Iterator, List, Tuple

import pytest
from _constants import CREATED_MESSAGE, EMPTY_PAGE, MESSAGES_PATH
from _loopback import LoopbackServer, answer

import chatwoot_client
from chatwoot_client import rest

TOKEN = "tok-api-client"
BIGGEST_ID = 9223372036854775807  # 2**63 - 1, written out


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer([answer(body=EMPTY_PAGE)] * 3) as loopback:
        yield loopback


@pytest.fixture
def client(server: LoopbackServer) -> Iterator[chatwoot_client.ApiClient]:
    configuration = chatwoot_client.Configuration(host=server.url, api_key={"api_access_token": TOKEN}, retries=0)
    configuration.timeout = (1.0, 2.0)
    with chatwoot_client.ApiClient(configuration) as made:
        yield made


def _api(client: chatwoot_client.ApiClient) -> chatwoot_client.MessagesApi:
    return chatwoot_client.MessagesApi(client)


def _headers(request: bytes) -> List[Tuple[str, str]]:
    head = request.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    return [(name, value.strip()) for name, _, value in (line.partition(":") for line in head.split("\r\n")[1:])]


# -- ids and flags -----------------------------------------------------------------------------------------------


def test_the_biggest_id_is_sent(client: chatwoot_client.ApiClient, server: LoopbackServer) -> None:
    _api(client).list_all_messages(BIGGEST_ID, 1, after=0)

    assert server.requests[0].startswith(
        f"GET /api/v1/accounts/{BIGGEST_ID}/conversations/1/messages?after=0 HTTP/1.1".encode()
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda api: api.list_all_messages(BIGGEST_ID + 1, 1),
            f"account_id must be a positive int (at most 2**63 - 1), got {BIGGEST_ID + 1}",
        ),
        (lambda api: api.list_all_messages(0, 1), "account_id must be a positive int (at most 2**63 - 1), got 0"),
        (lambda api: api.list_all_messages(1, 1, after=-1), "after must be an int >= 0 (at most 2**63 - 1), got -1"),
        (lambda api: api.list_all_messages(1, 1, before=0), "before must be a positive int (at most 2**63 - 1), got 0"),
        (lambda api: api.delete_a_message(1, 1, "7"), "message_id must be a positive int (at most 2**63 - 1), got '7'"),
        (
            lambda api: api.list_all_messages(1, 1, filter_internal_messages=1),
            "filter_internal_messages must be a bool, got 1",
        ),
        (
            lambda api: api.list_all_messages(1, 1, page=2),
            "Got an unexpected keyword argument 'page' to method list_all_messages",
        ),
        (
            lambda api: api.delete_a_message(None, 1, 2),
            "Missing the required parameter `account_id` when calling `delete_a_message`",
        ),
    ],
)
def test_bad_argument_is_refused_before_io_with_its_message(
    client: chatwoot_client.ApiClient, server: LoopbackServer, call: Any, message: str
) -> None:
    with pytest.raises((chatwoot_client.ApiValueError, chatwoot_client.ApiTypeError)) as info:
        call(_api(client))

    assert str(info.value) == message
    assert server.requests == []


def test_a_huge_id_is_shown_short(client: chatwoot_client.ApiClient) -> None:
    with pytest.raises(chatwoot_client.ApiValueError) as info:
        _api(client).list_all_messages(10**100, 1)

    shown = str(info.value).split(", got ", 1)[1]
    assert len(shown) == 80 and shown.endswith("...")


def test_a_false_flag_is_left_out(client: chatwoot_client.ApiClient, server: LoopbackServer) -> None:
    _api(client).list_all_messages(1, 17, filter_internal_messages=False)

    assert server.requests[0].startswith(f"GET {MESSAGES_PATH} HTTP/1.1".encode())


# -- what every call carries ---------------------------------------------------------------------------------------


def test_every_call_carries_accept_user_agent_cookie_and_the_token(
    client: chatwoot_client.ApiClient, server: LoopbackServer
) -> None:
    client.cookie = "session=abc"
    client.set_default_header("X-Trace", "t-1")

    _api(client).list_all_messages(1, 17)

    headers = dict(_headers(server.requests[0]))
    assert headers["Accept"] == "application/json, text/plain"
    assert headers["User-Agent"] == f"chatwoot-client-python/{chatwoot_client.__version__}"
    assert (headers["Cookie"], headers["X-Trace"], headers["api_access_token"]) == ("session=abc", "t-1", TOKEN)


def test_no_cookie_is_sent_once_it_is_unset(client: chatwoot_client.ApiClient, server: LoopbackServer) -> None:
    client.cookie = "session=abc"
    client.cookie = None

    _api(client).list_all_messages(1, 17)

    assert "Cookie" not in dict(_headers(server.requests[0]))


def test_a_call_without_a_token_is_refused_naming_the_setting(server: LoopbackServer) -> None:
    client = chatwoot_client.ApiClient(chatwoot_client.Configuration(host=server.url))
    with client, pytest.raises(chatwoot_client.ApiValueError) as info:
        _api(client).list_all_messages(1, 17)

    assert str(info.value) == (
        "list_all_messages needs an access token: set configuration.api_key['api_access_token'] "
        "(or CHATWOOT_API_ACCESS_TOKEN with Configuration.from_env())"
    )
    assert server.requests == []


def test_a_create_without_content_or_attachments_is_refused(
    client: chatwoot_client.ApiClient, server: LoopbackServer
) -> None:
    with pytest.raises(chatwoot_client.ApiValueError) as info:
        _api(client).create_a_new_message_in_a_conversation({"private": True}, 1, 17)

    assert str(info.value) == "body.content is required when there are no attachments"
    assert server.requests == []


# -- return options ----------------------------------------------------------------------------------------------


def test_with_http_info_gives_data_status_and_headers(client: chatwoot_client.ApiClient) -> None:
    data, status, headers = _api(client).list_all_messages_with_http_info(1, 17)

    assert (data.payload, status, headers["Content-Length"]) == ([], 200, str(len(EMPTY_PAGE)))


def test_without_preload_the_raw_answer_is_given(client: chatwoot_client.ApiClient) -> None:
    raw, status, _ = _api(client).list_all_messages_with_http_info(1, 17, _preload_content=False)

    assert (raw.read(), status) == (EMPTY_PAGE, 200)


def test_a_call_without_an_answer_model_returns_none(client: chatwoot_client.ApiClient, server: LoopbackServer) -> None:
    server.answers[:] = [answer("200 OK", b"not json at all")]

    assert _api(client).delete_a_message(1, 17, 5) is None  # type: ignore[func-returns-value]


# -- async_req ---------------------------------------------------------------------------------------------------


def test_async_calls_run_on_the_named_pool_of_the_given_size(server: LoopbackServer) -> None:
    configuration = chatwoot_client.Configuration(host=server.url, api_key={"api_access_token": TOKEN})
    with chatwoot_client.ApiClient(configuration, pool_threads=3) as client:
        result: Any = _api(client).list_all_messages(1, 17, async_req=True)
        assert result.get(5).payload == []
        pool: Any = client.pool
        assert pool._max_workers == 3
        assert pool is client.pool
        names = {thread.name for thread in threading.enumerate()}
        assert any(name.startswith("chatwoot-client") for name in names)
    assert client._pool is None


def test_close_waits_for_async_calls_to_finish(server: LoopbackServer) -> None:
    server.answers[:] = [answer(body=EMPTY_PAGE)]
    configuration = chatwoot_client.Configuration(host=server.url, api_key={"api_access_token": TOKEN})
    client = chatwoot_client.ApiClient(configuration)
    result: Any = _api(client).list_all_messages(1, 17, async_req=True)

    client.close()

    assert result.ready() and result.successful()


# -- answers that are not what the operation expects ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "found"),
    [
        (b"not json", "not JSON"),
        (b"null", "null"),
        (b"[1, 2]", "a JSON list"),
        (b'"text"', "a JSON str"),
        (b"[" * 100000 + b"]" * 100000, "JSON nested too deeply"),
    ],
)
def test_answer_that_is_not_the_expected_json_names_what_it_is(
    client: chatwoot_client.ApiClient, server: LoopbackServer, body: bytes, found: str
) -> None:
    server.answers[:] = [answer("200 OK", body)]

    with pytest.raises(chatwoot_client.ApiException) as info:
        _api(client).list_all_messages(1, 17)

    assert info.value.status == 200
    assert str(info.value).startswith(f"(200) Invalid response body: expected MessageList, got {found}")
    assert info.value.headers is not None and info.value.headers["Content-Length"] == str(len(body))


def test_invalid_body_of_an_odd_response_object_still_gives_an_exception(client: chatwoot_client.ApiClient) -> None:
    class Odd:
        status = "two hundred"
        data = "[1]"

        def getheaders(self) -> Any:
            raise RuntimeError("no headers")

    with pytest.raises(chatwoot_client.ApiException) as info:
        client.deserialize(Odd(), "MessageList")

    assert (info.value.status, info.value.headers, info.value.body) == (0, None, "'[1]'")


def test_invalid_body_keeps_undecodable_bytes_readable(client: chatwoot_client.ApiClient) -> None:
    class Answer:
        status = 200
        data = b"\xff\xfe{"

    with pytest.raises(chatwoot_client.ApiException) as info:
        client.deserialize(Answer(), "MessageList")

    assert info.value.body == "\ufffd\ufffd{"


def test_deserialize_without_a_type_is_none(client: chatwoot_client.ApiClient) -> None:
    assert client.deserialize(object(), None) is None


def test_created_message_is_read_as_its_model(client: chatwoot_client.ApiClient, server: LoopbackServer) -> None:
    server.answers[:] = [answer(body=CREATED_MESSAGE)]

    created = _api(client).create_a_new_message_in_a_conversation({"content": "hi"}, 1, 17)

    assert type(created) is chatwoot_client.InlineResponse2005 and created.id == 9


# -- secrets and repr ----------------------------------------------------------------------------------------------


def test_credentials_in_the_host_and_proxy_urls_are_masked_in_errors() -> None:
    configuration = chatwoot_client.Configuration(
        host="http://hostuser:host-PASS@127.0.0.1:9", api_key={"api_access_token": TOKEN}
    )
    configuration.proxy = "http://proxyuser:proxy-PASS@127.0.0.1:9"
    with chatwoot_client.ApiClient(configuration) as client:
        secrets = client._secrets()

    assert secrets == [TOKEN, "hostuser:host-PASS", "host-PASS", "proxyuser:proxy-PASS", "proxy-PASS"]


def test_repr_names_the_host_without_credentials_and_the_header_names() -> None:
    configuration = chatwoot_client.Configuration(host="https://u:p@chat.example.test")
    with chatwoot_client.ApiClient(configuration, header_name="X-Trace", header_value="v") as client:
        assert repr(client) == "ApiClient(host='https://***@chat.example.test', headers=['User-Agent', 'X-Trace'])"


def test_the_rest_client_is_made_from_the_configuration() -> None:
    configuration = chatwoot_client.Configuration()
    with chatwoot_client.ApiClient(configuration) as client:
        assert isinstance(client.rest_client, rest.RESTClientObject)
        assert client.rest_client.configuration is configuration
