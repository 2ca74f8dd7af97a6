"""Grounded answers where users feel them: the fact set asked over HTTP, and what it costs.

Asks every question of the held-out fact set (data/fact_set/fact_set.jsonl, never trained on)
of a live endpoint: the local one `make run` left up (or `--url`); with none running, the base
model is served here over the knowledge base indexed into a temporary folder. Prints:
- facts-in-answer rate: answers that carry their fact, and by who answered (model, quoted
  knowledge base, fallback, declined);
- groundedness rate: answers that carry a groundedness score, and the model's answers kept;
- off-topic precision and recall: of the questions declined, how many were off-topic;
- the latency cost of the new steps, measured in this process on the same questions (over the
  settings' Chroma store: the endpoint's): hybrid retrieval's extra time over dense retrieval,
  plus groundedness and the extractive answer, against the median request. Target: at most 10%
  of the median request, checked with one client.

    python bench/bench_grounding.py [--url http://127.0.0.1:8080/] [--limit N] [--clients 1]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import json
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import uvicorn
from tabulate import tabulate

from genai_flow import local_mode
from genai_flow.embed import EmbedConfig, RetrievalConfig, StoreLocation, index_chunks, retrieve, store_location
from genai_flow.embed.embedder import get_embedder
from genai_flow.evaluate.fact_set import contains_facts, load_fact_set
from genai_flow.grounding.extractive import extractive_answer
from genai_flow.grounding.support import groundedness
from genai_flow.local_mode import server_process
from genai_flow.local_mode.http_host import create_app
from genai_flow.local_mode.server_process import wait_healthy
from genai_flow.model_loading import ModelConfig
from genai_flow.prompts import Passage
from genai_flow.serving.config import ServingConfig
from genai_flow.settings import get_settings, reload_settings

local_mode.enable()  # offline models

FACT_SET = Path(__file__).resolve().parents[1] / "data" / "fact_set" / "fact_set.jsonl"
TARGET_SHARE = 0.10  # the new steps may add at most this share of the median request


def own_endpoint(settings, models) -> tuple[str, object]:
    """Serve the base model here over the knowledge base indexed into a temporary folder."""
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_retrieval import knowledge_base  # prepared and masked as the workflow does

    folder = tempfile.mkdtemp(prefix="bench-grounding-")
    index_chunks(knowledge_base(settings, models), EmbedConfig.from_settings(settings), store_location(path=folder),
                 models, progress=False)
    os.environ["GENAI_FLOW_CHROMA_PATH"] = folder  # the graph builder reads the settings
    reload_settings()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(ServingConfig.from_settings()), host="127.0.0.1", port=port,
                                           log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    url = f"http://127.0.0.1:{port}/"
    wait_healthy(url, timeout_s=600)
    return url, folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="endpoint to ask (default: the local endpoint, else one started here)")
    parser.add_argument("--limit", type=int, default=0, help="ask only the first N questions of each kind")
    parser.add_argument("--clients", type=int, default=1, help="concurrent clients (1: a true latency)")
    args = parser.parse_args()

    settings = get_settings()
    models = ModelConfig.from_settings(settings)
    state = server_process.current()
    url, location = args.url, StoreLocation.from_settings(settings)
    if not url and state:
        url = state["url"]
    if not url:
        url, folder = own_endpoint(settings, models)
        location = store_location(path=folder)
    if not retrieve("warm-up", RetrievalConfig.from_settings(settings), location, models):
        print(f"nothing indexed in {location}: set GENAI_FLOW_CHROMA_PATH (or _URL) to the endpoint's store")
        return 2
    print(f"asking {url}")
    facts = load_fact_set(FACT_SET, args.limit)
    client = httpx.Client(timeout=600)

    def ask(case: dict) -> tuple[dict, float]:
        started = time.perf_counter()
        response = client.post(url, json={"question": case["question"], "subject": case.get("subject", "")})
        response.raise_for_status()
        return response.json(), time.perf_counter() - started

    # Several clients at once finish sooner (the server batches them), but each request then
    # waits for the others: measure the latency share with one client.
    with concurrent.futures.ThreadPoolExecutor(args.clients) as pool:
        answers, seconds = zip(*pool.map(ask, facts.questions + facts.off_topic))
    on, off = answers[: len(facts.questions)], answers[len(facts.questions):]

    correct = [contains_facts(a["answer"], c["facts"]) for a, c in zip(on, facts.questions)]
    by_source = Counter(a["answer_source"] for a in on)
    correct_by_source = Counter(a["answer_source"] for a, ok in zip(on, correct) if ok)
    declined_off = sum(a["flag_reason"] == "off_topic" for a in off)
    declined_on = sum(a["flag_reason"] == "off_topic" for a in on)

    # The new steps' cost, in this process: hybrid over dense retrieval, grounding, extraction.
    embedder = get_embedder(models)
    hybrid = RetrievalConfig.from_settings(settings, hybrid=True)
    dense = dataclasses.replace(hybrid, hybrid=False)
    extra, grounding = [], []
    for case, answer in zip(facts.questions, on):
        retrieve(case["question"], dense, location, models)  # warm
        started = time.perf_counter()
        retrieve(case["question"], dense, location, models)
        middle = time.perf_counter()
        hits = retrieve(case["question"], hybrid, location, models)
        extra.append(max(0.0, (time.perf_counter() - middle) - (middle - started)))
        passages = [Passage.of(hit) for hit in hits]
        started = time.perf_counter()
        groundedness(answer["answer"], [p.text for p in passages], embedder)
        extractive_answer(case["question"], passages, embedder, settings.serving_extract_sentences)
        grounding.append(time.perf_counter() - started)
    request_ms = 1000 * statistics.median(seconds)
    added_ms = 1000 * (statistics.median(extra) + statistics.median(grounding))
    share = added_ms / request_ms

    total = len(on)
    rows = [
        ["fact questions", total],
        ["facts-in-answer rate", round(sum(correct) / total, 3)],
        *[[f"  answered by {source}: carried the fact", f"{correct_by_source[source]}/{count}"]
          for source, count in sorted(by_source.items())],
        ["answers with a groundedness score", round(sum(a["groundedness"] is not None for a in on) / total, 3)],
        ["model answers kept (grounded)", round(by_source["model"] / total, 3)],
        ["off-topic questions declined (recall)", f"{declined_off}/{len(off)}"],
        ["fact questions declined", f"{declined_on}/{total}"],
        ["off-topic precision", round(declined_off / max(declined_off + declined_on, 1), 3)],
        ["request latency, median ms", round(request_ms, 1)],
        ["hybrid retrieval over dense, median ms", round(1000 * statistics.median(extra), 1)],
        ["groundedness + extractive answer, median ms", round(1000 * statistics.median(grounding), 1)],
        ["new steps' share of the median request", f"{share:.1%} (target <= {TARGET_SHARE:.0%})"],
    ]
    print(tabulate(rows, headers=["grounded answers", "value"]))
    missed = [c["id"] for c, ok in zip(facts.questions, correct) if not ok]
    print(f"answers without their fact: {', '.join(missed) or 'none'}")
    print(json.dumps({"facts_in_answer_rate": round(sum(correct) / total, 4), "added_share": round(share, 4)}))
    if args.clients > 1:
        print(f"{args.clients} clients: requests waited for each other, the latency share is not checked")
        return 0
    return 0 if share <= TARGET_SHARE else 1


if __name__ == "__main__":
    sys.exit(main())
