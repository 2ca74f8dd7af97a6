"""The toxicity guard: the `evaluate` measurement module, the guard API and the `guard` CLI.

Real classifiers only: the packaged embedding head (the default backend; its own tests are in
test_head.py), alt-profanity-check's trained model, and small local Hugging Face
text-classification models built here for the transformers backend (random weights: they test
the plumbing, not the judgement). Failures are real ones too: a model folder that does not
exist, a model whose position table is shorter than its tokenizer allows, a model with NaN
weights.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import evaluate
import numpy as np
import profanity_check
import pytest
import torch

from genai_flow.guardrails import MODULE_DIR, ToxicityConfig, ToxicityGuard, ToxicityUnavailable, load_toxicity
from genai_flow.guardrails.head import read_metadata
from genai_flow.model_loading import ModelConfig, resolve_embedder
from genai_flow.settings import reload_settings

from ..helpers import ASSETS, REPO_ROOT, run_cli

TOXIC = [
    "you are a stupid idiot and I hate you",
    "shut up you worthless piece of shit",
    "this fucking product is garbage and so are you",
    "go to hell, you moronic bastard",
    "your support team are a bunch of dumb assholes",
]
BENIGN = [
    "How do I reset my password on the Nimbus Hub?",
    "Kill the app and restart the hub, then try again.",
    "The battery died after two years, how do I replace it?",
    "Thanks, that fixed it. Have a great day!",
    "My order arrived damaged, can I get a refund?",
    "The ring light is blinking red after the update.",
]


# ------------------------------------------------------------- default backend (offline)
def test_toxic_texts_score_high_and_benign_texts_low():
    guard = ToxicityGuard(ToxicityConfig.from_settings())
    assert guard.backend == "embedding-head"
    assert guard.threshold == read_metadata()["threshold"]  # the head's validated threshold
    toxic, benign = guard.score(TOXIC), guard.score(BENIGN)
    assert min(toxic) > 0.95, toxic
    assert max(benign) < 0.3, benign
    assert guard.flagged(TOXIC + BENIGN) == [True] * len(TOXIC) + [False] * len(BENIGN)


def test_profanity_check_backend_keeps_its_threshold_and_scores():
    guard = ToxicityGuard(ToxicityConfig.from_settings(backend="profanity-check"))
    assert guard.threshold == 0.7
    assert min(guard.score(TOXIC)) > 0.95 and max(guard.score(BENIGN)) < 0.3
    assert guard.flagged(TOXIC + BENIGN) == [True] * len(TOXIC) + [False] * len(BENIGN)


def test_fused_scorer_matches_profanity_check_exactly():
    texts = TOXIC + BENIGN + ["", "damn", "what the hell happened to my order", "a" * 5000]
    ours = np.array(load_toxicity("profanity-check").score(texts))
    assert np.allclose(ours, profanity_check.predict_prob(texts), rtol=0, atol=1e-12)
    assert load_toxicity("profanity-check").scorer.fused is not None  # the fast path, not the fallback


def test_guard_threshold_comes_from_settings_and_is_checked(monkeypatch):
    monkeypatch.setenv("GENAI_FLOW_TOXICITY_THRESHOLD", "0.0001")
    reload_settings()
    try:
        guard = ToxicityGuard(ToxicityConfig.from_settings())
        assert guard.threshold == 0.0001
        assert guard.flagged(["Kill the app and restart the hub, then try again."]) == [True]
        assert ToxicityGuard(ToxicityConfig.from_settings(threshold=0.9)).threshold == 0.9
    finally:
        monkeypatch.undo()
        reload_settings()
    # None: each classifier's own threshold.
    assert ToxicityConfig.from_settings().threshold is None
    assert ToxicityGuard(ToxicityConfig.from_settings(backend="profanity-check")).threshold == 0.7
    assert ToxicityGuard(ToxicityConfig.from_settings(backend="transformers")).threshold == 0.5
    assert ToxicityGuard(ToxicityConfig.from_settings(backend="head")).threshold == read_metadata()["threshold"]
    with pytest.raises(ValueError, match="threshold must be in 0..1"):
        ToxicityGuard(ToxicityConfig.from_settings(threshold=1.5))


def test_guard_refuses_a_bare_string_and_non_text_items():
    guard = ToxicityGuard(ToxicityConfig.from_settings())
    assert guard.score([]) == [] and guard.flagged([]) == []
    with pytest.raises(TypeError, match="a list of texts, not a single string"):
        guard.score("one text")
    with pytest.raises(TypeError, match="text 1 is NoneType, not str"):
        guard.score(["fine", None])


# ------------------------------------------------------------ the evaluate module itself
def test_module_computes_like_evaluates_toxicity_measurement():
    module = evaluate.load(str(MODULE_DIR))
    assert module.module_type == "measurement" and module.name == "toxicity"
    assert module.backend == "embedding-head" and module.default_threshold == read_metadata()["threshold"]
    scores = module.compute(predictions=[TOXIC[0], BENIGN[0], BENIGN[1]])["toxicity"]
    guard = ToxicityGuard(ToxicityConfig.from_settings())
    assert scores == pytest.approx(guard.score([TOXIC[0], BENIGN[0], BENIGN[1]]))
    assert module.compute(predictions=[TOXIC[0], BENIGN[0]], aggregation="maximum") == {"max_toxicity": scores[0]}
    ratio = module.compute(predictions=[TOXIC[0], BENIGN[0], BENIGN[1], TOXIC[1]], aggregation="ratio")
    assert ratio == {"toxicity_ratio": 0.5}  # at the head's own threshold
    assert module.compute(predictions=[BENIGN[0]], aggregation="ratio", threshold=0.0) == {"toxicity_ratio": 1.0}
    with pytest.raises(ValueError, match="aggregation must be"):
        module.compute(predictions=[BENIGN[0]], aggregation="median")
    with pytest.raises(ValueError, match="unknown toxicity backend 'perspective'"):
        evaluate.load(str(MODULE_DIR), "perspective")


@pytest.mark.parametrize("hub_offline", [None, "0"], ids=["genai-flow-offline-policy", "hub-online-mode"])
def test_module_loads_from_its_folder_without_touching_the_network(tmp_path, hub_offline):
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    env["HF_HOME"] = str(tmp_path)  # nothing cached: the module is copied and imported afresh
    if hub_offline is not None:
        env["HF_HUB_OFFLINE"] = hub_offline
    completed = subprocess.run(
        [sys.executable, str(ASSETS / "embed" / "toxicity_offline_check.py")],
        capture_output=True, text=True, timeout=300, env=env, cwd=REPO_ROOT,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    assert result["ours"] == []
    assert result["control"], "the guard did not see the control request"
    assert result["module_type"] == "measurement" and result["backend"] == "embedding-head"
    assert result["scores"][0] > 0.95 and result["scores"][1] < 0.3


# --------------------------------------------------------- transformers backend (plumbing)
def _tiny_classifier(folder, labels, max_positions=512, nan_weights=False):
    """A one-layer BERT text classifier with random weights and MiniLM's tokenizer."""
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    tokenizer = AutoTokenizer.from_pretrained(resolve_embedder(ModelConfig.from_settings()))
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=max_positions,
        id2label=dict(enumerate(labels)), label2id={label: i for i, label in enumerate(labels)},
    )
    model = BertForSequenceClassification(config)
    if nan_weights:
        with torch.no_grad():
            model.classifier.weight.fill_(float("nan"))
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return model.eval(), tokenizer


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny-toxic")
    model, tokenizer = _tiny_classifier(folder, ["neutral", "toxic"])
    return str(folder), model, tokenizer


