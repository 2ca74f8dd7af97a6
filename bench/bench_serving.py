"""Serving overhead and batching: the HTTP graph against raw ``model.generate``, in one process.

1. Latency: the same prompt and the same number of new tokens, one request at a time, through
   ``POST /`` of the local host (validation, toxicity screening of question and answer, PII
   masking, the async graph, HTTP) versus ``model.generate`` on the base model. p50 and p95
   over ``--requests`` requests, alternating the two. Target: overhead at most 10%.
2. Throughput: the same questions from 8 concurrent clients versus one after another.
   Target: at least 1.5x requests per second (the LLM server batches concurrent requests).

Retrieval is off so that both sides see the same prompt. Run with `make bench` or

    python bench/bench_serving.py [--requests 20] [--tokens 32]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import socket
import statistics
import sys
import threading
import time

os.environ.setdefault("GENAI_FLOW_SERVING_RETRIEVAL", "false")

import httpx  # noqa: E402
import torch  # noqa: E402
import uvicorn  # noqa: E402
from tabulate import tabulate  # noqa: E402

from genai_flow import local_mode  # noqa: E402
from genai_flow.model_loading import ModelConfig  # noqa: E402
from genai_flow.serving.config import ServingConfig  # noqa: E402
from genai_flow.tuned_model import load_base_model  # noqa: E402
from genai_flow.local_mode.http_host import create_app  # noqa: E402
from genai_flow.local_mode.server_process import wait_healthy  # noqa: E402

local_mode.enable()  # offline models; the embedded run DB where a run is recorded

QUESTIONS = [
    "How do I export my boards to a spreadsheet?",
    "Can I get a refund for the annual plan?",
    "What does error ORB-4031 mean when I upload a file?",
    "How many guests can I invite on the Pro plan?",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def start_server() -> tuple[uvicorn.Server, str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(ServingConfig.from_settings()), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    url = f"http://127.0.0.1:{port}/"
    wait_healthy(url, timeout_s=300)
    return server, url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--tokens", type=int, default=32)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()

    server, url = start_server()
    # The raw baseline: the same weights in the same form (serving_quantization), in the same process.
    base = load_base_model(ModelConfig.from_settings(), quantization=ServingConfig.from_settings().quantization)
    client = httpx.Client(timeout=600)

    def ask(question: str) -> dict:
        response = client.post(url, json={"question": question, "max_new_tokens": args.tokens})
        response.raise_for_status()
        return response.json()

    # The raw baseline generates exactly as many tokens as the graph did for the same prompt.
    question = QUESTIONS[0]
    prompt = base.template.render(base.tokenizer, "", question)
    inputs = base.tokenizer(prompt, return_tensors="pt", add_special_tokens=False)

    def raw_generate():
        with torch.inference_mode():
            return base.model.generate(**inputs, max_new_tokens=args.tokens, do_sample=False,
                                       repetition_penalty=1.15, pad_token_id=base.tokenizer.pad_token_id)

    new_tokens = raw_generate().shape[1] - inputs["input_ids"].shape[1]
    ask(question)  # warm-up of the graph (PII model, guard)

    raw, graph = [], []
    for _ in range(args.requests):
        start = time.perf_counter()
        raw_generate()
        raw.append(time.perf_counter() - start)
        start = time.perf_counter()
        ask(question)
        graph.append(time.perf_counter() - start)

    total = args.clients * 2
    questions = [QUESTIONS[i % len(QUESTIONS)] for i in range(total)]
    start = time.perf_counter()
    for q in questions:
        ask(q)
    sequential_rps = total / (time.perf_counter() - start)
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(args.clients) as pool:
        list(pool.map(lambda q: httpx.post(url, json={"question": q, "max_new_tokens": args.tokens},
                                           timeout=600).raise_for_status(), questions))
    concurrent_rps = total / (time.perf_counter() - start)
    server.should_exit = True

    overhead_p50 = statistics.median(graph) / statistics.median(raw) - 1
    overhead_p95 = percentile(graph, 95) / percentile(raw, 95) - 1
    speedup = concurrent_rps / sequential_rps
    print(f"{args.requests} requests, {new_tokens} new tokens each, prompt of {inputs['input_ids'].shape[1]} tokens")
    print(tabulate(
        [
            ["raw model.generate", f"{statistics.median(raw) * 1000:.0f}", f"{percentile(raw, 95) * 1000:.0f}", ""],
            ["HTTP graph", f"{statistics.median(graph) * 1000:.0f}", f"{percentile(graph, 95) * 1000:.0f}",
             f"p50 {overhead_p50:+.1%}, p95 {overhead_p95:+.1%}"],
        ],
        headers=["latency", "p50 ms", "p95 ms", "overhead (target <= 10%)"],
    ))
    print()
    print(tabulate(
        [["sequential", f"{sequential_rps:.2f}", ""],
         [f"{args.clients} concurrent clients", f"{concurrent_rps:.2f}", f"{speedup:.2f}x (target >= 1.5x)"]],
        headers=["throughput", "requests/s", "ratio"],
    ))
    ok = overhead_p50 <= 0.10 and speedup >= 1.5
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
