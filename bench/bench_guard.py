"""Toxicity guard cost per request: one text at a time, as the serving graph calls it.

Compares, on the same texts (Faker support-style sentences, one in ten toxic):
- ``ToxicityGuard.score([text])``: what serving calls for a question and for an answer;
- ``profanity_check.predict_prob([text])``: the plain library (scikit-learn's calibrated SVMs);
- ``evaluate`` ``compute(predictions=[text])``: the measurement's generic path (Arrow cache).
Each is timed call by call after a warm-up; the table shows mean, median and p99 latency.

    python bench/bench_guard.py [--requests 2000]

Target: the guard's mean cost per request at most 1 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import profanity_check
from faker import Faker
from tabulate import tabulate

from genai_flow import local_mode
from genai_flow.guardrails import ToxicityConfig, ToxicityGuard, load_toxicity

local_mode.enable()  # offline models; the embedded run DB where a run is recorded

TARGET_MS = 1.0
TOXIC = ["you are a stupid idiot and I hate you", "this fucking hub is garbage, just like your support"]


def make_texts(count: int, seed: int = 11) -> list[str]:
    fake = Faker("en_US")
    Faker.seed(seed)
    return [TOXIC[i % 2] if i % 10 == 0 else fake.sentence(nb_words=14) for i in range(count)]


def latencies_ms(call, texts: list[str]) -> list[float]:
    for text in texts[:50]:  # warm-up
        call(text)
    out = []
    for text in texts:
        start = time.perf_counter()
        call(text)
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    texts = make_texts(args.requests)
    guard = ToxicityGuard(ToxicityConfig.from_settings())
    module = load_toxicity()

    candidates = [
        ("ToxicityGuard.score([text])", lambda t: guard.score([t]), texts),
        ("profanity_check.predict_prob([text])", lambda t: profanity_check.predict_prob([t]), texts),
        # compute() adds milliseconds of bookkeeping (Arrow writer, locks): a tenth of the requests.
        ("evaluate compute(predictions=[text])", lambda t: module.compute(predictions=[t]), texts[: max(100, len(texts) // 10)]),
    ]
    rows, guard_mean = [], None
    for name, call, sample in candidates:
        values = latencies_ms(call, sample)
        mean = statistics.fmean(values)
        guard_mean = mean if guard_mean is None else guard_mean
        p99 = statistics.quantiles(values, n=100)[98]
        rows.append([name, len(values), f"{mean:.3f}", f"{statistics.median(values):.3f}", f"{p99:.3f}",
                     f"{mean / guard_mean:.1f}x"])
    print(f"{args.requests} requests, one text each ({sum(map(len, texts)) / len(texts):.0f} characters on average)")
    print(tabulate(rows, headers=["call", "requests", "mean ms", "median ms", "p99 ms", "cost vs guard"]))
    met = guard_mean <= TARGET_MS
    print(f"target: guard mean <= {TARGET_MS} ms per request: {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
