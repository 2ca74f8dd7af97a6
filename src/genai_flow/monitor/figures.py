"""A window's figures from its sample table (monitor.sample): volume, latency, tokens, cost,
refusals, withheld and low-confidence answers, PII, weak retrieval and feedback.

Plain numbers only; whether a figure is ok, a warning or an alert is monitor.checks' job.
A rate over nothing (no requests, no rated answers) is None, not 0: "no data" is not "fine".
"""

from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd

from ..serving.flags import REFUSALS, WITHHELD
from .config import MonitorConfig
from .sample import STEPS


def _rate(mask: pd.Series, of: Optional[pd.Series] = None) -> Optional[float]:
    mask = mask if of is None else mask[of]
    return round(float(mask.mean()), 6) if len(mask) else None


def _percentile(values: pd.Series, q: float) -> Optional[float]:
    values = values.dropna()
    return round(float(np.percentile(values, q)), 3) if len(values) else None


def request_cost(tokens_in: pd.Series, tokens_out: pd.Series, config: MonitorConfig) -> pd.Series:
    """Each request's cost: per 1k tokens (in + out) when that price is set, else the compute
    time of its generated tokens at the GPU-hour price."""
    if config.price_per_1k_tokens > 0:
        return (tokens_in + tokens_out) / 1000 * config.price_per_1k_tokens
    return tokens_out / config.tokens_per_second / 3600 * config.gpu_hour_price


def window_figures(sample: pd.DataFrame, config: MonitorConfig) -> dict:
    """The figures of one window (any number of rows, including none)."""
    requests = len(sample)
    reasons = sample["flag_reason"].fillna("")
    rated = sample["rating"].notna()
    ratings = sample.loc[rated, "rating"]
    cost = request_cost(sample["tokens_in"].astype(float), sample["tokens_out"].astype(float), config)
    scored = sample["retrieval_score"].notna()
    return {
        "requests": requests,
        "start": float(sample["time"].min()) if requests else None,
        "end": float(sample["time"].max()) if requests else None,
        "latency_ms": {
            "p50": _percentile(sample["latency_ms"], 50),
            "p95": _percentile(sample["latency_ms"], 95),
            "steps_p50": {step: _percentile(sample[f"latency_{step}_ms"], 50) for step in STEPS},
        },
        "tokens": {
            "in": int(sample["tokens_in"].sum()),
            "out": int(sample["tokens_out"].sum()),
            "out_per_request": round(float(sample["tokens_out"].mean()), 3) if requests else None,
        },
        "cost": {
            "total": round(float(cost.sum()), 6),
            "per_1k_requests": round(float(cost.mean()) * 1000, 6) if requests else None,
            "basis": "per_1k_tokens" if config.price_per_1k_tokens > 0 else "gpu_hour",
        },
        "refusal_rate": _rate(reasons.isin(REFUSALS)),
        "refusals_by_reason": {reason: _rate(reasons == reason) for reason in REFUSALS},
        "withheld_rate": _rate(reasons.isin(WITHHELD)),
        "low_confidence_rate": _rate(sample["low_confidence"].astype(bool)),
        "pii_hit_rate": _rate(sample["pii_entities"] > 0),
        "weak_retrieval_rate": _rate(sample["retrieval_score"] < config.weak_retrieval_score, scored),
        "feedback": {
            "count": int(rated.sum()),
            "mean_rating": round(float(ratings.mean()), 6) if len(ratings) else None,
            "negative": int((ratings < 0).sum()),
            "corrections": int(sample["corrected"].sum()),
        },
        "negative_feedback_rate": _rate(sample["rating"] < 0, rated),
    }


def time_buckets(sample: pd.DataFrame, buckets: int = 12) -> list[tuple[float, pd.DataFrame]]:
    """The window cut into at most ``buckets`` equal spans of time, each (start, rows), for
    the dashboard's time series; empty spans are kept (a gap in traffic is worth seeing)."""
    if sample.empty:
        return []
    start, end = float(sample["time"].min()), float(sample["time"].max())
    if end <= start:
        return [(start, sample)]
    edges = np.linspace(start, end, buckets + 1)
    index = np.clip(np.searchsorted(edges, sample["time"].to_numpy(), side="right") - 1, 0, buckets - 1)
    return [(float(edges[i]), sample[index == i]) for i in range(buckets)]
