"""Benchmark chatwoot_client against a raw urllib3 + json.loads client making the same requests.

Both clients run interleaved in one invocation against ``server.py`` (its own process, on 127.0.0.1), and every
figure is the median of the repetitions, with min and max and its ratio to raw:

- CPU per call (this process's user + system time from ``resource.getrusage``, not wall time) of create,
  list-20, list-100, list-1000 (``before`` + ``after``) and delete;
- deserializing the 1000-message page with no network: ``ApiClient.deserialize(response, "MessageList")`` and
  reading ``.payload`` against ``json.loads`` of the same bytes, in CPU time and in peak memory (tracemalloc);
- ``import chatwoot_client`` against ``import json, urllib3``: CPU of a fresh interpreter less that of
  ``python -c pass`` (``RUSAGE_CHILDREN``);
- 8 threads sharing one ApiClient against 8 threads sharing one PoolManager: calls, errors, wall time,
  throughput and connections opened (counted by the server).

Usage: ``python benchmarks/run.py [--quick] [--repeat N] [--json] [--profile]``. It prints a Markdown table
(or JSON) and never judges by itself whether a time is good: the exit status is non-zero only when a client
answered wrongly or the server could not start.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import http.client
import io
import json
import os
import platform
import pstats
import resource
import select
import site
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import payloads
import urllib3

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TOKEN = "bench-token"
THREADS = 8
SERVER_START_TIMEOUT = 20.0  # seconds to wait for the server's "port N" line
THREAD_JOIN_TIMEOUT = 300.0  # seconds: a threaded run that takes longer is reported as errors
IMPORT_TIMEOUT = 60.0  # seconds for one `python -c "import ..."`
CREATE_CONTENT = "Hello from the benchmark: your refund was processed and should reach your account soon."
CASES = ("create", "list_20", "list_100", "list_1000", "delete")
IMPORTS = {"baseline": "pass", "sdk": "import chatwoot_client", "raw": "import json, urllib3"}


@dataclass(frozen=True)
class Plan:
    """How much work each figure does; full and --quick differ only in these counts."""

    repeat: int
    calls: Dict[str, int]  # calls per CPU sample, by case (and "deserialize")
    blocks: Dict[str, int]  # calls in a row before the other client takes its turn, by case
    import_launches: int  # interpreters started per command per repetition (their mean is one sample)
    thread_calls: int  # calls per thread in the threaded run


FULL = Plan(
    repeat=7,
    calls={"create": 300, "list_20": 300, "list_100": 100, "list_1000": 30, "delete": 300, "deserialize": 30},
    blocks={"create": 25, "list_20": 25, "list_100": 10, "list_1000": 3, "delete": 25, "deserialize": 3},
    import_launches=5,
    thread_calls=150,
)
QUICK = Plan(
    repeat=5,
    calls={"create": 10, "list_20": 10, "list_100": 4, "list_1000": 2, "delete": 10, "deserialize": 2},
    blocks={"create": 5, "list_20": 5, "list_100": 2, "list_1000": 1, "delete": 5, "deserialize": 1},
    import_launches=1,
    thread_calls=5,
)


@dataclass(frozen=True)
class Target:
    """A goal for a figure: ``ratio`` <= or >= a value, or the worst SDK sample <= a value."""

    kind: str  # "ratio_max", "ratio_min" or "sdk_max"
    value: float

    def text(self) -> str:
        if self.kind == "ratio_max":
            return f"<= {self.value:g}x"
        if self.kind == "ratio_min":
            return f">= {self.value:g}x"
        return f"<= {self.value:g}" if self.value else "0"

    def met(self, ratio: Optional[float], sdk: List[float]) -> bool:
        if self.kind == "sdk_max":
            return max(sdk) <= self.value
        if ratio is None:
            return False
        return ratio <= self.value if self.kind == "ratio_max" else ratio >= self.value


@dataclass
class Figure:
    """One row of the table: the samples of both clients (one per repetition) and the target."""

    key: str
    label: str
    unit: str  # "us", "ms", "MiB", "/s", "s" or "" (a count)
    target: Optional[Target] = None
    sdk: List[float] = field(default_factory=list)
    raw: List[float] = field(default_factory=list)

    def ratio(self) -> Optional[float]:
        """The median over repetitions of chatwoot_client / raw, each pair measured side by side."""
        pairs = [sdk / raw for sdk, raw in zip(self.sdk, self.raw) if raw]
        return statistics.median(pairs) if pairs else None

    def ratio_of_medians(self) -> Optional[float]:
        if not self.sdk or not self.raw or not statistics.median(self.raw):
            return None
        return statistics.median(self.sdk) / statistics.median(self.raw)

    def met(self) -> Optional[bool]:
        return self.target.met(self.ratio(), self.sdk) if self.target is not None and self.sdk else None

    def as_json(self) -> Dict[str, Any]:
        def summary(samples: List[float]) -> Dict[str, Any]:
            if not samples:
                return {}
            return {
                "median": statistics.median(samples),
                "min": min(samples),
                "max": max(samples),
                "samples": samples,
            }

        return {
            "label": self.label,
            "unit": _JSON_UNITS[self.unit],
            "chatwoot_client": summary(self.sdk),
            "raw": summary(self.raw),
            "ratio": self.ratio(),
            "ratio_of_medians": self.ratio_of_medians(),
            "target": self.target.text() if self.target is not None else None,
            "met": self.met(),
        }


_JSON_UNITS = {"us": "s", "ms": "s", "MiB": "bytes", "/s": "calls/s", "s": "s", "": "count"}


def _number(value: float, unit: str) -> str:
    """A value in the unit's display scale, without the unit."""
    if unit == "us":
        return f"{value * 1e6:,.0f}"
    if unit == "ms":
        return f"{value * 1e3:,.2f}" if value < 0.1 else f"{value * 1e3:,.0f}"
    if unit == "MiB":
        return f"{value / 2**20:,.2f}"
    if unit == "/s":
        return f"{value:,.0f}"
    if unit == "s":
        return f"{value:,.2f}"
    return f"{value:,.0f}"


