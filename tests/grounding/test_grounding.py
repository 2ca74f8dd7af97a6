"""Groundedness, the extractive answer, the thresholds and their calibration (packaged MiniLM)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from genai_flow.embed.embedder import get_embedder
from genai_flow.evaluate.facts import Retrieved, calibrate
from genai_flow.grounding.calibration import ALWAYS, MIN_AUROC, fit_off_topic, fit_replacement
from genai_flow.grounding.extractive import INTRO, extractive_answer
from genai_flow.grounding.facts import concrete_facts, unsupported_facts
from genai_flow.grounding.policy import ground_answer
from genai_flow.grounding.sentences import split_sentences
from genai_flow.grounding.support import claims, groundedness
from genai_flow.grounding.thresholds import CALIBRATION_FILE, ServingThresholds
from genai_flow.model_loading import ModelConfig
from genai_flow.prompts import Passage

REFUNDS = Passage(
    "Refund policy",
    "## Refunds\nRefunds are possible within 14 days of purchase. Go to Admin > Billing > Invoices and "
    "click Request refund.\n- The money arrives in 5 to 10 business days.\n- Questions: billing@orbitask.com",
    "kb/billing/refund-policy#0",
)
SEATS = Passage("Adding seats",
                "Seats added mid-cycle are prorated. Removed seats become a credit on your next invoice.",
                "kb/billing/seats#0")


@pytest.fixture(scope="module")
def embedder():
    return get_embedder(ModelConfig.from_settings())


def test_concrete_facts_are_found_and_checked_against_the_passages():
    answer = ("Hi <PERSON>, go to Settings > Profile > Email address. Pro costs $15; 1,000 runs; see "
              "orbitask.com/nonprofit or write to help@orbitask.com. Error ORB-4221? Press Ctrl+K.")
    assert concrete_facts(answer) == ["Settings > Profile > Email address", "$15", "1,000", "orbitask.com/nonprofit",
                                      "help@orbitask.com", "ORB-4221", "Ctrl+K"]
    passage = "Settings > Profile > Email address; Pro is $15 per user, 1000 runs, error ORB-4221, Ctrl + K"
    assert unsupported_facts(answer, [passage]) == ["orbitask.com/nonprofit", "help@orbitask.com", "Ctrl+K"]


def test_sentences_skip_headings_and_list_markers():
    assert split_sentences(REFUNDS.text) == [
        "Refunds are possible within 14 days of purchase.",
        "Go to Admin > Billing > Invoices and click Request refund.",
        "The money arrives in 5 to 10 business days.",
        "Questions: billing@orbitask.com",
    ]
    assert claims("Hi there,\n\nRefunds take 5 to 10 business days.\n\nBest regards,\nSupport") == [
        "Refunds take 5 to 10 business days."]


def test_a_supported_answer_scores_high_and_an_invented_one_low(embedder):
    supported = groundedness("Hi there,\n\nYou can ask for a refund within 14 days in Admin > Billing > Invoices.",
                             [REFUNDS.text], embedder)
    assert supported.score > 0.8 and supported.fact_support == 1.0 and supported.unsupported == []
    invented = groundedness("Write to refunds@orbitask-help.com and we refund within 30 days for $49.",
                            [REFUNDS.text], embedder)
    assert invented.unsupported == ["refunds@orbitask-help.com", "30", "$49"] and invented.score == 0.0
    fluent_but_unrelated = groundedness("Our office dog is called Biscuit and loves long walks on the beach.",
                                        [REFUNDS.text], embedder)
    assert fluent_but_unrelated.score < 0.3
    assert groundedness("Hi there,", [REFUNDS.text], embedder).score == 0.0  # no claim at all


def test_the_extractive_answer_quotes_the_relevant_sentences_with_their_titles(embedder):
    extract = extractive_answer("How long until the refund money arrives?", [REFUNDS, SEATS], embedder,
                                sentences=3)
    lines = extract.text.splitlines()
    assert lines[0] == INTRO
    assert "5 to 10 business days" in extract.text and lines[1].endswith("(Refund policy)")
    assert len(extract.quotes) == 3 and all(q["passage_id"] for q in extract.quotes)
    # Quoted in the passage's own order, whatever their ranking.
    quoted = [q["sentence"] for q in extract.quotes if q["title"] == "Refund policy"]
    assert quoted == [s for s in split_sentences(REFUNDS.text) if s in quoted]
    assert extractive_answer("Anything?", [], embedder).text == ""


def test_the_policy_keeps_grounded_answers_and_replaces_invented_ones(embedder):
    thresholds = ServingThresholds(min_confidence=0.1, min_groundedness=0.5, off_topic_score=0.3)
    kept = ground_answer("How do I get a refund?", "Request a refund within 14 days in Admin > Billing > Invoices.",
                         0.5, [REFUNDS], thresholds, embedder, 2, "fallback")
    assert kept.source == "model" and kept.flag_reason is None and kept.groundedness > 0.5
    replaced = ground_answer("How do I get a refund?", "E-mail money@refunds.example for a $99 refund.", 0.9,
                             [REFUNDS], thresholds, embedder, 2, "fallback")
    assert replaced.source == "knowledge_base" and replaced.flag_reason == "ungrounded"
    assert "money@refunds.example" in replaced.unsupported_facts and "Request refund" in replaced.answer
    unsure = ground_answer("How do I get a refund?", "Request a refund within 14 days in Admin > Billing > Invoices.",
                           0.05, [REFUNDS], thresholds, embedder, 2, "fallback")
    assert unsure.source == "fallback" and unsure.low_confidence
    # A dropped signal (None) is not acted on; no passages: nothing to judge by.
    dropped = ServingThresholds(None, None, None)
    ignored = ground_answer("q", "E-mail money@refunds.example.", 0.01, [REFUNDS], dropped, embedder, 2, "f")
    assert ignored.source == "model"
    alone = ground_answer("q", "Anything.", 0.9, [], thresholds, None, 2, "f")
    assert alone.source == "model" and alone.groundedness is None


def test_replacement_thresholds_maximize_correct_answers_served():
    scores = [0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2]
    model_correct = [True] * 5 + [False] * 6
    quoted_correct = [False, True, True, True, True, True, True, True, True, False, True]
    fit = fit_replacement("min_groundedness", scores, model_correct, quoted_correct)
    # Replacing everything below 0.75 serves 10/11 correct; replacing less keeps a wrong answer,
    # replacing more swaps the correct 0.95 answer for a wrong quote.
    assert fit.kept and fit.threshold == 0.75 and fit.auroc == 1.0
    assert fit.served_rate == pytest.approx(10 / 11, abs=1e-4)
    # A signal that separates nothing is dropped; what needs no signal is kept: the model's
    # answers when they beat the replacement ...
    useless = fit_replacement("min_confidence", scores, [True, False] * 5 + [True], [False] * 11)
    assert not useless.kept and useless.threshold is None and useless.auroc < MIN_AUROC
    assert useless.served_rate == pytest.approx(6 / 11, abs=1e-4)
    # ... or every answer replaced when the replacement carries the fact more often.
    quoted_wins = fit_replacement("min_groundedness", scores, [True, False] * 5 + [True], [True] * 10 + [False])
    assert not quoted_wins.kept and quoted_wins.threshold == ALWAYS and "every answer is replaced" in quoted_wins.reason
    too_few = fit_replacement("min_confidence", scores, [True] * 9 + [False] * 2, [False] * 11)
    assert too_few.auroc is None and too_few.threshold is None and "too few" in too_few.reason
    nothing = fit_replacement("min_confidence", [], [], [])  # groundedness replaced every answer
    assert nothing.threshold is None and not nothing.kept


def test_calibration_with_every_answer_replaced_still_plots():
    """A model whose answers never carry their fact: groundedness replaces them all, nothing is
    left for confidence, and the calibration (plot included) still completes."""
    scored = pd.DataFrame({"groundedness": [0.2, 0.4, 0.6, 0.8, 0.9, 0.3], "confidence": [0.3] * 6,
                           "correct": [False] * 6, "extractive_correct": [True] * 5 + [False]})
    retrieved = Retrieved(hits=[[{"score": s}] for s in (0.5, 0.6, 0.55, 0.7, 0.45, 0.62)],
                          off_topic_hits=[[{"score": s}] for s in (0.1, 0.2, 0.15, 0.3, 0.25)])
    calibration = calibrate(scored, retrieved, ServingThresholds(0.15, 0.8, 0.35))
    assert calibration.thresholds.min_groundedness == ALWAYS and calibration.thresholds.min_confidence is None
    assert calibration.thresholds.off_topic_score == pytest.approx(0.45) and calibration.figure is not None


def test_the_off_topic_threshold_separates_by_best_passage_score():
    fit = fit_off_topic(on_topic=[0.6, 0.58, 0.55, 0.5, 0.42, 0.31], off_topic=[0.1, 0.15, 0.2, 0.3, 0.45])
    assert fit.kept and fit.auroc == pytest.approx(28 / 30, abs=1e-4)
    # The best cut declines 4 of 5 off-topic questions and no fact question.
    assert 0.3 < fit.threshold <= 0.31
    assert fit.served_rate == pytest.approx(10 / 11, abs=1e-4)


def test_thresholds_are_saved_with_a_model_and_read_back(tmp_path):
    (tmp_path / "genai_flow_model.json").write_text(json.dumps({"base_model": "x"}))  # a model folder
    defaults = ServingThresholds(0.15, 0.5, 0.35)
    assert defaults.for_model("") is defaults and defaults.for_model(str(tmp_path)) == defaults  # none stored
    ServingThresholds(None, 0.62, 0.31).save(tmp_path, {"fits": []})
    stored = defaults.for_model(str(tmp_path))
    assert (stored.min_confidence, stored.min_groundedness, stored.off_topic_score) == (None, 0.62, 0.31)
    assert stored.source == str(tmp_path / CALIBRATION_FILE)
    assert np.isclose(json.loads((tmp_path / CALIBRATION_FILE).read_text())["thresholds"]["min_groundedness"], 0.62)
