"""Soak exactly-once creates: many threads send distinct messages through one ApiClient while the mock server
injects, at random (seeded), every fault a create can meet on either side of storing.

Each send is a caller's loop of at most 5 create calls with the same client_message_id, as README's
"Exactly-once sends" shows it: a returned message (or ``stored`` True) ends it; ``stored`` False calls again at
once; ``stored`` None waits connect + read seconds first. At the end every send's id must be stored exactly once.

Faults (each queued for the next POST, so it may meet another thread's create, a resend or a caller's retry):
500 before and after the save, 503 before it, a dropped connection before and after processing, an answer
delayed past the read timeout after the save, and slow processing that stores only after the client gave up
(1.5 to 5 read timeouts after the request).

Usage: ``python benchmarks/soak.py [--sends 300] [--threads 8] [--seed 7] [--fault-rate 0.12] [--read 0.2]
[--json]``. It prints the figures; the exit status is 1 when a message was duplicated or lost.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import chatwoot_client
from chatwoot_client.exceptions import ApiException
from chatwoot_client.testing import MockChatwootServer

ACCOUNT_ID = 1
CALLS_PER_SEND = 5
CONNECT_TIMEOUT = 1.0  # seconds

FAULTS: Dict[str, Callable[[MockChatwootServer, float, random.Random], None]] = {
    "500 before the save": lambda server, read, rng: server.fail_next(500, method="POST", after_save=False),
    "500 after the save": lambda server, read, rng: server.fail_next(500, method="POST", after_save=True),
    "503 before the save": lambda server, read, rng: server.fail_next(503, method="POST", after_save=False),
    "drop before processing": lambda server, read, rng: server.drop_next(method="POST", after_save=False),
    "drop after processing": lambda server, read, rng: server.drop_next(method="POST", after_save=True),
    "late answer after the save": lambda server, read, rng: server.delay_next(read * 3, method="POST"),
    "slow processing, stored after the client gave up": lambda server, read, rng: server.delay_next(
        read * rng.uniform(1.5, 5.0), method="POST", after_save=False
    ),
}


@dataclass
class Send:
    """One caller's send: what each create call did."""

    key: str
    outcomes: List[str] = field(default_factory=list)  # "ok", "stored=True", "stored=False", "stored=None"
    wrong_false: bool = False  # stored=False said while the message was stored


@dataclass
class Figures:
    sends: int
    threads: int
    fault_rate: float
    seed: int
    faults: Dict[str, int]
    create_calls: int
    first_call_success: float
    first_call_stored_none: float
    duplicates: int
    lost: int
    wrong_false: int
    list_requests: int
    post_requests: int
    lookups_per_create: float
    lookups_per_send: float
    wall_seconds: float
    calls_per_send: Dict[int, int]


