"""A window's figures, statuses, risk and retraining verdict, on events written by hand (the
arithmetic is checked against numbers worked out here)."""

from __future__ import annotations

import numpy as np
import pytest

from genai_flow.monitor.analysis import analyse_window, conform
from genai_flow.monitor.checks import ALERT, NO_DATA, OK, WARNING, level_status
from genai_flow.monitor.config import MonitorConfig
from genai_flow.monitor.figures import time_buckets, window_figures
from genai_flow.monitor.sample import sample_frame
from genai_flow.settings import Settings

T0 = 1_790_000_000.0


def event(i: int, flag_reason=None, low_confidence=False, pii=None, retrieval=0.7, tokens=(100, 20),
          latency=1000.0, question="How do I export a board?") -> dict:
    return {
        "request_id": f"r{i}", "time": T0 + i, "model": "store://models/genai-flow/model#0:latest",
        "model_version": "latest@abc", "prompt_version": "p1", "question": question, "answer": "a",
        "answer_source": "guard" if flag_reason in ("toxic_input", "off_topic", "toxic_output") else "model",
        "confidence": 0.5, "flagged": flag_reason is not None, "flag_reason": flag_reason,
        "low_confidence": low_confidence, "pii_counts": pii or {}, "retrieval_score": retrieval,
        "tokens_in": tokens[0], "tokens_out": tokens[1], "batch_size": 1,
        "latency_ms": {"steps": {"preprocess": 10.0, "llm-server": latency - 20}, "total": latency},
    }


@pytest.fixture
def config() -> MonitorConfig:
    return MonitorConfig.from_settings(Settings(monitor_gpu_hour_price=3.6, monitor_tokens_per_second=10.0,
                                                monitor_min_events=5, monitor_min_feedback=2))


def ten_events() -> tuple[list, list]:
    events = [event(0, "toxic_input"), event(1, "off_topic", retrieval=0.2), event(2, "ungrounded"),
              event(3, low_confidence=True), event(4, pii={"PERSON": 2, "EMAIL_ADDRESS": 1}),
              *[event(i, latency=1000.0 + 100 * i) for i in range(5, 10)]]
    feedback = [{"request_id": "r3", "rating": -1, "correction": "Use Settings > Export.", "time": T0 + 20},
                {"request_id": "r5", "rating": 1, "correction": None, "time": T0 + 21},
                {"request_id": "r6", "rating": -1, "correction": None, "time": T0 + 22}]
    return events, feedback


def test_figures_of_a_window(config):
    events, feedback = ten_events()
    figures = window_figures(sample_frame(events, feedback), config)
    assert figures["requests"] == 10
    assert figures["refusal_rate"] == 0.2
    assert figures["refusals_by_reason"] == {"toxic_input": 0.1, "off_topic": 0.1, "toxic_output": 0.0}
    assert figures["withheld_rate"] == 0.1 and figures["low_confidence_rate"] == 0.1
    assert figures["pii_hit_rate"] == 0.1
    assert figures["weak_retrieval_rate"] == 0.1  # 0.2 < 0.5
    assert figures["feedback"] == {"count": 3, "mean_rating": pytest.approx(-1 / 3, abs=1e-6), "negative": 2,
                                   "corrections": 1}
    assert figures["negative_feedback_rate"] == pytest.approx(2 / 3, abs=1e-6)
    assert figures["tokens"] == {"in": 1000, "out": 200, "out_per_request": 20.0}
    # 20 generated tokens at 10 tokens/s = 2 s of a 3.6/hour GPU = 0.002 per request.
    assert figures["cost"]["per_1k_requests"] == pytest.approx(2.0)
    latencies = [1000.0] * 5 + [1000.0 + 100 * i for i in range(5, 10)]
    assert figures["latency_ms"]["p50"] == pytest.approx(np.percentile(latencies, 50))
    assert figures["latency_ms"]["p95"] == pytest.approx(np.percentile(latencies, 95))


def test_cost_per_token_price_when_set():
    config = MonitorConfig.from_settings(Settings(monitor_price_per_1k_tokens=0.5))
    figures = window_figures(sample_frame([event(0, tokens=(300, 100))]), config)
    assert figures["cost"] == {"total": 0.2, "per_1k_requests": 200.0, "basis": "per_1k_tokens"}


def test_an_empty_window_is_no_data_not_fine(config):
    analysis = analyse_window(sample_frame([]), config, reference=None, embed=None)
    statuses = {c.name: c.status for c in analysis.checks}
    assert analysis.summary["requests"] == 0
    assert statuses["refusal_rate"] == statuses["input_drift"] == statuses["negative_feedback_rate"] == NO_DATA
    assert analysis.summary["retrain"]["recommended"] is False and analysis.series == []