_UNIT_NAMES = {"us": " µs", "ms": " ms", "MiB": " MiB", "/s": " calls/s", "s": " s", "": ""}


def _cell(samples: List[float], unit: str) -> str:
    if not samples:
        return "-"
    median, low, high = statistics.median(samples), min(samples), max(samples)
    spread = f" ({_number(low, unit)}-{_number(high, unit)})" if _number(low, unit) != _number(high, unit) else ""
    return f"{_number(median, unit)}{_UNIT_NAMES[unit]}{spread}"


def markdown_table(figures: List[Figure]) -> str:
    """The figures as a Markdown table: medians with (min-max), ratio to raw, target and whether it is met."""
    rows = [
        "| figure | chatwoot_client median (min-max) | raw median (min-max) | ratio | target | met? |",
        "|---|---:|---:|---:|---|---|",
    ]
    for figure in figures:
        ratio = figure.ratio()
        met = figure.met()
        rows.append(
            f"| {figure.label} | {_cell(figure.sdk, figure.unit)} | {_cell(figure.raw, figure.unit)} "
            f"| {f'{ratio:.2f}x' if ratio is not None else '-'} "
            f"| {figure.target.text() if figure.target is not None else '-'} "
            f"| {'-' if met is None else 'yes' if met else '**no**'} |"
        )
    return "\n".join(rows)


# -- the server ------------------------------------------------------------------------------------------------


