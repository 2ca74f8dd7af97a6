"""One window analysed: figures, input drift, checks, risk, retraining verdict and the time
series behind the dashboard. Plain data in, plain data out; the MLRun application (app.py)
only wires this to a monitoring context."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Callable, Optional

import numpy as np
import pandas as pd

from ..liveops.drift import input_drift, nearest_similarity, unlike_floor
from .checks import Check, crossed, figure_checks, retrain_recommendation, risk_summary
from .config import MonitorConfig
from .figures import time_buckets, window_figures
from .reference import MAX_REFERENCE
from .sample import COLUMNS

MAX_DRIFT_WINDOW = 1000  # questions compared for drift (a random sample of a larger window)


@dataclasses.dataclass
class Analysis:
    summary: dict  # what `genai-flow monitor --json` prints
    checks: list[Check]
    series: list[dict]  # figures per time bucket, each with "start" and "unlike_share"
    nearest: np.ndarray  # each compared question's cosine to its nearest training question
    floor: float  # below it a question is unlike the training questions


def conform(sample: pd.DataFrame) -> pd.DataFrame:
    """``sample`` with every column the figures read (missing ones empty): a cluster endpoint's
    sample may carry only some of them, and what is missing shows as no_data."""
    missing = [column for column in COLUMNS if column not in sample.columns]
    if not missing:
        return sample
    defaults = {"flag_reason": "", "low_confidence": False, "corrected": False, "pii_entities": 0,
                "tokens_in": 0, "tokens_out": 0, "question": ""}
    extra = pd.DataFrame({column: [defaults.get(column, np.nan)] * len(sample) for column in missing},
                         index=sample.index)
    sample = pd.concat([sample, extra], axis=1)
    if sample["time"].isna().all():
        sample["time"] = 0.0
    return sample


def _iso(epoch: Optional[float]) -> Optional[str]:
    if epoch is None:
        return None
    return datetime.datetime.fromtimestamp(epoch, tz=datetime.timezone.utc).isoformat(timespec="seconds")


def analyse_window(sample: pd.DataFrame, config: MonitorConfig, reference: Optional[np.ndarray],
                   embed: Callable[[list[str]], np.ndarray], window: Optional[dict] = None,
                   buckets: int = 12, seed: int = 0, drift_error: Optional[str] = None) -> Analysis:
    """Analyse ``sample`` (monitor.sample's table) against the ``reference`` embeddings (None:
    drift not measured, ``drift_error`` says why); ``embed`` embeds questions like the
    reference; ``window``: the requested bounds, epoch seconds ``since``/``until``."""
    sample = conform(sample).sort_values("time").reset_index(drop=True)
    figures = window_figures(sample, config)
    questions = [q for q in sample["question"].astype(str)]
    drift, nearest, floor = None, np.zeros(0), float("nan")
    compared = np.zeros(len(sample), dtype=bool)  # the questions drift looked at
    unlike = np.zeros(len(sample), dtype=bool)  # ... and found unlike every training question
    if reference is not None and len(reference) and any(q.strip() for q in questions):
        rng = np.random.default_rng(seed)
        if len(reference) > MAX_REFERENCE:  # sampled here, so the floor and the shares use the same one
            reference = reference[rng.choice(len(reference), MAX_REFERENCE, replace=False)]
        rows = np.flatnonzero([bool(q.strip()) for q in questions])
        if len(rows) > MAX_DRIFT_WINDOW:
            rows = np.sort(rng.choice(rows, MAX_DRIFT_WINDOW, replace=False))
        embedded = embed([questions[i] for i in rows])
        result = input_drift(embedded, reference, min_share=config.drift_min_share, alpha=config.drift_alpha,
                             seed=seed)
        # The result's floor is NaN for a window too small to judge; the dashboard still shows one.
        drift = result.to_dict()
        floor = result.floor if np.isfinite(result.floor) else unlike_floor(reference)
        nearest = nearest_similarity(embedded, reference)
        compared[rows], unlike[rows] = True, nearest < floor
    checks = figure_checks(figures, drift, config, drift_error)
    series = []
    for start, rows in time_buckets(sample, buckets):
        bucket = window_figures(rows, config)
        looked = compared[rows.index]
        bucket["unlike_share"] = float(unlike[rows.index][looked].mean()) if looked.any() else None
        series.append({**bucket, "start": start})
    drift_summary = {"score": None, "threshold": config.drift_min_share, "drifted": False, "measured": False,
                     "error": drift_error}
    if drift:
        drift_summary = {**drift, "measured": True}
    window = window or {}
    summary = {
        **{key: value for key, value in figures.items() if key not in ("start", "end")},
        "window": {"since": _iso(window.get("since")), "until": _iso(window.get("until")),
                   "first_event": _iso(figures["start"]), "last_event": _iso(figures["end"])},
        "models": sorted({str(m) for m in sample["model"].dropna()}),
        "prompt_versions": sorted({str(p) for p in sample["prompt_version"].dropna()}),
        "drift": drift_summary,
        "risk": risk_summary(sample, figures, checks),
        "checks": [check.to_dict() for check in checks],
        "crossed": crossed(checks),
        "retrain": retrain_recommendation(checks, figures, config),
    }
    return Analysis(summary, checks, series, nearest, floor)