def run(
    sends: int = 300,
    threads: int = 8,
    seed: int = 7,
    fault_rate: float = 0.12,
    read_timeout: float = 0.2,
    wait: Optional[Callable[[float], None]] = None,
) -> Figures:
    """The soak: ``sends`` sends over ``threads`` threads sharing one ApiClient, against a fresh mock server."""
    rng = random.Random(seed)
    plan = [rng.choice(sorted(FAULTS)) if rng.random() < fault_rate else None for _ in range(sends)]
    spreads = [random.Random(seed * 1000 + index) for index in range(sends)]
    wait = wait or time.sleep
    counted: Dict[str, int] = {}
    results: List[Send] = []
    started = time.monotonic()
    with _mock() as server:
        conversation_id = server.add_conversation(ACCOUNT_ID)
        configuration = chatwoot_client.Configuration(host=server.url)
        configuration.api_key["api_access_token"] = server.user_token
        configuration.timeout = (CONNECT_TIMEOUT, read_timeout)
        configuration.connection_pool_maxsize = threads
        lock = threading.Lock()
        with chatwoot_client.ApiClient(configuration) as client:
            api = chatwoot_client.MessagesApi(client)

            def one(index: int) -> Send:
                send = Send(f"soak-{seed}-{index}")
                fault = plan[index]
                if fault is not None:
                    FAULTS[fault](server, read_timeout, spreads[index])
                    with lock:
                        counted[fault] = counted.get(fault, 0) + 1
                for _ in range(CALLS_PER_SEND):
                    try:
                        api.create_a_new_message_in_a_conversation(
                            {"content": f"message {index}"}, ACCOUNT_ID, conversation_id, client_message_id=send.key
                        )
                    except ApiException as error:
                        send.outcomes.append(f"stored={error.stored}")
                        if error.stored is True:
                            return send
                        if error.stored is False and _stored_count(server, conversation_id, send.key):
                            send.wrong_false = True
                        if error.stored is None:
                            wait(CONNECT_TIMEOUT + read_timeout)  # README: wait connect + read, then call again
                        continue
                    send.outcomes.append("ok")
                    return send
                return send

            def worker(indexes: List[int]) -> None:
                for index in indexes:
                    result = one(index)
                    with lock:
                        results.append(result)

            workers = [
                threading.Thread(target=worker, args=(list(range(number, sends, threads)),), name=f"soak-{number}")
                for number in range(threads)
            ]
            for thread in workers:
                thread.start()
            for thread in workers:
                thread.join()
        wall = time.monotonic() - started
        messages = server.messages(ACCOUNT_ID, conversation_id)
        stored = [message["content_attributes"].get("client_message_id") for message in messages]
        requests = server.requests
    counts: Dict[str, int] = {}
    for key in stored:
        counts[key] = counts.get(key, 0) + 1
    delivered = [send for send in results if send.outcomes and send.outcomes[-1] in ("ok", "stored=True")]
    calls = sum(len(send.outcomes) for send in results)
    gets = sum(1 for request in requests if request.method == "GET")
    histogram: Dict[int, int] = {}
    for send in results:
        histogram[len(send.outcomes)] = histogram.get(len(send.outcomes), 0) + 1
    return Figures(
        sends=sends,
        threads=threads,
        fault_rate=fault_rate,
        seed=seed,
        faults=dict(sorted(counted.items())),
        create_calls=calls,
        first_call_success=sum(1 for send in results if send.outcomes[:1] == ["ok"]) / sends,
        first_call_stored_none=sum(1 for send in results if send.outcomes[:1] == ["stored=None"]) / sends,
        duplicates=sum(count - 1 for count in counts.values() if count > 1),
        lost=sends - len({send.key for send in delivered if counts.get(send.key) == 1}),
        wrong_false=sum(1 for send in results if send.wrong_false),
        list_requests=gets,
        post_requests=sum(1 for request in requests if request.method == "POST"),
        lookups_per_create=gets / calls,
        lookups_per_send=gets / sends,
        wall_seconds=wall,
        calls_per_send=dict(sorted(histogram.items())),
    )


def _mock() -> MockChatwootServer:
    """A fresh mock server, without its flood guard where it has one: 300 sends in a minute is the point here."""
    import inspect

    if "message_rate_limit" in inspect.signature(MockChatwootServer).parameters:
        return MockChatwootServer(message_rate_limit=None)  # type: ignore[call-arg]
    return MockChatwootServer()


def _stored_count(server: MockChatwootServer, conversation_id: int, key: str) -> int:
    messages = server.messages(ACCOUNT_ID, conversation_id)
    return sum(1 for message in messages if message["content_attributes"].get("client_message_id") == key)


def _report(figures: Figures) -> str:
    lines = [
        f"soak: {figures.sends} sends, {figures.threads} threads, seed {figures.seed}, "
        f"fault rate {figures.fault_rate:.0%} of sends, {figures.wall_seconds:.1f} s",
        "faults injected: " + ", ".join(f"{name} {count}" for name, count in figures.faults.items()),
        f"duplicates: {figures.duplicates}",
        f"lost: {figures.lost}",
        f"stored=False said of a stored message: {figures.wrong_false}",
        f"first-call success: {figures.first_call_success:.1%}",
        f"stored=None on first calls: {figures.first_call_stored_none:.1%}",
        f"create calls: {figures.create_calls} ({figures.create_calls / figures.sends:.3f} per send); "
        f"calls per send: {figures.calls_per_send}",
        f"requests: {figures.post_requests} POST, {figures.list_requests} list (GET)",
        f"lookups (list requests) per create call: {figures.lookups_per_create:.2f}; "
        f"per send: {figures.lookups_per_send:.2f}",
    ]
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sends", type=int, default=300)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--fault-rate", type=float, default=0.12)
    parser.add_argument("--read", type=float, default=0.2, help="read timeout in seconds")
    parser.add_argument("--json", action="store_true")
    arguments = parser.parse_args(argv)
    figures = run(arguments.sends, arguments.threads, arguments.seed, arguments.fault_rate, arguments.read)
    print(json.dumps(figures.__dict__, indent=2) if arguments.json else _report(figures))
    return 0 if figures.duplicates == 0 and figures.lost == 0 and figures.wrong_false == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
