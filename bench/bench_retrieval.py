"""Retrieval quality on held-out questions: does the right knowledge-base article come back?

The knowledge base is prepared and masked the way the workflow does it (data-prep on data/raw,
then PII masking of the article rows), embedded with the packaged MiniLM into a fresh Chroma
folder, and queried with the held-out fact set (data/fact_set/fact_set.jsonl: user-phrased
questions, each with the article that states its answer), twice: dense only (MiniLM) and
hybrid (MiniLM and BM25, reciprocal-rank fusion), side by side. It prints recall@1, recall@3
and the mean reciprocal rank of that article, the best-match score (cosine, in both modes) of
the fact questions against the off-topic ones (how well a score threshold would tell them
apart, as AUROC), and the retrieval latency per question.

    python bench/bench_retrieval.py [--k 3]

A measurement for issue 10 (answers grounded in the knowledge base); it has no target yet.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tabulate import tabulate

from genai_flow import local_mode, schema
from genai_flow.data_prep import Chunker, PrepOptions, prepare
from genai_flow.embed import EmbedConfig, RetrievalConfig, index_chunks, retrieve, store_location
from genai_flow.model_loading import ModelConfig, resolve_embedder
from genai_flow.pii import PiiConfig, PiiMasker
from genai_flow.pii.table import mask_table
from genai_flow.settings import get_settings

local_mode.enable()  # offline models

FACT_SET = Path(__file__).resolve().parents[1] / "data" / "fact_set" / "fact_set.jsonl"


def knowledge_base(settings, models: ModelConfig):
    """The article rows as the workflow's embed step sees them: prepared, then masked."""
    options = PrepOptions.from_settings(settings)
    chunker = Chunker.for_model(resolve_embedder(models), options.chunk_tokens,
                                options.chunk_overlap_tokens, model_name=models.embedding_model)
    dataset = prepare(options, chunker, progress=False).dataset
    articles = dataset[dataset[schema.TYPE] == schema.ARTICLE]
    pii = PiiConfig.from_settings(settings)
    return mask_table(articles, pii.columns, PiiMasker(pii), progress=False).masked


def auroc(positives: list[float], negatives: list[float]) -> float:
    """The chance that a random positive scores above a random negative (ties count half)."""
    pairs = [(p > n) + 0.5 * (p == n) for p in positives for n in negatives]
    return sum(pairs) / len(pairs)


def measure(config: RetrievalConfig, location, models: ModelConfig, facts: list, off_topic: list) -> dict:
    """Rank of the right article per fact question (None: not retrieved), the best hit's
    score per fact and per off-topic question, and the seconds each fact question took."""
    ranks, best_on, best_off, seconds = [], [], [], []
    for case in facts:
        started = time.perf_counter()
        hits = retrieve(case["question"], config, location, models)
        seconds.append(time.perf_counter() - started)
        found = [hit["id"].split("#")[0] for hit in hits]
        ranks.append(found.index(case["article"]) + 1 if case["article"] in found else None)
        best_on.append(max((hit["score"] for hit in hits), default=0.0))
    for case in off_topic:
        hits = retrieve(case["question"], config, location, models)
        best_off.append(max((hit["score"] for hit in hits), default=0.0))
    return {"ranks": ranks, "best_on": best_on, "best_off": best_off, "seconds": seconds}


def summary(result: dict, k: int) -> dict:
    """The table's values for one mode's :func:`measure` result."""
    ranks, best_on, best_off = result["ranks"], result["best_on"], result["best_off"]
    total = len(ranks)
    return {
        "fact questions": total,
        "recall@1": round(sum(r == 1 for r in ranks) / total, 3),
        f"recall@{k}": round(sum(r is not None for r in ranks) / total, 3),
        f"MRR@{k}": round(sum(1 / r for r in ranks if r) / total, 3),
        "best score, fact questions (median)": round(statistics.median(best_on), 3),
        "best score, off-topic questions (median)": round(statistics.median(best_off), 3) if best_off else "-",
        "AUROC of the best score, fact vs off-topic": round(auroc(best_on, best_off), 3) if best_off else "-",
        "retrieval latency per question, median ms": round(1000 * statistics.median(result["seconds"]), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=3, help="hits retrieved per question")
    args = parser.parse_args()

    cases = [json.loads(line) for line in FACT_SET.read_text().splitlines() if line.strip()]
    facts = [c for c in cases if not c.get("off_topic")]
    off_topic = [c for c in cases if c.get("off_topic")]
    settings = get_settings()
    models = ModelConfig.from_settings(settings)
    articles = knowledge_base(settings, models)

    modes = {"dense": False, "hybrid": True}
    with tempfile.TemporaryDirectory() as folder:
        location = store_location(path=folder)
        index_chunks(articles, EmbedConfig.from_settings(settings, collection="retrieval-bench"),
                     location, models, progress=False)
        results = {}
        for mode, hybrid in modes.items():
            config = RetrievalConfig.from_settings(settings, collection="retrieval-bench", k=args.k,
                                                   min_score=0.0, hybrid=hybrid)
            retrieve("warm-up", config, location, models)  # loads the model (and builds BM25)
            results[mode] = measure(config, location, models, facts, off_topic)

    summaries = {mode: summary(result, args.k) for mode, result in results.items()}
    rows = [[label, *(summaries[mode][label] for mode in modes)] for label in summaries["dense"]]
    print(f"{len(articles)} article chunks from data/raw, {len(facts)} fact questions, {len(off_topic)} off-topic")
    print(tabulate(rows, headers=["retrieval", *modes]))
    for mode in modes:
        missed = [c["id"] for c, r in zip(facts, results[mode]["ranks"]) if r is None]
        print(f"{mode}, not in the top {args.k}: {', '.join(missed) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