class BenchServer:
    """``server.py`` in its own process; it stops when this one closes its standard input."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "server.py"), "--port", "0", "--exit-on-eof"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        stdout = self.process.stdout
        ready, _, _ = select.select([stdout], [], [], SERVER_START_TIMEOUT) if stdout is not None else ([], [], [])
        line = stdout.readline() if ready and stdout is not None else ""
        if not line.startswith("port "):
            self.close()
            raise RuntimeError(f"the benchmark server did not start (said {line!r})")
        self.port = int(line.split()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._stats = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)

    def connections(self) -> int:
        """Connections the server has accepted so far (this one's own stats connection included)."""
        self._stats.request("GET", "/__stats")
        return int(json.loads(self._stats.getresponse().read())["connections"])

    def close(self) -> None:
        if getattr(self, "_stats", None) is not None:
            self._stats.close()
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()


# -- the two clients -------------------------------------------------------------------------------------------


def import_sdk() -> Any:
    """chatwoot_client from this checkout (ahead of any installed copy)."""
    if sys.path[1:2] != [str(ROOT)]:
        sys.path.insert(1, str(ROOT))
    import chatwoot_client

    return chatwoot_client


class SdkClient:
    """The calls as a user of chatwoot_client writes them: MessagesApi on an ApiClient with default retries."""

    def __init__(self, sdk: Any, url: str) -> None:
        configuration = sdk.Configuration(host=url)
        configuration.api_key["api_access_token"] = TOKEN
        self.api_client = sdk.ApiClient(configuration)
        self.api = sdk.MessagesApi(self.api_client)
        self.body_type = sdk.ConversationMessageCreate

    def create(self) -> Any:
        body = self.body_type(content=CREATE_CONTENT, message_type="outgoing", private=False)
        return self.api.create_a_new_message_in_a_conversation(body, payloads.ACCOUNT_ID, payloads.CONVERSATION_ID).id

    def list_20(self) -> Any:
        return self.api.list_all_messages(payloads.ACCOUNT_ID, payloads.CONVERSATION_ID).payload

    def list_100(self) -> Any:
        return self.api.list_all_messages(
            payloads.ACCOUNT_ID, payloads.CONVERSATION_ID, after=payloads.LIST_100_AFTER
        ).payload

    def list_1000(self) -> Any:
        return self.api.list_all_messages(
            payloads.ACCOUNT_ID,
            payloads.CONVERSATION_ID,
            before=payloads.LIST_1000_BEFORE,
            after=payloads.LIST_1000_AFTER,
        ).payload

    def delete(self) -> Any:
        return self.api.delete_a_message(payloads.ACCOUNT_ID, payloads.CONVERSATION_ID, payloads.CREATED_ID)

    def close(self) -> None:
        self.api_client.close()


class RawClient:
    """The same requests with one urllib3.PoolManager, the same headers and json.loads: the floor to compare to."""

    def __init__(self, url: str, user_agent: str, maxsize: int = 1) -> None:
        self.pool = urllib3.PoolManager(maxsize=maxsize)
        self.timeout = urllib3.Timeout(connect=10.0, read=30.0)
        self.headers = {"User-Agent": user_agent, "Accept": "application/json", "api_access_token": TOKEN}
        self.post_headers = dict(self.headers, **{"Content-Type": "application/json"})
        messages = f"{url}/api/v1/accounts/{payloads.ACCOUNT_ID}/conversations/{payloads.CONVERSATION_ID}/messages"
        self.messages_url = messages
        self.list_100_url = f"{messages}?after={payloads.LIST_100_AFTER}"
        self.list_1000_url = f"{messages}?before={payloads.LIST_1000_BEFORE}&after={payloads.LIST_1000_AFTER}"
        self.delete_url = f"{messages}/{payloads.CREATED_ID}"

    def _call(self, method: str, url: str, body: Optional[bytes] = None) -> bytes:
        headers = self.post_headers if body is not None else self.headers
        response = self.pool.request(method, url, body=body, headers=headers, timeout=self.timeout)
        if response.status != 200:
            raise RuntimeError(f"{method} {url} answered {response.status}")
        return response.data  # type: ignore[no-any-return]

    def create(self) -> Any:
        body = json.dumps({"content": CREATE_CONTENT, "message_type": "outgoing", "private": False})
        return json.loads(self._call("POST", self.messages_url, body.encode("utf-8")))["id"]

    def list_20(self) -> Any:
        return json.loads(self._call("GET", self.messages_url))["payload"]

    def list_100(self) -> Any:
        return json.loads(self._call("GET", self.list_100_url))["payload"]

    def list_1000(self) -> Any:
        return json.loads(self._call("GET", self.list_1000_url))["payload"]

    def delete(self) -> Any:
        self._call("DELETE", self.delete_url)  # like the SDK, the answer's body is not needed
        return None

    def close(self) -> None:
        self.pool.clear()


def check_answers(sdk: SdkClient, raw: RawClient) -> None:
    """Both clients get the answers the benchmark expects, so neither measures an error path."""
    expected = {"list_20": 20, "list_100": 100, "list_1000": 1000}
    for case, count in expected.items():
        sdk_page, raw_page = getattr(sdk, case)(), getattr(raw, case)()
        if len(sdk_page) != count or len(raw_page) != count:
            raise RuntimeError(f"{case}: expected {count} messages, got {len(sdk_page)} and {len(raw_page)}")
        if [message.id for message in sdk_page] != [message["id"] for message in raw_page]:
            raise RuntimeError(f"{case}: the two clients read different messages")
        if sdk_page[-1].to_dict()["content"] != raw_page[-1].get("content"):
            raise RuntimeError(f"{case}: the two clients read different content")
    if sdk.create() != payloads.CREATED_ID or raw.create() != payloads.CREATED_ID:
        raise RuntimeError("create: unexpected answer")
    if sdk.delete() is not None:
        raise RuntimeError("delete: the SDK returned a value")
    raw.delete()


# -- measuring -------------------------------------------------------------------------------------------------


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def paired_cpu(calls: Dict[str, Callable[[], Any]], count: int, block: int, order: List[str]) -> Dict[str, float]:
    """Seconds of this process's CPU (user + system) per call of each side, over ``count`` calls each.

    The sides take turns every ``block`` calls (ABBA order), so a change in the machine's load hits both alike.
    """
    gc.collect()  # the sample starts without garbage left by earlier ones
    spent = dict.fromkeys(order, 0.0)
    turns = list(order)
    for done in range(0, count, block):
        size = min(block, count - done)
        for side in turns:
            call = calls[side]
            start = _cpu_self()
            for _ in range(size):
                call()
            spent[side] += _cpu_self() - start
        turns.reverse()
    return {side: total / count for side, total in spent.items()}


def traced_memory(build: Callable[[], Any]) -> Tuple[int, int]:
    """(bytes still held by the result, peak bytes) allocated while ``build`` runs, from tracemalloc."""
    gc.collect()
    tracemalloc.start()
    try:
        result = build()
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return held, peak


class FakeResponse:
    """What ApiClient.deserialize reads: a body in ``.data``, a status and headers."""

    status = 200
    reason = "OK"

    def __init__(self, data: bytes) -> None:
        self.data = data

    def getheaders(self) -> Dict[str, str]:
        return {"Content-Type": "application/json; charset=utf-8"}


def _import_environment() -> Dict[str, str]:
    """The environment of the interpreters that time imports: this checkout first, then site-packages.

    They run with ``-S``: a ``.pth`` file in site-packages can import modules at start-up (certifi, pathlib, re...),
    which would hide part of an import's cost in the baseline, so site-packages comes through PYTHONPATH instead.
    """
    paths = [str(ROOT), *site.getsitepackages()]
    if site.ENABLE_USER_SITE and os.path.isdir(site.getusersitepackages()):
        paths.append(site.getusersitepackages())
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [*paths, environment.get("PYTHONPATH")]))
    for name in ("PYTHONPROFILEIMPORTTIME", "PYTHONDONTWRITEBYTECODE", "PYTHONSTARTUP"):
        environment.pop(name, None)  # compiled bytecode is used, and written once if missing
    return environment


