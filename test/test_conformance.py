"""Conformance with the OpenAPI spec, judged by a third party: Stoplight Prism mocks the spec in openapi/ on
127.0.0.1 and validates every request it receives against it.

Every operation of the SDK is driven against it, with each query parameter, each request content type (JSON, and
multipart/form-data with attachments) and each error answer the spec lists. Any request violation Prism reports fails
the test: an entry of the ``sl-violations`` header, or an ``application/problem+json`` answer of Prism's own (what it
sends for a request it cannot match or validate when the spec has no answer for that). Prism's answers, the spec's
examples and data it generates from the schemas (``Prefer: dynamic=true``), must come out of the SDK as its models.

Prism comes from ``bash .ci/install-prism`` (node and npm needed) or ``PRISM_BIN``; without it the Prism tests are
skipped with the reason, unless ``PRISM_REQUIRED=1`` (set by CI) makes that a failure. ``CONFORMANCE_REPORT=FILE``
writes a JSON summary (Prism version, calls, violations) there.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import os
import re
import shutil
import socket
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple
from urllib.parse import parse_qsl, urlsplit

import pytest
import urllib3
import yaml
from dateutil import parser as date_parser
from urllib3.connectionpool import HTTPConnectionPool

import chatwoot_client
from chatwoot_client import exceptions, rest
from chatwoot_client.api import messages_api
from chatwoot_client.api_client import Operation
from chatwoot_client.models.base import Model

PRISM_VERSION = "5.14.2"  # the version .ci/install-prism installs
ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi" / "chatwoot-messages.openapi.yaml"
DEFAULT_PRISM_BIN = ROOT / ".ci" / "node" / "node_modules" / ".bin" / "prism"
STARTUP_TIMEOUT = 60.0  # seconds for Prism to listen; it usually takes one or two
SEED = "chatwoot-conformance"  # makes Prism's generated data the same on every run
ACCOUNT_ID, CONVERSATION_ID, MESSAGE_ID = 1, 17, 1042
HTTP_METHODS = ("get", "put", "post", "delete", "patch")

with SPEC_PATH.open(encoding="utf-8") as _handle:
    SPEC: Dict[str, Any] = yaml.safe_load(_handle)
MESSAGE_EXAMPLE: Dict[str, Any] = SPEC["components"]["schemas"]["message"]["example"]


def _spec_operations() -> Dict[str, Tuple[str, re.Pattern[str], Dict[str, Any]]]:
    """SDK-style operation name -> (METHOD, path pattern, operation) for every operation of the spec."""
    found = {}
    for path, item in SPEC["paths"].items():
        pattern = re.compile(re.sub(r"\\{\w+\\}", "[^/]+", re.escape(path)) + "$")
        for method in HTTP_METHODS:
            if method in item:
                found[item[method]["operationId"].replace("-", "_")] = (method.upper(), pattern, item[method])
    return found


SPEC_OPERATIONS = _spec_operations()


# -- recording what Prism says -----------------------------------------------------------------------------------


@dataclass
class Exchange:
    """One request the SDK sent to Prism, and Prism's verdict on it."""

    operation: str
    method: str
    url: str
    content_type: Optional[str]
    status: int
    violations: List[str]
    body: Optional[bytes]
    response: Any = field(default=None, repr=False, compare=False)  # urllib3's answer, until its body is read

    @property
    def query(self) -> Dict[str, str]:
        return dict(parse_qsl(urlsplit(self.url).query))


@dataclass
class Totals:
    """The whole module's count, for the report."""

    calls: Counter[str] = field(default_factory=Counter)
    violations: List[str] = field(default_factory=list)


TOTALS = Totals()


def _operation_of(method: str, url: str) -> str:
    path = urlsplit(url).path
    for name, (spec_method, pattern, _) in SPEC_OPERATIONS.items():
        if spec_method == method and pattern.match(path):
            return name
    return f"{method} {path} (not in the spec)"


def request_violations(response: Any, body: Optional[bytes]) -> List[str]:
    """Every request violation Prism reports in an answer, as text; [] for a request that conforms."""
    found = []
    for entry in json.loads(response.headers.get("sl-violations") or "[]"):
        if entry.get("location", ["request"])[0] == "request":
            found.append(f"{entry.get('severity')} at {'.'.join(map(str, entry['location']))}: {entry.get('message')}")
    if (response.headers.get("Content-Type") or "").startswith("application/problem+json"):
        problem = json.loads(body) if body else {}
        details = [f"{item.get('severity')} at {'.'.join(item['location'])}: {item.get('message')}"
                   for item in problem.get("validation", [])]  # fmt: skip
        found.extend(details or [f"Prism answered {response.status}: {problem.get('title') or 'problem+json'}"])
    return found


