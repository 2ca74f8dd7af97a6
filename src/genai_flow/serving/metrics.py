"""The local host's Prometheus metrics (``GET /metrics``), one set per process.

The host counts requests by route and status and times streams; the graph's record step
reports each answer (:func:`observe_answer`, from the same monitoring event LiveOps stores):
refusals by reason, low-confidence answers, latency per step and in total, tokens, batch sizes.
"""

from __future__ import annotations

from typing import Callable

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80)

REQUESTS = Counter("genai_flow_http_requests", "HTTP requests by route and status code", ["route", "status"])
IN_FLIGHT = Gauge("genai_flow_http_requests_in_flight", "HTTP requests being handled now")
REFUSALS = Counter("genai_flow_refusals", "Guarded answers by reason (toxic_input, off_topic, ...)", ["reason"])
LOW_CONFIDENCE = Counter("genai_flow_low_confidence_answers", "Answers the model was unsure of")
ANSWERS = Counter("genai_flow_answers", "Answers the graph gave")
STEP_LATENCY = Histogram("genai_flow_step_latency_seconds", "Time in each graph step", ["step"],
                         buckets=_LATENCY_BUCKETS)
GRAPH_LATENCY = Histogram("genai_flow_graph_latency_seconds", "Time through the whole graph", buckets=_LATENCY_BUCKETS)
TOKENS = Counter("genai_flow_tokens", "Prompt (in) and generated (out) tokens", ["direction"])
BATCH_SIZE = Histogram("genai_flow_batch_size", "Requests generated together", buckets=(1, 2, 4, 8, 16, 32))
QUEUE_DEPTH = Gauge("genai_flow_generation_queue_depth", "Generation jobs waiting for the model")
MODEL_LOAD = Gauge("genai_flow_model_load_seconds", "How long the graph and its model took to load")
FIRST_TOKEN = Histogram("genai_flow_time_to_first_token_seconds", "Streamed answers: request to first text sent",
                        buckets=_LATENCY_BUCKETS)


def observe_answer(event: dict) -> None:
    """Count one answered request from its monitoring event (serving/record.py)."""
    ANSWERS.inc()
    if event.get("flagged"):
        REFUSALS.labels(reason=event.get("flag_reason") or "unknown").inc()
    if event.get("low_confidence"):
        LOW_CONFIDENCE.inc()
    latency = event.get("latency_ms") or {}
    for step, ms in (latency.get("steps") or {}).items():
        STEP_LATENCY.labels(step=step).observe(ms / 1000)
    if latency.get("total") is not None:
        GRAPH_LATENCY.observe(latency["total"] / 1000)
    TOKENS.labels(direction="in").inc(event.get("tokens_in") or 0)
    TOKENS.labels(direction="out").inc(event.get("tokens_out") or 0)
    if event.get("batch_size"):
        BATCH_SIZE.observe(event["batch_size"])


def watch_queue(depth: Callable[[], int]) -> None:
    """Report ``depth()`` as the generation queue depth at every scrape."""
    QUEUE_DEPTH.set_function(depth)


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus' text format, and its content type."""
    return generate_latest(), CONTENT_TYPE_LATEST
