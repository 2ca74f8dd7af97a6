"""A soak over a real socket: 240 requests from 16 concurrent clients on every answering route.

The model is injected (answers at once) so that the load lands on what this project runs
around it: the HTTP host, preprocess (PII masking, the guard, retrieval), postprocess, the
toxicity filter, recording and metrics. ``bench/bench_soak.py`` does the same with the real model.
"""

from __future__ import annotations

import concurrent.futures
import statistics
import time

import httpx
import psutil

from .test_serving_http import _start_server, _stop

CLIENTS, REQUESTS, WARM_UP = 16, 240, 48
QUESTIONS = ["How do I export my boards?", "Can I get a refund for the annual plan?",
             "What does error ORB-4031 mean?", "My email is ana.lopez@example.com, why was I charged twice?"]


def _request(client: httpx.Client, index: int) -> tuple[int, float]:
    question = QUESTIONS[index % len(QUESTIONS)]
    started = time.perf_counter()
    route = index % 3
    if route == 0:
        response = client.post("/", json={"question": question, "max_new_tokens": 16})
    elif route == 1:
        response = client.post("/v1/chat/completions", json={"model": "m", "messages": [
            {"role": "user", "content": question}]})
    else:
        with client.stream("POST", "/v1/chat/completions", json={"model": "m", "stream": True, "messages": [
                {"role": "user", "content": question}]}) as response:
            body = response.read()
        assert not response.is_success or body.rstrip().endswith(b"data: [DONE]")
    return response.status_code, time.perf_counter() - started


def test_a_soak_answers_every_request_without_5xx_and_memory_stays_bounded(tmp_path):
    process, url = _start_server(tmp_path, "--model-class", "tests.assets.serving.injected_models.ToxicTailServer")
    server = psutil.Process(process.pid)
    try:
        with httpx.Client(base_url=url, timeout=120) as client, \
                concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(lambda i: _request(client, i), range(WARM_UP)))  # first-use loads out of the figure
            rss_before = server.memory_info().rss
            started = time.perf_counter()
            results = list(pool.map(lambda i: _request(client, i), range(REQUESTS)))
            seconds = time.perf_counter() - started
            rss_after = server.memory_info().rss
        statuses = [status for status, _ in results]
        latencies = sorted(latency for _, latency in results)
        p50, p95 = statistics.median(latencies), latencies[int(0.95 * len(latencies)) - 1]
        growth_mb = (rss_after - rss_before) / 2**20
        print(f"soak: {REQUESTS} requests, {CLIENTS} clients, {REQUESTS / seconds:.1f} req/s, p50 {p50 * 1000:.0f} ms, "
              f"p95 {p95 * 1000:.0f} ms, RSS {rss_before / 2**20:.0f} -> {rss_after / 2**20:.0f} MiB "
              f"({growth_mb:+.1f}), statuses {sorted(set(statuses))}")
        assert statuses == [200] * REQUESTS  # 16 clients are well within the in-flight bound: no 503 either
        assert growth_mb < 64, f"resident memory grew {growth_mb:.0f} MiB over {REQUESTS} requests"
        assert httpx.get(url + "health").status_code == 200
    finally:
        _stop(process)
