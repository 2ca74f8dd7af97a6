"""The align function for real: DPO with TRL on top of a supervised LoRA adapter, on feedback
pairs and synthetic pairs from the training split; the model it logs, which evaluate's loader
and perplexity read; and the pass-through when there are too few pairs."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import torch
from mlrun.runtimes.utils import RunError

from genai_flow import schema
from genai_flow.evaluate.perplexity import answer_perplexity
from genai_flow.fine_tune.examples import ticket_rows
from genai_flow.model_loading import ModelConfig
from genai_flow.project import load_project
from genai_flow.tuned_model import ADAPTER_FILE, load_tuned_model, model_folder

from ..fine_tune.conftest import ticket_frame
from ..helpers import REPO_ROOT

SMALL = {"max_length": 320, "context_tokens": 0, "batch_size": 2, "seed": 0}


def _lora_weights(tuned) -> dict:
    return {name: p.detach().clone() for name, p in tuned.model.named_parameters() if "lora_" in name}


def test_align_trains_the_supervised_adapter_on_preference_pairs_and_passes_it_on_when_too_few(
        embedded_db, tmp_path):
    project = load_project(REPO_ROOT)
    frame = ticket_frame(train=12, test=2)
    dataset = tmp_path / "masked.parquet"
    frame.to_parquet(dataset)
    supervised = project.run_function(
        "fine-tune", inputs={"dataset": str(dataset)}, local=True,
        params={**SMALL, "max_examples": 4, "max_steps": 1, "checkpoint_dir": str(tmp_path / "ft")},
    ).outputs["model"]
    feedback = tmp_path / "feedback.csv"
    pd.DataFrame([
        {"question": "How do I export my boards?", "answer": "I cannot help.", "rating": -1,
         "correction": "Open the board menu and choose Export."},
        {"question": "Can I undo a deleted card?", "answer": "No.", "rating": -1,
         "correction": "Yes: open the archive and restore it within 30 days."},
        {"question": "Can I undo a deleted card?", "answer": "Restore it from the archive.", "rating": 1,
         "correction": None},
    ]).to_csv(feedback, index=False)

    run = project.run_function(
        "align", inputs={"dataset": str(dataset), "model": supervised, "feedback": str(feedback)}, local=True,
        params={**SMALL, "synthetic_pairs": 6, "min_pairs": 4, "max_steps": 2, "max_new_tokens": 12,
                "heldout_fraction": 0.25},
    )
    assert run.state() == "completed"
    results = run.status.results
    assert results["aligned"] is True and results["skipped_reason"] is None
    # Two corrections, one liked-over-disliked pair, and synthetic pairs from training tickets.
    assert (results["pairs_correction"], results["pairs_rating"]) == (2, 1)
    assert 0 < results["pairs_synthetic"] <= 6
    assert results["pairs"] == results["pairs_train"] + results["pairs_heldout"] + results["pairs_too_long"]
    assert results["pairs_heldout"] >= 1 and results["train_steps"] == 2
    assert len(results["dpo_loss_per_step"]) == 2 and all(math.isfinite(x) for x in results["dpo_loss_per_step"])
    assert math.isfinite(results["heldout_reward_margin"]) and 0 <= results["heldout_reward_accuracy"] <= 1
    assert math.isfinite(results["heldout_dpo_loss"])
    assert {"model", "pairs", "reward_curve"} <= set(run.outputs)

    # The synthetic pairs come from the training split only: evaluate's held-out questions stay unseen.
    pairs = run.artifact("pairs").as_df()
    test_questions = set(ticket_rows(frame, schema.TEST)[schema.TEXT])
    assert not set(pairs["question"]) & test_questions
    synthetic = pairs[pairs["source"] == "synthetic"]
    train_answers = dict(zip(frame[schema.TEXT], frame[schema.ANSWER]))
    assert all(train_answers[q].strip() == chosen for q, chosen in zip(synthetic["question"], synthetic["chosen"]))
    assert set(pairs["split"]) == {"train", "heldout"}

    # The aligned model: the supervised adapter trained on (the reference copy is not saved),
    # loadable and scorable as evaluate scores any candidate.
    models = ModelConfig.from_settings()
    before, after = load_tuned_model(supervised, models), load_tuned_model(run.outputs["model"], models)
    assert after.info["parameters"]["align"]["pairs"]["pairs_correction"] == 2
    assert after.info["parameters"]["lora"] == before.info["parameters"]["lora"]
    weights_before, weights_after = _lora_weights(before), _lora_weights(after)
    assert weights_after.keys() == weights_before.keys() and not any(".ref." in name for name in weights_after)
    assert any(not torch.equal(weights_before[name], weights_after[name]) for name in weights_after)
    perplexity = answer_perplexity(after, ticket_rows(frame, schema.TEST), max_length=320, batch_size=2)
    assert math.isfinite(perplexity) and perplexity > 1
    (logged,) = [a for a in embedded_db.list_artifacts(project="genai-flow", kind="model")
                 if a["metadata"]["tree"] == run.uid()]
    assert logged["metadata"]["labels"]["aligned"] == "dpo"

    # Too few pairs: no training, the supervised model passes on unchanged, and the run says why.
    passed = project.run_function(
        "align", inputs={"dataset": str(dataset), "model": supervised, "feedback": str(feedback)}, local=True,
        params={**SMALL, "synthetic_pairs": 0, "min_pairs": 16},
    )
    results = passed.status.results
    assert results["aligned"] is False and results["pairs"] == 3 and results["synthetic_asked"] == 0
    assert (results["pairs_correction"], results["pairs_rating"], results["pairs_synthetic"]) == (2, 1, 0)
    assert results["skipped_reason"] == "3 feedback pairs and 0 synthetic asked: fewer than min_pairs=16"
    same = model_folder(passed.outputs["model"]) / ADAPTER_FILE
    assert same.read_bytes() == (model_folder(supervised) / ADAPTER_FILE).read_bytes()

    # A feedback table without its columns is refused by name.
    bad = tmp_path / "bad.csv"
    pd.DataFrame([{"question": "q", "stars": 5}]).to_csv(bad, index=False)
    with pytest.raises(RunError, match=r"feedback table lacks the column\(s\) answer, rating"):
        project.run_function("align", inputs={"dataset": str(dataset), "model": supervised, "feedback": str(bad)},
                             local=True, params=SMALL)
