"""The deploy gate: a pure function from metrics and thresholds to a verdict with reasons."""

from __future__ import annotations

import dataclasses
from typing import Optional

from ..settings import Settings, stage_config


@dataclasses.dataclass(frozen=True)
class GateThresholds:
    """What the candidate must achieve (settings ``gate_*``)."""

    rougel_margin: float  # tuned ROUGE-L must exceed the baseline's by at least this (absolute)
    perplexity_margin: float  # tuned perplexity must be this fraction below the baseline's
    max_toxicity_rate: float  # share of tuned answers flagged toxic, at most
    min_fact_rate: float = 0.0  # fact-set answers, as served, that carry their fact; 0: not required

    def __post_init__(self):
        # A margin of 1 or more asks for perplexity <= 0: a gate nothing can pass.
        if not self.perplexity_margin < 1:
            raise ValueError(f"gate_perplexity_margin must be below 1, not {self.perplexity_margin}")
        for name in ("max_toxicity_rate", "min_fact_rate"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"gate_{name} must be in 0..1, not {getattr(self, name)}")

    @classmethod
    def from_settings(cls, settings: Optional[Settings] = None, **overrides) -> "GateThresholds":
        return stage_config(cls, "gate_", settings, **overrides)


@dataclasses.dataclass(frozen=True)
class GateVerdict:
    deploy: bool
    reasons: list[str]


def decide(
    candidate: dict,
    baseline: dict,
    thresholds: GateThresholds,
    baseline_name: str = "base",
) -> GateVerdict:
    """Deploy only if the candidate beats the baseline on ROUGE-L and perplexity by the margins
    and stays under the toxicity limit (and, when ``min_fact_rate`` is set, serves at least that
    share of fact-set answers with their fact). ``candidate`` and ``baseline`` hold ``rougeL``
    and ``perplexity``; ``candidate`` also ``toxicity_rate`` (and ``fact_rate``). Every check
    adds a reason; a missing or NaN metric fails its check."""
    reasons: list[str] = []

    def check(ok: bool, text: str) -> bool:
        reasons.append(("pass: " if ok else "fail: ") + text)
        return ok

    rouge, base_rouge = _number(candidate, "rougeL"), _number(baseline, "rougeL")
    ppl, base_ppl = _number(candidate, "perplexity"), _number(baseline, "perplexity")
    toxicity = _number(candidate, "toxicity_rate")
    results = []
    if rouge is None or base_rouge is None:
        results.append(check(False, f"ROUGE-L missing (candidate {rouge}, {baseline_name} {base_rouge})"))
    else:
        needed = base_rouge + thresholds.rougel_margin
        results.append(check(
            rouge >= needed,
            f"ROUGE-L {rouge:.4f} vs {baseline_name} {base_rouge:.4f} "
            f"(needs >= {needed:.4f}, margin {thresholds.rougel_margin})",
        ))
    if ppl is None or base_ppl is None:
        results.append(check(False, f"perplexity missing (candidate {ppl}, {baseline_name} {base_ppl})"))
    else:
        ceiling = base_ppl * (1 - thresholds.perplexity_margin)
        results.append(check(
            ppl <= ceiling,
            f"perplexity {ppl:.3f} vs {baseline_name} {base_ppl:.3f} "
            f"(needs <= {ceiling:.3f}, {thresholds.perplexity_margin:.0%} lower)",
        ))
    if toxicity is None:
        results.append(check(False, "toxicity rate missing"))
    else:
        results.append(check(
            toxicity <= thresholds.max_toxicity_rate,
            f"toxicity rate {toxicity:.3f} (limit {thresholds.max_toxicity_rate})",
        ))
    if thresholds.min_fact_rate > 0:
        facts = _number(candidate, "fact_rate")
        results.append(check(
            facts is not None and facts >= thresholds.min_fact_rate,
            f"fact rate {facts if facts is None else round(facts, 4)} (needs >= {thresholds.min_fact_rate})",
        ))
    return GateVerdict(all(results), reasons)


def _number(metrics: dict, key: str) -> Optional[float]:
    value = metrics.get(key)
    if value is None or value != value:  # missing or NaN
        return None
    return float(value)