def test_transformers_backend_scores_the_toxic_label_probability(tiny_model):
    folder, model, tokenizer = tiny_model
    texts = ["hello there", "you are an idiot", "the hub is offline again"]
    guard = ToxicityGuard(ToxicityConfig.from_settings(backend="transformers", model=folder))
    assert guard.measurement.scorer.label == "toxic"  # found among the model's labels
    with torch.no_grad():
        logits = model(**tokenizer(texts, padding=True, return_tensors="pt")).logits
    expected = torch.softmax(logits, dim=-1)[:, 1].tolist()
    assert guard.score(texts) == pytest.approx(expected, abs=1e-5)
    assert guard.threshold == 0.5  # the transformers backend's own
    assert guard.flagged(texts) == [score >= 0.5 for score in expected]


def test_transformers_backend_needs_a_known_toxic_label(tmp_path, tiny_model):
    folder, _, _ = tiny_model
    with pytest.raises(ToxicityUnavailable, match=r"toxic label 'hate' is not one of the model's labels"):
        ToxicityGuard(ToxicityConfig.from_settings(backend="transformers", model=folder, label="hate")).score(["x"])
    unnamed = tmp_path / "unnamed"
    _tiny_classifier(unnamed, ["LABEL_0", "LABEL_1"])
    with pytest.raises(ToxicityUnavailable, match="cannot tell which of the model's labels"):
        ToxicityGuard(ToxicityConfig.from_settings(backend="transformers", model=str(unnamed))).score(["x"])
    guard = ToxicityGuard(ToxicityConfig.from_settings(backend="transformers", model=str(unnamed), label="LABEL_1"))
    assert 0.0 <= guard.score(["x"])[0] <= 1.0


