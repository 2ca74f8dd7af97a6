"""The graph's last step: give the answer its request id and record the monitoring event (and,
for a request that came in through MLRun's OpenAI frontend on a cluster, answer as OpenAI does).

The event (one per answered request) holds what LiveOps needs and nothing more: the question
after PII masking (raw PII is never stored; the subject line is not stored), the answer, its
confidence and flags, PII entity counts, the best retrieval score, tokens in and out, the batch
it was generated in, and each step's latency. Recording never blocks or fails the request
(:mod:`genai_flow.liveops.recorder`).
"""

from __future__ import annotations

from typing import Optional

from .openai_api import graph_response, served_model_id
from .trace import TRACE, lap, total_ms


def model_version(model_path: str) -> Optional[str]:
    """The tag and tree (or uid) of a ``store://`` model URI, e.g. ``latest@3f2a...``; None for
    a folder or the base model."""
    if not model_path.startswith("store://"):
        return None
    from mlrun.datastore.store_resources import parse_store_uri
    from mlrun.utils.helpers import parse_artifact_uri

    _, _, _, tag, tree, uid = parse_artifact_uri(parse_store_uri(model_path)[1])
    return "@".join(part for part in (tag, tree or uid) if part) or None


class RecordRequest:
    """Strip the trace from the answer, add ``request_id``, queue the monitoring event.

    :param store: the LiveOps store file (None: no local recording, as on a cluster, where
        MLRun's model monitoring tracks the function).
    :param model_path: the served model (URI or folder; empty: the base model ``base_model``).
    :param metrics: also count the answer in this process's Prometheus metrics (serving/metrics.py:
        the local host's ``/metrics``; a cluster has MLRun's model monitoring instead).
    """

    def __init__(self, context=None, name: Optional[str] = None, *, store: Optional[str], queue_size: int,
                 model_path: str, base_model: str, metrics: bool = False, **kwargs):
        self.name = name
        self.model_id = served_model_id(model_path or None)
        self.observe = None
        if metrics:
            from .metrics import observe_answer

            self.observe = observe_answer
        self.model = model_path or f"base:{base_model}"
        self.version = model_version(model_path or "")
        self.recorder = None
        if store:
            from ..liveops import recorder_for

            self.recorder = recorder_for(store, queue_size)

    def do(self, body):
        trace = body.pop(TRACE, None)
        if trace is None:  # not from preprocess (cannot happen in this graph): answer as is
            return body
        lap(trace, "toxicity-filter")
        body["request_id"] = trace["request_id"]
        if self.recorder is not None or self.observe is not None:
            event = self.event(trace, body)
            if self.recorder is not None:
                self.recorder.record(event)
            if self.observe is not None:
                self.observe(event)
        return graph_response(body, trace.get("openai_request"), self.model_id)

    def event(self, trace: dict, answer: dict) -> dict:
        return {
            "request_id": trace["request_id"],
            "time": trace["time"],
            "model": self.model,
            "model_version": self.version,
            "prompt_version": trace.get("prompt_version"),
            "question": trace.get("question"),
            "answer": answer.get("answer"),
            "answer_source": answer.get("answer_source"),
            "confidence": answer.get("confidence"),
            "groundedness": answer.get("groundedness"),
            "flagged": answer.get("flagged"),
            "flag_reason": answer.get("flag_reason"),
            "low_confidence": answer.get("low_confidence"),
            "pii_counts": trace.get("pii_counts", {}),
            "retrieval_score": trace.get("retrieval_score"),
            "input_toxicity": trace.get("input_toxicity"),
            "tokens_in": trace.get("tokens_in", 0),
            "tokens_out": trace.get("tokens_out", 0),
            "batch_size": trace.get("batch_size", 0),
            "latency_ms": {"steps": trace["steps_ms"], "total": total_ms(trace)},
        }