@pytest.fixture
def exchanges(monkeypatch: pytest.MonkeyPatch) -> Iterator[List[Exchange]]:
    """Record every request urllib3 sends (the SDK's only way out) with Prism's verdict on it."""
    recorded: List[Exchange] = []
    seen: List[Any] = []  # urllib3 hands one answer up through its nested urlopen calls: count it once
    real_urlopen = HTTPConnectionPool.urlopen

    def recording_urlopen(pool: HTTPConnectionPool, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        response = real_urlopen(pool, method, url, *args, **kwargs)
        if not any(response is earlier for earlier in seen):
            seen.append(response)
            body = response.data if kwargs.get("preload_content", True) else None
            full_url = f"{pool.scheme}://{pool.host}:{pool.port}{url}"
            headers = kwargs.get("headers") or {}
            content_type = headers.get("Content-Type", "").split(";")[0] or None
            recorded.append(
                Exchange(
                    _operation_of(method, full_url),
                    method,
                    full_url,
                    content_type,
                    response.status,
                    request_violations(response, body),
                    body,
                    response,
                )
            )
        return response

    real_read_body = rest._read_body

    def recording_read_body(response: Any) -> bytes:
        """The SDK reads answers itself (within a deadline): the body is recorded as it reads it."""
        data = real_read_body(response)
        for exchange in recorded:
            if exchange.response is response:
                exchange.body, exchange.violations = data, request_violations(response, data)
        return data

    monkeypatch.setattr(HTTPConnectionPool, "urlopen", recording_urlopen)
    monkeypatch.setattr(rest, "_read_body", recording_read_body)
    yield recorded
    for exchange in recorded:
        TOTALS.calls[exchange.operation] += 1
        TOTALS.violations.extend(f"{exchange.method} {exchange.url}: {text}" for text in exchange.violations)


def assert_conforms(recorded: List[Exchange], calls: int) -> None:
    assert len(recorded) == calls, [f"{item.method} {item.url}" for item in recorded]
    violations = [f"{item.method} {item.url} -> {item.status}: {text}" for item in recorded for text in item.violations]
    assert not violations, "Prism reports request violations:\n" + "\n".join(violations)


# -- Prism ---------------------------------------------------------------------------------------------------------


def _missing(reason: str) -> None:
    message = f"{reason}; the conformance tests need Prism: `bash .ci/install-prism` (node and npm) or PRISM_BIN"
    if os.environ.get("PRISM_REQUIRED") == "1":
        pytest.fail(message + " (PRISM_REQUIRED=1)", pytrace=False)
    pytest.skip(message)


def _prism_binary() -> Path:
    binary = Path(os.environ.get("PRISM_BIN") or DEFAULT_PRISM_BIN)
    if not binary.is_file():
        _missing(f"Prism is not installed at {binary}")
    if shutil.which("node") is None:
        _missing("node is not installed")
    return binary


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_listening(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    """Poll Prism's port until it accepts a connection; fail when Prism exits or takes too long."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1.0):
            return
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.1)  # waits only while Prism is alive, and notices at once if it exits
            pytest.fail(f"Prism exited with status {process.returncode}:\n{log.read_text(errors='replace')}")
    pytest.fail(f"Prism did not listen on port {port} within {STARTUP_TIMEOUT} s:\n{log.read_text(errors='replace')}")


def prism_document(target: Path) -> Path:
    """The spec as Prism is to read it: the repo's spec, with ``allowReserved`` on each multipart encoding.

    OpenAPI 3.0.3 says an Encoding Object's style, explode and allowReserved apply to form-urlencoded bodies only,
    but Prism checks multipart parts against them too, and then flags any file holding ``/``, ``=``, ``&`` ... as
    "Reserved characters used in request body". allowReserved: true switches that check off and nothing else; once
    the spec says so itself, this copy is the spec unchanged.
    """
    document = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    for item in document["paths"].values():
        for method in HTTP_METHODS:
            content = item.get(method, {}).get("requestBody", {}).get("content", {})
            for encoding in content.get("multipart/form-data", {}).get("encoding", {}).values():
                encoding.setdefault("allowReserved", True)
    target.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return target


def _write_report(version: str) -> None:
    target = os.environ.get("CONFORMANCE_REPORT")
    if target:
        report = {
            "prism": version,
            "spec": str(SPEC_PATH.relative_to(ROOT)),
            "calls": sum(TOTALS.calls.values()),
            "calls_by_operation": dict(sorted(TOTALS.calls.items())),
            "violations": len(TOTALS.violations),
            "violation_messages": TOTALS.violations,
        }
        Path(target).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Prism mocking the spec on a free port of 127.0.0.1; its base URL."""
    binary = _prism_binary()
    version = subprocess.run(
        [str(binary), "--version"], capture_output=True, text=True, timeout=STARTUP_TIMEOUT, check=False
    ).stdout.strip()
    if binary == DEFAULT_PRISM_BIN and version != PRISM_VERSION:
        pytest.fail(f"Prism {version or '?'} is in .ci/node, not {PRISM_VERSION}: run `bash .ci/install-prism`")
    folder = tmp_path_factory.mktemp("prism")
    document, log, port = prism_document(folder / SPEC_PATH.name), folder / "prism.log", _free_port()
    command = [str(binary), "mock", str(document), "-h", "127.0.0.1", "-p", str(port), "--errors=false"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "--seed", SEED], stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT, cwd=ROOT
        )
    try:
        _wait_until_listening(process, port, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        _write_report(version or "unknown")


@pytest.fixture
def client(prism: str) -> Iterator[Callable[..., chatwoot_client.MessagesApi]]:
    """Build a MessagesApi on Prism, optionally sending a ``Prefer`` header (code=404, dynamic=true)."""
    clients: List[chatwoot_client.ApiClient] = []

    def build(prefer: Optional[str] = None) -> chatwoot_client.MessagesApi:
        configuration = chatwoot_client.Configuration(host=prism)
        configuration.api_key["api_access_token"] = "conformance-token"
        configuration.timeout = (5.0, 30.0)
        configuration.retries = 0  # one call, one request: every answer is counted and judged once
        clients.append(chatwoot_client.ApiClient(configuration))
        if prefer is not None:
            clients[-1].set_default_header("Prefer", prefer)
        return chatwoot_client.MessagesApi(clients[-1])

    yield build
    for built in clients:
        built.close()


# -- reading Prism's answers ------------------------------------------------------------------------------------------


def assert_same_data(value: Any, raw: Any, where: str = "answer") -> None:
    """The SDK's reading of an answer holds exactly the answer's JSON (datetimes parsed, unknown keys kept)."""
    if isinstance(value, Model):
        value = value.to_dict()
    if isinstance(raw, dict):
        assert isinstance(value, dict), where
        for key in raw:
            assert_same_data(value.get(key), raw[key], f"{where}.{key}")
        assert all(value[key] is None for key in set(value) - set(raw)), f"{where} has fields the answer had not"
    elif isinstance(raw, list):
        assert isinstance(value, list) and len(value) == len(raw), where
        for index, (item, raw_item) in enumerate(zip(value, raw)):
            assert_same_data(item, raw_item, f"{where}[{index}]")
    elif isinstance(value, datetime.datetime):
        assert value == date_parser.isoparse(raw) and value.tzinfo is not None, where
    else:
        assert value == raw and type(value) is type(raw), where


def answer(recorded: List[Exchange], index: int = -1) -> Any:
    body = recorded[index].body
    assert body is not None
    return json.loads(body)


# -- the calls: every operation, parameter and content type ------------------------------------------------------------


def _full_body() -> chatwoot_client.ConversationMessageCreate:
    template = chatwoot_client.TemplateParams(
        name="order_confirmation", category="UTILITY", language="en_US", processed_params={"1": "121212"}
    )
    return chatwoot_client.ConversationMessageCreate(
        content="Which size?",
        message_type="incoming",
        private=True,
        content_type="input_select",
        content_attributes={"items": [{"title": "S", "value": "s"}, {"title": "M", "value": "m"}]},
        template_params=template,
    )


SDK_OPERATIONS: Dict[str, Operation] = {
    value.name: value for value in vars(messages_api).values() if isinstance(value, Operation)
}
SAMPLE_IDS = {"account_id": ACCOUNT_ID, "conversation_id": CONVERSATION_ID, "message_id": MESSAGE_ID}
SAMPLE_QUERY = {"before": MESSAGE_ID, "after": 0}  # a value for each id query parameter an operation takes


def _sample_bodies(body_type: str) -> List[Any]:
    """Bodies for an operation that takes ``body_type``: the model with every field set, then plainer ones."""
    if body_type == "ConversationMessageCreate":
        return [_full_body(), {"content": "Hi", "private": False}, chatwoot_client.ConversationMessageCreate("Hello")]
    assert body_type == "MessageStatusUpdate", f"no sample body for {body_type}: add one here"
    return [chatwoot_client.MessageStatusUpdate(status="failed", external_error="Undeliverable"), {"status": "read"}]


def drive(name: str, client: Callable[..., chatwoot_client.MessagesApi], recorded: List[Exchange], files: Path) -> int:
    """Call operation ``name`` as its description says it can be called: every sample body, each query parameter
    and flag, _with_http_info with async_req, _preload_content=False, generated answers, and files where it takes
    them. Each answer must come out as the operation's model, holding exactly Prism's JSON. Returns the calls made.
    """
    operation = SDK_OPERATIONS[name]
    api = client()
    bodies = _sample_bodies(operation.body_type) if operation.body_type else [None]
    ids = [SAMPLE_IDS[parameter] for parameter in operation.path_params]
    model = getattr(chatwoot_client, operation.response_type) if operation.response_type else type(None)

    def call(target: chatwoot_client.MessagesApi, body: Any = None, suffix: Any = "", **options: Any) -> Any:
        leading = [body] if operation.body_type else []
        return getattr(target, name + suffix)(*leading, *ids, **options)

    def check(result: Any) -> None:
        assert isinstance(result, model), f"{name} gave {type(result).__name__}, not {model.__name__}"
        if operation.response_type:
            assert_same_data(result, answer(recorded))

    calls = 0
    for body in bodies:
        check(call(api, body))
        calls += 1
    for parameter, _ in operation.query_params:
        check(call(api, bodies[0], **{parameter: SAMPLE_QUERY[parameter]}))
        calls += 1
    for flag in operation.flag_params:
        check(call(api, bodies[0], **{flag: True}))
        calls += 1
    data, status, headers = call(api, bodies[0], "_with_http_info", async_req=True, _request_timeout=20).get(30)
    assert (status, headers["Content-Type"]) == (200, "application/json")
    check(data)
    raw = call(api, bodies[0], _preload_content=False)
    assert isinstance(raw, urllib3.response.HTTPResponse)  # urllib3 1.26 has no BaseHTTPResponse
    assert isinstance(json.loads(raw.data), dict), "the raw answer is the JSON object, unread by the SDK"
    raw.release_conn()
    check(call(client("dynamic=true"), bodies[0]))
    calls += 3
    if operation.files_param is not None:
        photo = files / "photo.png"
        photo.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
        attachments: List[Any] = [str(photo), ("notes.txt", b"two\nlines\n"), ("data.bin", io.BytesIO(b"\0\1"), "x/y")]
        check(call(api, bodies[0], **{operation.files_param: attachments}))
        with photo.open("rb") as handle:
            check(call(api, {}, **{operation.files_param: [handle]}))
        check(call(client("dynamic=true"), bodies[0], **{operation.files_param: [("notes.txt", b"hi")]}))
        calls += 3
    return calls


def _list_page(client: Callable[..., chatwoot_client.MessagesApi], recorded: List[Exchange], files: Path) -> int:
    """The list's answer, beyond the generic checks: a page of Messages with an aware datetime in its meta."""
    page = client().list_all_messages(ACCOUNT_ID, CONVERSATION_ID, before=5000, after=MESSAGE_ID)
    assert [message.id for message in page.payload or []] == [MESSAGE_EXAMPLE["id"]]
    assert page.meta is not None and isinstance(page.meta.agent_last_seen_at, datetime.datetime)
    assert_same_data(page, answer(recorded))
    generated = client("dynamic=true").list_all_messages(ACCOUNT_ID, CONVERSATION_ID, before=7)
    assert generated.payload and all(isinstance(item, chatwoot_client.Message) for item in generated.payload)
    assert_same_data(generated, answer(recorded))
    return 2


EXPECTED_ERRORS = {
    401: exceptions.UnauthorizedException,
    403: exceptions.ForbiddenException,
    404: exceptions.NotFoundException,
    422: exceptions.UnprocessableEntityException,
    429: exceptions.TooManyRequestsException,
    500: exceptions.ServiceException,
    502: exceptions.ServiceException,
    503: exceptions.ServiceException,
    504: exceptions.ServiceException,
}
ERROR_CASES = [
    (name, int(code)) for name, (_, _, operation) in SPEC_OPERATIONS.items() for code in operation["responses"]
    if not code.startswith("2")
]  # fmt: skip


def _call(api: chatwoot_client.MessagesApi, name: str) -> Any:
    operation = SDK_OPERATIONS[name]
    body = [_sample_bodies(operation.body_type)[-1]] if operation.body_type else []
    return getattr(api, name)(*body, *(SAMPLE_IDS[parameter] for parameter in operation.path_params))


# -- the tests -----------------------------------------------------------------------------------------------------


def test_every_spec_operation_is_driven() -> None:
    assert set(SDK_OPERATIONS) == set(SPEC_OPERATIONS)
    assert {name for name, _ in ERROR_CASES} == set(SPEC_OPERATIONS)
    assert {code for _, code in ERROR_CASES} <= set(EXPECTED_ERRORS)


def test_prism_reports_a_request_that_breaks_the_spec(prism: str, exchanges: List[Exchange]) -> None:
    """The check is live: requests outside the spec are reported, in the header and in problem+json answers."""
    messages = f"{prism}/api/v1/accounts/1/conversations/17/messages"
    token = {"api_access_token": "conformance-token"}
    json_headers = {**token, "Content-Type": "application/json"}
    with urllib3.PoolManager() as pool:
        pool.request("GET", messages + "?before=0", headers=token)
        pool.request("POST", messages, body=b'{"private": "yes"}', headers=json_headers)
        pool.request("DELETE", messages + "/1")
        pool.request("PUT", messages, headers=token)
    assert [len(exchange.violations) > 0 for exchange in exchanges] == [True, True, True, True]
    assert "query.before" in exchanges[0].violations[0]
    assert any("content" in text for text in exchanges[1].violations)
    exchanges.clear()  # these were meant to break the spec: keep them out of the module's count


@pytest.mark.parametrize("name", sorted(SDK_OPERATIONS))
def test_every_call_of_the_operation_conforms(
    name: str,
    client: Callable[..., chatwoot_client.MessagesApi],
    exchanges: List[Exchange],
    tmp_path: Path,
) -> None:
    try:
        calls = drive(name, client, exchanges, tmp_path)
    except chatwoot_client.ApiException:
        assert_conforms(exchanges, len(exchanges))  # Prism's verdict on the failed call says why it failed
        raise
    assert_conforms(exchanges, calls)
    assert {exchange.operation for exchange in exchanges} == {name}
    _, _, operation = SPEC_OPERATIONS[name]
    query = {p["name"] for p in operation.get("parameters", []) if "$ref" not in p and p["in"] == "query"}
    sent_query = {key for exchange in exchanges for key in exchange.query}
    assert sent_query == query, "every query parameter of the spec is sent, and no other"
    content_types = set(operation.get("requestBody", {}).get("content", {}))
    assert {exchange.content_type for exchange in exchanges} - {None} == content_types


@pytest.mark.parametrize(("name", "code"), ERROR_CASES)
def test_error_answer_raises_its_exception(
    name: str, code: int, client: Callable[..., chatwoot_client.MessagesApi], exchanges: List[Exchange]
) -> None:
    _, _, operation = SPEC_OPERATIONS[name]
    response = operation["responses"][str(code)]
    response = SPEC["components"]["responses"][response["$ref"].rsplit("/", 1)[1]] if "$ref" in response else response
    media = next(iter(response["content"].values()))
    api = client(f"code={code}")
    api.api_client.configuration.reconcile_creates = False  # one exchange: the answer, without a create's lookup
    with pytest.raises(EXPECTED_ERRORS[code]) as raised:
        _call(api, name)
    assert raised.value.status == code
    if "example" in media:  # without one Prism generates a body from the schema: its text is anybody's
        example = media["example"]
        assert (example["error"] if isinstance(example, dict) else example) in str(raised.value)
    assert_conforms(exchanges, 1)


def test_create_with_a_client_message_id_looks_up_and_sends_within_the_spec(
    client: Callable[..., chatwoot_client.MessagesApi], exchanges: List[Exchange]
) -> None:
    api = client()
    api.create_a_new_message_in_a_conversation({"content": "Hi"}, 1, 17, client_message_id="conformance-1")
    methods = [item.method for item in exchanges]
    assert methods[0] == "GET" and methods[-1] == "POST"
    assert_conforms(exchanges, len(exchanges))  # the lookup's list requests and the create, each within the spec


def test_a_list_page_reads_as_messages_with_aware_datetimes(
    client: Callable[..., chatwoot_client.MessagesApi], exchanges: List[Exchange], tmp_path: Path
) -> None:
    assert_conforms(exchanges, _list_page(client, exchanges, tmp_path))