# ------------------------------------------------------------------------ fail closed
def test_guard_fails_closed_when_the_model_cannot_load(tmp_path):
    guard = ToxicityGuard(ToxicityConfig.from_settings(backend="transformers", model=str(tmp_path / "no-such-model")))
    with pytest.raises(ToxicityUnavailable, match="cannot load the toxicity classifier"):
        guard.score(["hello"])
    with pytest.raises(ToxicityUnavailable):
        guard.flagged(["hello"])


def test_guard_fails_closed_when_the_model_fails_on_a_text(tmp_path):
    # A real model fault: 16 positions, but the tokenizer truncates at 512 tokens.
    folder = tmp_path / "short-positions"
    _tiny_classifier(folder, ["neutral", "toxic"], max_positions=16)
    guard = ToxicityGuard(ToxicityConfig.from_settings(backend="transformers", model=str(folder)))
    assert len(guard.score(["short text"])) == 1
    with pytest.raises(ToxicityUnavailable, match="the toxicity classifier failed"):
        guard.score(["a much longer text " * 20])


def test_guard_fails_closed_on_scores_that_are_not_probabilities(tmp_path):
    folder = tmp_path / "nan-weights"
    _tiny_classifier(folder, ["neutral", "toxic"], nan_weights=True)
    with pytest.raises(ToxicityUnavailable, match="returned invalid scores"):
        ToxicityGuard(ToxicityConfig.from_settings(backend="transformers", model=str(folder))).score(["hello"])


# ------------------------------------------------------------------------------- CLI
def test_guard_cli_scores_in_order_and_reports_bad_lines(tmp_path):
    lines = [
        json.dumps({"id": "q1", "text": TOXIC[0]}),
        json.dumps({"text": BENIGN[0]}),
        "{not json",
        "",
        json.dumps({"txt": "wrong key"}),
        json.dumps(["a", "list"]),
        json.dumps({"text": BENIGN[3]}),
    ]
    source = tmp_path / "texts.jsonl"
    source.write_text("\n".join(lines) + "\n")
    result = run_cli("guard", "--jsonl", str(source), "--batch-size", "2", check=False)  # 3 batches
    assert result.returncode == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["line"] for o in out] == [1, 2, 3, 5, 6, 7]  # the blank line 4 is skipped
    assert out[0]["id"] == "q1" and out[0]["flagged"] is True and out[0]["toxicity"] > 0.95
    assert out[1]["flagged"] is False and out[1]["toxicity"] < 0.3
    assert out[2]["error"].startswith("line 3: not valid JSON")
    assert out[3]["error"] == 'line 5: has no string "text"'
    assert out[4]["error"] == "line 6: is not a JSON object"
    assert out[5]["flagged"] is False
    assert "line 3: not valid JSON" in result.stderr and "line 6: is not a JSON object" in result.stderr


def test_guard_cli_threshold_and_classifier_failure(tmp_path):
    source = tmp_path / "texts.jsonl"
    source.write_text(json.dumps({"text": BENIGN[1]}) + "\n")
    assert json.loads(run_cli("guard", "--jsonl", str(source), "--threshold", "0").stdout)["flagged"] is True
    failed = run_cli(
        "guard", "--jsonl", str(source), check=False,
        env={"GENAI_FLOW_TOXICITY_BACKEND": "transformers",
             "GENAI_FLOW_TOXICITY_MODEL": str(tmp_path / "no-such-model")},
    )
    assert failed.returncode == 2 and failed.stdout == ""
    assert "cannot load the toxicity classifier" in failed.stderr