def launch_cpu(code: str) -> float:
    """CPU seconds (user + system) of a fresh ``python -S -c code``, from RUSAGE_CHILDREN."""
    start = _cpu_children()
    command = [sys.executable, "-S", "-c", code]
    subprocess.run(command, env=_import_environment(), cwd=ROOT, check=True, timeout=IMPORT_TIMEOUT)
    return _cpu_children() - start


def paired_imports(launches: int, order: List[str]) -> Dict[str, float]:
    """Mean CPU seconds of each IMPORTS command over ``launches`` interpreters each, taking turns (ABBA)."""
    spent = dict.fromkeys(order, 0.0)
    turns = list(order)
    for _ in range(launches):
        for name in turns:
            spent[name] += launch_cpu(IMPORTS[name])
        turns.reverse()
    return {name: total / launches for name, total in spent.items()}


@dataclass
class ThreadRun:
    """What one threaded run did: calls made, calls that failed, wall seconds and connections opened."""

    calls: int
    errors: int
    wall: float
    connections: int
    first_error: Optional[str]


def threaded_run(call: Callable[[], Any], calls_per_thread: int, server: BenchServer) -> ThreadRun:
    """THREADS threads making ``calls_per_thread`` calls each through ``call`` (one shared client)."""
    errors = [0] * THREADS
    first_error: List[str] = []
    barrier = threading.Barrier(THREADS + 1, timeout=30)

    def work(index: int) -> None:
        barrier.wait()
        for _ in range(calls_per_thread):
            try:
                call()
            except Exception as error:  # counted, not raised: the figure is how many calls failed
                errors[index] += 1
                if not first_error:
                    first_error.append(f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=work, args=(index,), daemon=True) for index in range(THREADS)]
    before = server.connections()
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    deadline = started + THREAD_JOIN_TIMEOUT
    for thread in threads:
        thread.join(max(0.0, deadline - time.perf_counter()))
    wall = time.perf_counter() - started
    stuck = sum(thread.is_alive() for thread in threads)
    connections = server.connections() - before
    return ThreadRun(
        THREADS * calls_per_thread,
        sum(errors) + stuck * calls_per_thread,
        wall,
        connections,
        first_error[0] if first_error else ("threads still running" if stuck else None),
    )


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(plan: Plan, sdk: Any, server: BenchServer) -> Tuple[List[Figure], Dict[str, Any]]:
    """Every measurement, both clients interleaved, ``plan.repeat`` times; the figures and extra facts."""
    sdk_client = SdkClient(sdk, server.url)
    raw_client = RawClient(server.url, sdk_client.api_client.user_agent)
    check_answers(sdk_client, raw_client)
    for case in CASES:  # warm up: connections open, caches filled
        for _ in range(3):
            getattr(sdk_client, case)()
            getattr(raw_client, case)()

    cpu_targets = {"create": 1.2, "list_20": 1.35, "list_1000": 2.0, "delete": 1.2}
    cpu = {
        case: Figure(
            f"cpu_{case}",
            f"CPU per call: {case.replace('_', '-')}",
            "us",
            Target("ratio_max", cpu_targets[case]) if case in cpu_targets else None,
        )
        for case in CASES
    }
    deserialize = Figure(
        "deserialize_1000", "deserialize 1000 messages (CPU, no network)", "ms", Target("ratio_max", 2.0)
    )
    read = Figure("read_1000", "deserialize 1000 + read id, content, created_at, sender.name", "ms")
    memory = Figure("memory_peak_1000", "peak memory, deserializing 1000 messages", "MiB")
    held = Figure("memory_held_1000", "memory held by the 1000 deserialized messages", "MiB")
    importing = Figure("import", "import time (CPU, less interpreter start)", "ms", Target("ratio_max", 1.25))
    throughput = Figure("threads_throughput", f"{THREADS} threads, list-20: throughput", "/s", Target("ratio_min", 0.8))
    wall = Figure("threads_wall", f"{THREADS} threads x {plan.thread_calls} calls: wall time", "s")
    thread_errors = Figure("threads_errors", f"{THREADS} threads: errors", "", Target("sdk_max", 0))
    connections = Figure(
        "threads_connections", f"{THREADS} threads: connections opened", "", Target("sdk_max", THREADS)
    )

    body = payloads.build()["list_1000"]
    response = FakeResponse(body)
    api_client = sdk_client.api_client

    def sdk_deserialize() -> Any:
        page = api_client.deserialize(response, "MessageList")
        return page, page.payload

    def raw_deserialize() -> Any:
        return json.loads(body)["payload"]

    # Models are lazy: a field is converted when first read. This pair shows what reading costs on top.
    def sdk_read() -> Any:
        page = api_client.deserialize(response, "MessageList")
        return [
            (item.id, item.content, item.created_at, item.sender.name if item.sender is not None else None)
            for item in page.payload
        ]

    def raw_read() -> Any:
        return [
            (item["id"], item["content"], item["created_at"], item["sender"]["name"] if "sender" in item else None)
            for item in json.loads(body)["payload"]
        ]

    baseline: List[float] = []
    paired_imports(1, list(IMPORTS))  # bytecode caches written before anything is timed
    first_errors: List[str] = []
    builds = {"sdk": sdk_deserialize, "raw": raw_deserialize}
    for repetition in range(plan.repeat):
        _progress(f"repetition {repetition + 1}/{plan.repeat}")
        order = ["sdk", "raw"] if repetition % 2 == 0 else ["raw", "sdk"]  # neither client always goes first
        for case in CASES:
            calls = {"sdk": getattr(sdk_client, case), "raw": getattr(raw_client, case)}
            for side, seconds in paired_cpu(calls, plan.calls[case], plan.blocks[case], order).items():
                getattr(cpu[case], side).append(seconds)
        count, block = plan.calls["deserialize"], plan.blocks["deserialize"]
        for side, seconds in paired_cpu(builds, count, block, order).items():
            getattr(deserialize, side).append(seconds)
        for side, seconds in paired_cpu({"sdk": sdk_read, "raw": raw_read}, count, block, order).items():
            getattr(read, side).append(seconds)
        for side in order:
            held_bytes, peak_bytes = traced_memory(builds[side])
            getattr(memory, side).append(float(peak_bytes))
            getattr(held, side).append(float(held_bytes))
        launched = paired_imports(plan.import_launches, ["baseline", *order])
        baseline.append(launched["baseline"])
        # The interpreter's own start is the same for both commands: take this repetition's away from each.
        importing.sdk.append(max(0.0, launched["sdk"] - launched["baseline"]))
        importing.raw.append(max(0.0, launched["raw"] - launched["baseline"]))
        for side in order:
            if side == "sdk":
                shared_sdk = SdkClient(sdk, server.url)
                result = threaded_run(shared_sdk.list_20, plan.thread_calls, server)
                shared_sdk.close()
            else:
                shared_raw = RawClient(server.url, sdk_client.api_client.user_agent, maxsize=THREADS)
                result = threaded_run(shared_raw.list_20, plan.thread_calls, server)
                shared_raw.close()
            getattr(throughput, side).append(result.calls / result.wall)
            getattr(wall, side).append(result.wall)
            getattr(thread_errors, side).append(float(result.errors))
            getattr(connections, side).append(float(result.connections))
            if result.first_error:
                first_errors.append(f"{side}: {result.first_error}")
    start = statistics.median(baseline)
    sdk_client.close()
    raw_client.close()
    figures = [*cpu.values(), deserialize, read, memory, held, importing, throughput, wall, thread_errors, connections]
    facts = {
        "interpreter_start_cpu_s": {"median": start, "min": min(baseline), "max": max(baseline)},
        "thread_errors": first_errors[:5],
    }
    return figures, facts


