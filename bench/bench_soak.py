"""A soak of the real endpoint (base model, the whole graph): many requests from concurrent
clients on POST / and the OpenAI route (plain and streamed), with a small in-flight bound so
that backpressure is part of the run.

Prints requests, clients, throughput, p50/p95 of the answered requests, the 503s (refused at
once, with Retry-After), any other 5xx (target: none), and the server's resident memory before
and after (target: growth under 10%). Run with `make bench` or

    python bench/bench_soak.py [--requests 200] [--clients 16] [--max-in-flight 12] [--tokens 16]
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import os
import statistics
import sys
import time

import httpx
import psutil
from tabulate import tabulate

sys.path.insert(0, os.path.dirname(__file__))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--max-in-flight", type=int, default=12)
    parser.add_argument("--tokens", type=int, default=16)
    args = parser.parse_args()
    os.environ["GENAI_FLOW_SERVING_MAX_IN_FLIGHT"] = str(args.max_in_flight)
    from bench_serving import QUESTIONS, start_server  # after the setting: the host reads it when built

    questions = [*QUESTIONS, "My name is Ana Lopez (ana.lopez@example.com): why was I charged twice?"]

    server, url = start_server()
    me = psutil.Process()  # the server runs in this process (a thread), as in bench_serving
    client = httpx.Client(base_url=url, timeout=600, limits=httpx.Limits(max_connections=args.clients))

    def ask(index: int) -> tuple[int, float]:
        question, route = questions[index % len(questions)], index % 3
        started = time.perf_counter()
        if route == 0:
            status = client.post("/", json={"question": question, "max_new_tokens": args.tokens}).status_code
        else:
            body = {"model": "m", "max_tokens": args.tokens, "stream": route == 2,
                    "messages": [{"role": "user", "content": question}]}
            with client.stream("POST", "/v1/chat/completions", json=body) as response:
                response.read()
                status = response.status_code
        return status, time.perf_counter() - started

    with concurrent.futures.ThreadPoolExecutor(args.clients) as pool:
        list(pool.map(ask, range(args.clients)))  # warm-up: first-use loads out of the figures
        rss_before = me.memory_info().rss
        started = time.perf_counter()
        results = list(pool.map(ask, range(args.requests)))
        seconds = time.perf_counter() - started
        rss_after = me.memory_info().rss
    server.should_exit = True

    statuses = collections.Counter(status for status, _ in results)
    answered = sorted(latency for status, latency in results if status == 200)
    other_5xx = sum(count for status, count in statuses.items() if status >= 500 and status != 503)
    growth = rss_after / rss_before - 1
    print(tabulate([
        ["requests / clients / in-flight bound", f"{args.requests} / {args.clients} / {args.max_in_flight}"],
        ["answered (200)", statuses.get(200, 0)],
        ["refused at once (503, Retry-After)", statuses.get(503, 0)],
        ["other 5xx", other_5xx],
        ["throughput", f"{len(answered) / seconds:.2f} answers/s over {seconds:.1f} s"],
        ["p50 / p95 of answered", f"{statistics.median(answered):.2f} s / "
                                  f"{answered[max(0, int(0.95 * len(answered)) - 1)]:.2f} s" if answered else "-"],
        ["resident memory", f"{rss_before / 2**20:.0f} -> {rss_after / 2**20:.0f} MiB ({growth:+.1%})"],
    ]))
    ok = other_5xx == 0 and statuses.get(200, 0) > 0 and growth < 0.10
    print(f"targets (no other 5xx, memory growth < 10%): {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
