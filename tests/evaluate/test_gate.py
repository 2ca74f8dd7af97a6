"""The deploy gate: a pure function, tested on its own cases."""

from __future__ import annotations

import math

import pytest

from genai_flow.evaluate.gate import GateThresholds, decide
from genai_flow.settings import Settings

BASE = {"rougeL": 0.20, "perplexity": 10.0}
THRESHOLDS = GateThresholds(rougel_margin=0.01, perplexity_margin=0.05, max_toxicity_rate=0.05)


def test_a_model_better_on_every_check_is_deployed():
    verdict = decide({"rougeL": 0.30, "perplexity": 6.0, "toxicity_rate": 0.0}, BASE, THRESHOLDS)
    assert verdict.deploy
    assert len(verdict.reasons) == 3 and all(r.startswith("pass") for r in verdict.reasons)


def test_rouge_gain_below_the_margin_is_refused():
    verdict = decide(
        {"rougeL": 0.205, "perplexity": 6.0, "toxicity_rate": 0.0}, BASE, THRESHOLDS
    )
    assert not verdict.deploy
    assert any(r.startswith("fail: ROUGE-L") for r in verdict.reasons)


def test_perplexity_must_drop_by_the_relative_margin():
    thresholds = THRESHOLDS
    assert not decide({"rougeL": 0.3, "perplexity": 9.6, "toxicity_rate": 0}, BASE, thresholds).deploy
    assert decide({"rougeL": 0.3, "perplexity": 9.4, "toxicity_rate": 0}, BASE, thresholds).deploy


def test_toxic_answers_block_deployment_even_when_quality_improves():
    verdict = decide({"rougeL": 0.5, "perplexity": 2.0, "toxicity_rate": 0.2}, BASE, THRESHOLDS)
    assert not verdict.deploy
    assert verdict.reasons[-1].startswith("fail: toxicity rate 0.200")


def test_missing_or_nan_metrics_fail_their_check():
    verdict = decide({"rougeL": math.nan, "perplexity": 5.0}, BASE, THRESHOLDS)
    assert not verdict.deploy
    assert [r.split(":")[0] for r in verdict.reasons] == ["fail", "pass", "fail"]


def test_the_deployed_model_can_be_the_baseline():
    deployed = {"rougeL": 0.35, "perplexity": 5.0}
    verdict = decide({"rougeL": 0.30, "perplexity": 6.0, "toxicity_rate": 0.0}, deployed, THRESHOLDS, "deployed")
    assert not verdict.deploy
    assert "vs deployed 0.3500" in verdict.reasons[0]


def test_thresholds_come_from_the_gate_settings():
    settings = Settings(gate_rougel_margin=0.2, gate_perplexity_margin=0.1, gate_max_toxicity_rate=0.3)
    assert GateThresholds.from_settings(settings) == GateThresholds(0.2, 0.1, 0.3)


def test_explicit_zero_thresholds_are_kept_not_replaced_by_the_defaults():
    thresholds = GateThresholds.from_settings(
        Settings(), rougel_margin=0, perplexity_margin=0.0, max_toxicity_rate=0
    )
    assert thresholds == GateThresholds(0.0, 0.0, 0.0)
    # With a zero margin an equal ROUGE-L passes; with the default 0.01 it would not.
    verdict = decide({"rougeL": 0.20, "perplexity": 10.0, "toxicity_rate": 0.0}, BASE, thresholds)
    assert verdict.deploy and "margin 0.0" in verdict.reasons[0]
    # A zero toxicity limit refuses a single toxic answer.
    assert not decide({"rougeL": 0.3, "perplexity": 5.0, "toxicity_rate": 0.01}, BASE, thresholds).deploy


@pytest.mark.parametrize(
    "override, message",
    [
        ({"perplexity_margin": 1.0}, "gate_perplexity_margin must be below 1"),
        ({"max_toxicity_rate": 1.5}, "gate_max_toxicity_rate must be in 0..1"),
        ({"max_toxicity_rate": -0.1}, "gate_max_toxicity_rate must be in 0..1"),
    ],
)
def test_impossible_thresholds_are_refused_by_name(override, message):
    with pytest.raises(ValueError, match=message):
        GateThresholds.from_settings(Settings(), **override)