# -- profiles --------------------------------------------------------------------------------------------------


def profile_sdk(sdk: Any, server: BenchServer, plan: Plan, lines: int = 15) -> str:
    """cProfile of the SDK side of every case, sorted by tottime, and the modules only chatwoot_client imports."""
    client = SdkClient(sdk, server.url)
    response = FakeResponse(payloads.build()["list_1000"])
    cases: List[Tuple[str, Callable[[], Any], int]] = [
        (case, getattr(client, case), plan.calls[case]) for case in CASES
    ]
    deserialize = client.api_client.deserialize
    cases.append(("deserialize_1000", lambda: deserialize(response, "MessageList").payload, plan.calls["deserialize"]))
    out = io.StringIO()
    for name, call, count in cases:
        call()
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(count):
            call()
        profiler.disable()
        out.write(f"\n### {name}: {count} calls, sorted by tottime\n\n```text\n")
        stats = pstats.Stats(profiler, stream=out)
        stats.strip_dirs().sort_stats("tottime").print_stats(lines)
        out.write("```\n")
    client.close()
    out.write("\n### import: modules chatwoot_client adds to `import json, urllib3`, by self time\n\n```text\n")
    out.write(import_breakdown(lines))
    out.write("```\n")
    return out.getvalue()


def _importtime(code: str) -> Dict[str, Tuple[int, int]]:
    """``python -S -X importtime -c code``: module -> (self µs, cumulative µs)."""
    done = subprocess.run(
        [sys.executable, "-S", "-X", "importtime", "-c", code],
        env=_import_environment(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=IMPORT_TIMEOUT,
    )
    modules: Dict[str, Tuple[int, int]] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line[len("import time:") :].split("|")
        modules[name.strip()] = (int(own), int(cumulative))
    return modules


def import_breakdown(lines: int) -> str:
    """The modules ``import chatwoot_client`` loads beyond ``import json, urllib3``, slowest first (wall µs)."""
    raw = _importtime(IMPORTS["raw"])
    samples = [_importtime(IMPORTS["sdk"]) for _ in range(3)]
    extra = {name: min(sample[name][0] for sample in samples) for name in samples[0] if name not in raw}
    rows = sorted(extra.items(), key=lambda item: -item[1])
    total = sum(extra.values())
    text = [f"{len(extra)} extra modules, {total / 1000:.1f} ms of self time (wall, best of 3)"]
    text += [f"{own:8d} us  {name}" for name, own in rows[:lines]]
    return "\n".join(text) + "\n"


# -- main ------------------------------------------------------------------------------------------------------


def environment_line(sdk: Any, plan: Plan, command: str) -> str:
    return (
        f"`{command}` — chatwoot_client {sdk.__version__} vs urllib3 {urllib3.__version__} + json.loads; "
        f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs; "
        f"{plan.repeat} repetitions; calls per sample: "
        + ", ".join(f"{case.replace('_', '-')} {count}" for case, count in plan.calls.items())
        + f"; {plan.import_launches} interpreter(s) per import sample; {THREADS} threads x {plan.thread_calls} calls."
    )


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a few seconds: proves the benchmark works")
    parser.add_argument("--repeat", type=int, help="repetitions (default 7, --quick 5)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the Markdown table")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of the SDK side of each case")
    options = parser.parse_args(argv)
    plan = QUICK if options.quick else FULL
    if options.repeat is not None:
        if options.repeat < 1:
            parser.error("--repeat must be at least 1")
        plan = Plan(options.repeat, plan.calls, plan.blocks, plan.import_launches, plan.thread_calls)
    command = "python benchmarks/run.py" + "".join(f" {arg}" for arg in (argv if argv is not None else sys.argv[1:]))
    sdk = import_sdk()
    started = time.perf_counter()
    server = BenchServer()
    try:
        figures, facts = run(plan, sdk, server)
        profile = profile_sdk(sdk, server, plan) if options.profile else None
    except RuntimeError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    finally:
        server.close()
    elapsed = time.perf_counter() - started
    if options.json:
        document = {
            "command": command,
            "chatwoot_client": sdk.__version__,
            "urllib3": urllib3.__version__,
            "python": platform.python_version(),
            "platform": f"{platform.system()} {platform.machine()}",
            "cpus": os.cpu_count(),
            "plan": plan.__dict__,
            "wall_time_s": elapsed,
            "figures": {figure.key: figure.as_json() for figure in figures},
            **facts,
        }
        if profile is not None:
            document["profile"] = profile
        print(json.dumps(document, indent=2))
        return 0
    print(environment_line(sdk, plan, command))
    print()
    print(markdown_table(figures))
    print()
    print(
        f"Run took {elapsed:.1f} s of wall time. Interpreter start (subtracted from import): "
        f"{facts['interpreter_start_cpu_s']['median'] * 1000:.1f} ms CPU."
    )
    for error in facts["thread_errors"]:
        print(f"Thread error: {error}")
    if profile is not None:
        print(profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
