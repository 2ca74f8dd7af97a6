"""How long `genai-flow monitor` takes, and how it grows with the window: the whole monitor
(the events read from the LiveOps store, the MLRun job, drift on MiniLM embeddings, the
dashboard) over 100 and over 1,000 events, against embedding those questions alone (the work
no monitor can skip), in the same run.

Events are synthetic but shaped like the real ones: the questions are tickets from
data/raw (raw, unmasked: a timing set, nothing is scored), flags, tokens and latencies drawn
at random, a tenth of them rated. The reference is the training tickets' questions.

    python bench/bench_monitor.py [--events 1000]

Target: 10x the events cost at most 10x the time (the fixed part, the reference embedding
and the MLRun job, is paid once).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from pathlib import Path

import pandas as pd
from tabulate import tabulate

ROOT = Path(__file__).resolve().parents[1]


def synthetic_events(count: int, questions: list[str], start: float) -> tuple[list, list]:
    rng = random.Random(7)
    reasons = [None] * 14 + ["off_topic", "ungrounded", "ungrounded", "toxic_input"]
    events, feedback = [], []
    for i in range(count):
        reason = rng.choice(reasons)
        latency = rng.uniform(600, 3000)
        events.append({
            "request_id": f"bench-{count}-{i}", "time": start + i * 0.5, "model": "store://models/genai-flow/m",
            "model_version": "latest@x", "prompt_version": "p", "question": rng.choice(questions), "answer": "...",
            "answer_source": "guard" if reason in ("off_topic", "toxic_input") else "model",
            "confidence": rng.random(), "flagged": reason is not None, "flag_reason": reason,
            "low_confidence": rng.random() < 0.1, "pii_counts": {"PERSON": 1} if rng.random() < 0.3 else {},
            "retrieval_score": rng.uniform(0.2, 0.9), "tokens_in": rng.randint(200, 600),
            "tokens_out": rng.randint(10, 96), "batch_size": rng.randint(1, 8),
            "latency_ms": {"steps": {"preprocess": 30.0, "llm-server": latency - 60}, "total": latency},
        })
        if i % 10 == 0:
            feedback.append((events[-1]["request_id"], rng.choice((1, -1))))
    return events, feedback


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-monitor-"))
    os.environ["GENAI_FLOW_RUNDB_PATH"] = str(folder / "rundb.sqlite")
    os.environ["GENAI_FLOW_ARTIFACT_PATH"] = str(folder / "artifacts")
    os.environ["GENAI_FLOW_LIVEOPS_STORE_PATH"] = str(folder / "liveops.sqlite")

    from genai_flow import local_mode
    from genai_flow.liveops import EventStore
    from genai_flow.model_loading import ModelConfig
    from genai_flow.monitor.config import MonitorConfig
    from genai_flow.monitor.reference import embed_questions, reference_embeddings
    from genai_flow.monitor.run_local import run_monitor
    from genai_flow.project import load_project
    from genai_flow.settings import get_settings

    settings = get_settings()
    local_mode.enable(settings)
    project = load_project(ROOT)
    tickets = [json.loads(line) for line in (ROOT / "data" / "raw" / "tickets.jsonl").read_text().splitlines()]
    reference = folder / "reference.parquet"
    frame = pd.DataFrame({"type": "ticket", "split": t["split"], "text": t["question"]} for t in tickets)
    frame.to_parquet(reference)
    questions = [t["question"] for t in tickets]
    models, config = ModelConfig.from_settings(settings), MonitorConfig.from_settings(settings)
    embed_questions(questions[:8], models)  # load the embedder once, outside every timing

    rows, times = [], {}
    for count in (args.events // 10, args.events):
        store = EventStore(folder / f"liveops-{count}.sqlite")
        start = 1_790_000_000.0
        events, feedback = synthetic_events(count, questions, start)
        store.add_events(events)
        for request_id, rating in feedback:
            store.put_feedback(request_id, rating)
        began = time.perf_counter()
        embed_questions([e["question"] for e in events], models)
        embedding = time.perf_counter() - began
        reference_embeddings.cache_clear()  # as in a fresh `genai-flow monitor` process
        began = time.perf_counter()
        result = run_monitor(project, store.path, config, models, start - 1, start + count, reference=str(reference))
        seconds = time.perf_counter() - began
        assert result.summary["requests"] == count and result.summary["drift"]["measured"]
        times[count] = seconds
        rows.append([count, f"{seconds:.1f}", f"{embedding:.1f}", f"{seconds / embedding:.1f}x"])
    print(tabulate(rows, headers=["events", "monitor s", "embedding alone s", "monitor / embedding"]))
    small, large = args.events // 10, args.events
    growth = times[large] / times[small]
    met = growth <= 10
    verdict = "met" if met else "MISSED"
    print(f"\n{large} events took {growth:.2f}x the time of {small} (target: at most 10x): {verdict}")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
