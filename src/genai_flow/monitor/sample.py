"""Monitoring events and feedback as one table: a row per answered request.

This table is the monitoring application's ``sample_data`` (MLRun logs it with the run), so it
holds what the figures need and no answer text; the question is the PII-masked one the event
already carries.
"""

from __future__ import annotations

import pandas as pd

STEPS = ("preprocess", "llm-server", "postprocess", "toxicity-filter")
COLUMNS = [
    "request_id", "time", "model", "model_version", "prompt_version", "question", "answer_source",
    "flag_reason", "low_confidence", "confidence", "pii_entities", "retrieval_score", "input_toxicity",
    "tokens_in", "tokens_out", "batch_size", "latency_ms", *(f"latency_{step}_ms" for step in STEPS),
    "rating", "corrected",
]


def sample_frame(events: list[dict], feedback: list[dict] = ()) -> pd.DataFrame:
    """``events`` (from the LiveOps store) with their ``feedback`` joined by request id: rating
    (+1, -1 or NaN) and corrected (a correction was given)."""
    given = {item["request_id"]: item for item in feedback}
    rows = []
    for event in events:
        latency = event.get("latency_ms") or {}
        steps = latency.get("steps") or {}
        item = given.get(event["request_id"])
        rows.append({
            "request_id": event["request_id"],
            "time": float(event["time"]),
            "model": event.get("model"),
            "model_version": event.get("model_version"),
            "prompt_version": event.get("prompt_version"),
            "question": event.get("question") or "",
            "answer_source": event.get("answer_source"),
            "flag_reason": event.get("flag_reason") or "",
            "low_confidence": bool(event.get("low_confidence")),
            "confidence": event.get("confidence"),
            "pii_entities": sum((event.get("pii_counts") or {}).values()),
            "retrieval_score": event.get("retrieval_score"),
            "input_toxicity": event.get("input_toxicity"),
            "tokens_in": event.get("tokens_in") or 0,
            "tokens_out": event.get("tokens_out") or 0,
            "batch_size": event.get("batch_size") or 0,
            "latency_ms": latency.get("total"),
            **{f"latency_{step}_ms": steps.get(step) for step in STEPS},
            "rating": item["rating"] if item else None,
            "corrected": bool(item and item.get("correction")),
        })
    frame = pd.DataFrame(rows, columns=COLUMNS)
    numeric = ["time", "confidence", "retrieval_score", "input_toxicity", "latency_ms", "rating",
               *(f"latency_{step}_ms" for step in STEPS)]
    frame[numeric] = frame[numeric].apply(pd.to_numeric, errors="coerce")
    return frame
