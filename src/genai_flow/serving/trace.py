"""What the graph's steps note about a request on its way through (``body["_trace"]``), for its
monitoring event: its id, its time, each step's latency, and the facts only one step knows."""

from __future__ import annotations

import time
import uuid

TRACE = "_trace"  # the body key; the record step removes it before the answer leaves


def new_trace() -> dict:
    """A new request's trace: a request id, the wall-clock time, the latency clock started."""
    now = time.perf_counter()
    return {"request_id": uuid.uuid4().hex, "time": time.time(), "started": now, "mark": now, "steps_ms": {}}


def lap(trace: dict, step: str) -> None:
    """Note the time since the previous lap as ``step``'s latency."""
    now = time.perf_counter()
    trace["steps_ms"][step] = round((now - trace["mark"]) * 1000, 3)
    trace["mark"] = now


def total_ms(trace: dict) -> float:
    return round((time.perf_counter() - trace["started"]) * 1000, 3)
