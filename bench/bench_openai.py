"""The OpenAI routes against the endpoint's own ``POST /``, and streamed against plain answers.

One local host (the real graph, base model), the same questions and token limit on every route,
interleaved so that all routes see the same machine state:

- ``POST /`` (the baseline), ``POST /v1/chat/completions`` plain, and streamed (SSE);
- per route, p50 of the total time; for the stream also the time to first token (the first
  text chunk: the first guarded sentence).

Target: the OpenAI route's p50 at most 5% over ``POST /``'s. Reported, not targeted: the
stream's time to first token and total time as ratios of the plain answer's total. Run with
`make bench` or

    python bench/bench_openai.py [--rounds 8] [--tokens 48]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

os.environ.setdefault("GENAI_FLOW_SERVING_RETRIEVAL", "false")

import httpx  # noqa: E402
from tabulate import tabulate  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from bench_serving import QUESTIONS, start_server  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=8, help="times each question is asked on each route")
    parser.add_argument("--tokens", type=int, default=48)
    args = parser.parse_args()
    server, url = start_server()
    client = httpx.Client(timeout=600)

    def native(question: str) -> dict:
        started = time.perf_counter()
        answer = client.post(url, json={"question": question, "max_new_tokens": args.tokens}).raise_for_status().json()
        return {"total": time.perf_counter() - started, "text": answer["answer"]}

    def chat(question: str) -> dict:
        started = time.perf_counter()
        reply = client.post(url + "v1/chat/completions", json={
            "model": "genai-flow", "max_tokens": args.tokens, "messages": [{"role": "user", "content": question}],
        }).raise_for_status().json()
        return {"total": time.perf_counter() - started, "text": reply["choices"][0]["message"]["content"]}

    def streamed(question: str) -> dict:
        started, first, text = time.perf_counter(), None, ""
        body = {"model": "genai-flow", "max_tokens": args.tokens, "stream": True,
                "messages": [{"role": "user", "content": question}]}
        with client.stream("POST", url + "v1/chat/completions", json=body) as response:
            for line in response.raise_for_status().iter_lines():
                if not line.startswith("data: {"):
                    continue
                for choice in json.loads(line[len("data: "):]).get("choices", []):
                    if choice["delta"].get("content"):
                        first = first or time.perf_counter() - started
                        text += choice["delta"]["content"]
        return {"total": time.perf_counter() - started, "first": first, "text": text}

    routes = {"POST /": native, "POST /v1/chat/completions": chat, "streamed": streamed}
    for route in routes.values():  # warm-up: first-use loads (spaCy, the guard) out of the timing
        route(QUESTIONS[0])
    results = {name: [] for name in routes}
    for round_index in range(args.rounds):
        for question in QUESTIONS:
            order = list(routes.items())
            order = order[round_index % 3:] + order[:round_index % 3]  # no route always goes first
            for name, route in order:
                results[name].append(route(question))
    server.should_exit = True

    p50 = {name: statistics.median(r["total"] for r in rows) for name, rows in results.items()}
    first = statistics.median(r["first"] for r in results["streamed"] if r["first"] is not None)
    same = sum(s["text"] == c["text"] for s, c in zip(results["streamed"], results["POST /v1/chat/completions"]))
    overhead = p50["POST /v1/chat/completions"] / p50["POST /"] - 1
    print(f"{args.rounds} rounds of {len(QUESTIONS)} questions, up to {args.tokens} new tokens, one request at a time")
    print(tabulate([
        ["POST / (baseline)", f"{p50['POST /']:.3f}", "", ""],
        ["POST /v1/chat/completions", f"{p50['POST /v1/chat/completions']:.3f}", f"{overhead:+.1%}", ""],
        ["streamed", f"{p50['streamed']:.3f}", f"{p50['streamed'] / p50['POST /'] - 1:+.1%}",
         f"{first:.3f} ({first / p50['POST /v1/chat/completions']:.0%} of plain)"],
    ], headers=["route", "p50 total s", "vs POST /", "time to first token s"]))
    print(f"streamed text equal to the plain answer: {same} of {len(results['streamed'])}")
    ok = overhead <= 0.05
    print(f"target OpenAI route overhead <= 5%: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