def test_levels_and_statuses():
    assert level_status(None, (0.1, 0.2)) == NO_DATA
    assert level_status(0.09, (0.1, 0.2)) == OK
    assert level_status(0.1, (0.1, 0.2)) == WARNING
    assert level_status(0.25, (0.1, 0.2)) == ALERT
    assert level_status(5.0, None) == OK


def test_crossed_thresholds_say_which_and_why_and_feedback_recommends_retraining(config):
    events, feedback = ten_events()
    analysis = analyse_window(sample_frame(events, feedback), config, reference=None, embed=None)
    crossed = {c["figure"]: c for c in analysis.summary["crossed"]}
    assert crossed["negative_feedback_rate"]["status"] == ALERT  # 0.667 >= 0.4
    assert "0.6667" in crossed["negative_feedback_rate"]["reason"]
    assert crossed["refusal_rate"]["status"] == WARNING  # 0.2: warning at 0.1, alert at 0.25
    assert list(crossed)[0] == "negative_feedback_rate"  # worst first
    risk = analysis.summary["risk"]
    # r0 r1 refused, r2 withheld, r3 low confidence (and rated -1), r6 rated -1: 5 of 10.
    assert risk["at_risk_rate"] == 0.5 and risk["status"] == ALERT
    retrain = analysis.summary["retrain"]
    assert retrain["recommended"] is True and retrain["corrections"] == 1
    assert any("negatively rated" in reason for reason in retrain["reasons"])


def test_too_little_data_blocks_the_recommendation_and_says_so():
    config = MonitorConfig.from_settings(Settings(monitor_min_events=50, monitor_min_feedback=10))
    events, feedback = ten_events()
    retrain = analyse_window(sample_frame(events, feedback), config, None, None).summary["retrain"]
    assert retrain["recommended"] is False
    assert "not enough data" in retrain["reasons"][-1] and "10 events and 3 feedback items" in retrain["reasons"][-1]


def test_time_buckets_cover_the_window_and_keep_gaps():
    events = [event(0), event(1), event(100)]
    sample = sample_frame(events)
    buckets = time_buckets(sample, buckets=4)
    assert len(buckets) == 4 and sum(len(rows) for _, rows in buckets) == 3
    assert [len(rows) for _, rows in buckets] == [2, 0, 0, 1]


def test_a_sample_without_the_event_columns_is_conformed(config):
    import pandas as pd

    sample = conform(pd.DataFrame({"question": ["a", "b"], "latency_ms": [10.0, 20.0]}))
    figures = window_figures(sample, config)
    assert figures["requests"] == 2 and figures["latency_ms"]["p50"] == 15.0
    assert figures["negative_feedback_rate"] is None and figures["weak_retrieval_rate"] is None


def test_config_survives_its_trip_through_json():
    import json

    config = MonitorConfig.from_settings(Settings())
    assert MonitorConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config


def test_an_unreadable_reference_leaves_drift_without_data_and_says_why(config):
    events, feedback = ten_events()
    analysis = analyse_window(sample_frame(events, feedback), config, None, None,
                              drift_error="the drift reference store://x cannot be read: gone")
    drift = {c.name: c for c in analysis.checks}["input_drift"]
    assert drift.status == NO_DATA and "cannot be read" in drift.reason
    assert analysis.summary["drift"]["error"].endswith("gone") and analysis.summary["requests"] == 10


def test_drift_per_bucket_follows_where_the_unlike_questions_are(config):
    """Synthetic embeddings: training questions around one direction; the window's first half
    asks like them, the second half about something orthogonal."""
    rng = np.random.default_rng(3)

    def around(direction, count):
        vectors = direction + 0.15 * rng.standard_normal((count, 16))
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    like, unlike = np.eye(16)[0], np.eye(16)[1]
    reference = around(like, 600)  # more than the 500 the drift compares: sampled once, consistently
    events = [event(i, question=("like" if i < 40 else "unlike") + f" {i}") for i in range(80)]
    vectors = {"like": lambda n: around(like, n), "unlike": lambda n: around(unlike, n)}

    def embed(questions):
        return np.vstack([vectors[q.split()[0]](1) for q in questions])

    analysis = analyse_window(sample_frame(events), config, reference, embed, buckets=4)
    drift = analysis.summary["drift"]
    assert drift["drifted"] and drift["score"] == 0.5 and drift["reference"] == 500 and drift["window"] == 80
    assert [bucket["unlike_share"] for bucket in analysis.series] == [0.0, 0.0, 1.0, 1.0]
    assert len(analysis.nearest) == 80 and analysis.floor > 0.5
