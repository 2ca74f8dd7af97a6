"""Toxicity guard cost per request: one text at a time, as the serving graph calls it, on one core.

Compares, on the same texts (Faker support-style sentences, one in ten toxic), with
``torch.set_num_threads(1)`` and single-threaded BLAS:
- the default backend, ``embedding-head``, embedding the text itself (MiniLM forward pass,
  normalization, alt-profanity-check's score for the fused feature, the regression);
- the same guard given the text's embedding, precomputed (what serving can pass: it embeds
  the question for retrieval anyway), so the guard makes no model call;
- the ``profanity-check`` backend, and the plain library for reference;
- ``evaluate`` ``compute(predictions=[text])`` with the default backend (the generic path).
Each is timed call by call after a warm-up; the table shows mean, median and p99 latency.

    python bench/bench_guard.py [--requests 1000]

Target: the default guard's mean cost per request at most 15 ms with the embedding computed.
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")  # one core, numpy included (set before numpy loads)

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import profanity_check  # noqa: E402
import torch  # noqa: E402
from faker import Faker  # noqa: E402
from tabulate import tabulate  # noqa: E402

from genai_flow import local_mode  # noqa: E402
from genai_flow.guardrails import ToxicityConfig, ToxicityGuard, load_toxicity  # noqa: E402
from genai_flow.guardrails.head import embed  # noqa: E402

local_mode.enable()  # offline models; the embedded run DB where a run is recorded
torch.set_num_threads(1)

TARGET_MS = 15.0
TOXIC = ["you are a stupid idiot and I hate you", "this fucking hub is garbage, just like your support"]


def make_texts(count: int, seed: int = 11) -> list[str]:
    fake = Faker("en_US")
    Faker.seed(seed)
    return [TOXIC[i % 2] if i % 10 == 0 else fake.sentence(nb_words=14) for i in range(count)]


def latencies_ms(call, count: int) -> list[float]:
    for index in range(min(50, count)):  # warm-up
        call(index)
    out = []
    for index in range(count):
        start = time.perf_counter()
        call(index)
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    texts = make_texts(args.requests)
    head = ToxicityGuard(ToxicityConfig.from_settings()).load()
    profanity = ToxicityGuard(ToxicityConfig.from_settings(backend="profanity-check")).load()
    # What serving would pass: the embeddings of the normalized texts, computed beforehand.
    embeddings = embed(head.measurement.scorer.embedder, [head.normalize(text) for text in texts])
    module = load_toxicity()

    candidates = [
        ("embedding-head, embeds the text", lambda i: head.score([texts[i]]), len(texts)),
        ("embedding-head, embedding given", lambda i: head.score([texts[i]], embeddings[i:i + 1]), len(texts)),
        ("profanity-check backend", lambda i: profanity.score([texts[i]]), len(texts)),
        ("profanity_check.predict_prob (library)", lambda i: profanity_check.predict_prob([texts[i]]), len(texts)),
        # compute() adds milliseconds of bookkeeping (Arrow writer, locks): a tenth of the requests.
        ("evaluate compute(), embedding-head", lambda i: module.compute(predictions=[texts[i]]),
         max(100, len(texts) // 10)),
    ]
    rows, means = [], {}
    for name, call, count in candidates:
        values = latencies_ms(call, count)
        means[name] = mean = statistics.fmean(values)
        p99 = statistics.quantiles(values, n=100)[98]
        rows.append([name, len(values), f"{mean:.3f}", f"{statistics.median(values):.3f}", f"{p99:.3f}"])
    print(f"{args.requests} requests, one text each ({sum(map(len, texts)) / len(texts):.0f} characters on "
          f"average), torch threads {torch.get_num_threads()}")
    print(tabulate(rows, headers=["call", "requests", "mean ms", "median ms", "p99 ms"]))
    guard_mean = means["embedding-head, embeds the text"]
    met = guard_mean <= TARGET_MS
    print(f"target: default guard (embedding computed) mean <= {TARGET_MS} ms per request: "
          f"{guard_mean:.2f} ms, {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
