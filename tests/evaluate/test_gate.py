"""The deploy gate: a pure function, tested on its own cases."""

from __future__ import annotations

import math

from genai_flow.evaluate.gate import GateThresholds, decide

BASE = {"rougeL": 0.20, "perplexity": 10.0}


def test_a_model_better_on_every_check_is_deployed():
    verdict = decide({"rougeL": 0.30, "perplexity": 6.0, "toxicity_rate": 0.0}, BASE)
    assert verdict.deploy
    assert len(verdict.reasons) == 3 and all(r.startswith("pass") for r in verdict.reasons)


def test_rouge_gain_below_the_margin_is_refused():
    verdict = decide(
        {"rougeL": 0.205, "perplexity": 6.0, "toxicity_rate": 0.0}, BASE, GateThresholds(rougeL_margin=0.01)
    )
    assert not verdict.deploy
    assert any(r.startswith("fail: ROUGE-L") for r in verdict.reasons)


def test_perplexity_must_drop_by_the_relative_margin():
    thresholds = GateThresholds(perplexity_margin=0.05)
    assert not decide({"rougeL": 0.3, "perplexity": 9.6, "toxicity_rate": 0}, BASE, thresholds).deploy
    assert decide({"rougeL": 0.3, "perplexity": 9.4, "toxicity_rate": 0}, BASE, thresholds).deploy


def test_toxic_answers_block_deployment_even_when_quality_improves():
    verdict = decide({"rougeL": 0.5, "perplexity": 2.0, "toxicity_rate": 0.2}, BASE)
    assert not verdict.deploy
    assert verdict.reasons[-1].startswith("fail: toxicity rate 0.200")


def test_missing_or_nan_metrics_fail_their_check():
    verdict = decide({"rougeL": math.nan, "perplexity": 5.0}, BASE)
    assert not verdict.deploy
    assert [r.split(":")[0] for r in verdict.reasons] == ["fail", "pass", "fail"]


def test_the_deployed_model_can_be_the_baseline():
    deployed = {"rougeL": 0.35, "perplexity": 5.0}
    verdict = decide({"rougeL": 0.30, "perplexity": 6.0, "toxicity_rate": 0.0}, deployed, baseline_name="deployed")
    assert not verdict.deploy
    assert "vs deployed 0.3500" in verdict.reasons[0]
