"""From figures to verdicts: each figure's status (ok / warning / alert, or no_data), the risk
summary, which thresholds were crossed and why, and whether to retrain."""

from __future__ import annotations

import dataclasses
from typing import Optional

from ..serving.flags import REFUSALS, WITHHELD
from .config import MonitorConfig

OK, WARNING, ALERT, NO_DATA = "ok", "warning", "alert", "no_data"
SEVERITY = {NO_DATA: -1, OK: 0, WARNING: 1, ALERT: 2}
# What drives a retraining recommendation: the model no longer fits its traffic or its users.
RETRAIN_TRIGGERS = ("input_drift", "negative_feedback_rate", "low_confidence_rate")


@dataclasses.dataclass(frozen=True)
class Check:
    """One figure with its verdict; ``kind`` is MLRun's result kind for it."""

    name: str
    value: Optional[float]
    status: str
    kind: str  # data_drift, model_performance or system_performance
    levels: Optional[tuple[float, float]] = None  # (warning, alert)
    reason: str = ""  # why it is not ok

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def level_status(value: Optional[float], levels: Optional[tuple[float, float]]) -> str:
    if value is None:
        return NO_DATA
    if levels is None:
        return OK
    warning, alert = levels
    return ALERT if value >= alert else WARNING if value >= warning else OK


def _check(name: str, value: Optional[float], kind: str, levels=None, what: str = "") -> Check:
    status = level_status(value, levels)
    reason = ""
    if status in (WARNING, ALERT):
        level = levels[1] if status == ALERT else levels[0]
        reason = f"{what or name} {value:.4g} is at or above the {status} level {level:g}"
    return Check(name, value, status, kind, tuple(levels) if levels else None, reason)


def drift_check(drift: Optional[dict], error: Optional[str] = None) -> Check:
    """``drift``: monitor.drift's DriftResult as a dict, or None when it was not measured
    (``error``: why)."""
    if drift is None or drift["window"] == 0:
        return Check("input_drift", None, NO_DATA, "data_drift", None, error or "")
    score, threshold = drift["score"], drift["threshold"]
    if drift["drifted"]:
        reason = (f"input drift: {score:.0%} of the questions are unlike every training question "
                  f"(threshold {threshold:.0%}), MMD p={drift['p_value']:.3g}")
        return Check("input_drift", score, ALERT, "data_drift", None, reason)
    if score >= threshold / 2:
        reason = f"input drift rising: {score:.0%} of the questions are unlike every training question"
        return Check("input_drift", score, WARNING, "data_drift", None, reason)
    return Check("input_drift", score, OK, "data_drift")


def figure_checks(figures: dict, drift: Optional[dict], config: MonitorConfig,
                  drift_error: Optional[str] = None) -> list[Check]:
    """Every figure of a window as a check, in the order the dashboard shows them."""
    perf, system = "model_performance", "system_performance"
    checks = [
        _check("requests", figures["requests"], system),
        _check("latency_p50_ms", figures["latency_ms"]["p50"], system),
        _check("latency_p95_ms", figures["latency_ms"]["p95"], system, config.latency_p95_ms, "latency p95 (ms)"),
        _check("tokens_in", figures["tokens"]["in"], system),
        _check("tokens_out", figures["tokens"]["out"], system),
        _check("cost_total", figures["cost"]["total"], system),
        _check("cost_per_1k_requests", figures["cost"]["per_1k_requests"], system, config.cost_per_1k_requests,
               "cost per 1k requests"),
        _check("refusal_rate", figures["refusal_rate"], perf, config.refusal_rate, "refused share"),
        *(_check(f"refusal_rate_{reason}", rate, perf) for reason, rate in figures["refusals_by_reason"].items()),
        _check("withheld_rate", figures["withheld_rate"], perf, config.withheld_rate, "withheld share"),
        _check("low_confidence_rate", figures["low_confidence_rate"], perf, config.low_confidence_rate,
               "low-confidence share"),
        _check("pii_hit_rate", figures["pii_hit_rate"], "data_drift", config.pii_hit_rate,
               "share of questions with PII"),
        _check("weak_retrieval_rate", figures["weak_retrieval_rate"], "data_drift", config.weak_retrieval_rate,
               "share of questions with a weak knowledge-base match"),
        _check("feedback_count", figures["feedback"]["count"], perf),
        _check("mean_rating", figures["feedback"]["mean_rating"], perf),
        _check("negative_feedback_rate", figures["negative_feedback_rate"], perf, config.negative_feedback_rate,
               "negatively rated share"),
        drift_check(drift, drift_error),
    ]
    return checks


def risk_summary(sample, figures: dict, checks: list[Check]) -> dict:
    """The share of answers that went wrong in any way a user could notice (refused, withheld,
    low confidence or rated -1), its parts, the cost per 1k requests, and the worst status."""
    reasons = sample["flag_reason"].fillna("")
    at_risk = (reasons.isin(REFUSALS) | reasons.isin(WITHHELD) | sample["low_confidence"].astype(bool)
               | (sample["rating"] < 0))
    parts = ("refusal_rate", "withheld_rate", "low_confidence_rate", "negative_feedback_rate", "cost_per_1k_requests")
    by_name = {check.name: check for check in checks}
    status = max((by_name[name].status for name in parts), key=SEVERITY.get)
    return {
        "at_risk_rate": round(float(at_risk.mean()), 6) if len(sample) else None,
        "refused": figures["refusal_rate"],
        "withheld": figures["withheld_rate"],
        "low_confidence": figures["low_confidence_rate"],
        "negatively_rated": figures["negative_feedback_rate"],
        "cost_per_1k_requests": figures["cost"]["per_1k_requests"],
        "status": status,
    }


def crossed(checks: list[Check]) -> list[dict]:
    """The thresholds crossed, worst first: figure, status and why."""
    hits = [check for check in checks if check.status in (WARNING, ALERT)]
    hits.sort(key=lambda check: -SEVERITY[check.status])
    return [{"figure": check.name, "status": check.status, "value": check.value, "reason": check.reason}
            for check in hits]


def retrain_recommendation(checks: list[Check], figures: dict, config: MonitorConfig) -> dict:
    """Retrain when drift, negative feedback or low confidence reach alert, on enough data:
    at least ``min_events`` events or ``min_feedback`` feedback items in the window."""
    by_name = {check.name: check for check in checks}
    fired = [by_name[name] for name in RETRAIN_TRIGGERS if by_name[name].status == ALERT]
    events, feedback = figures["requests"], figures["feedback"]["count"]
    enough = events >= config.min_events or feedback >= config.min_feedback
    reasons = [check.reason for check in fired]
    if fired and not enough:
        reasons.append(f"not enough data to act on: {events} events and {feedback} feedback items in the "
                       f"window (needs {config.min_events} events or {config.min_feedback} feedback items)")
    return {"recommended": bool(fired) and enough, "reasons": reasons,
            "corrections": figures["feedback"]["corrections"]}
