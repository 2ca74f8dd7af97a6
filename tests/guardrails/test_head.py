"""The embedding head (the default backend): its files, its judgement, precomputed embeddings,
and reproducible training.

The texts below were written for these tests; none is in data/toxicity/toxicity_train.jsonl.
MiniLM loads once for the module (``embedder``); the guard and the head share that instance.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import time
import zipfile

import evaluate
import numpy as np
import pytest

from genai_flow.guardrails import MODULE_DIR, ToxicityConfig, ToxicityGuard, ToxicityUnavailable
from genai_flow.guardrails.head import (
    HEAD_FILE, FUSIONS, HeadError, HeadScorer, ToxicityHead, embed, load_embedder, read_metadata,
)
from genai_flow.guardrails.training import DEFAULT_DATA, TrainConfig, read_dataset, threshold_for, train

from ..helpers import REPO_ROOT, run_cli

DATA = REPO_ROOT / DEFAULT_DATA

# One clear toxic text per category of the training set.
TOXIC = {
    "threat": "I will find out where you live and I will kill you.",
    "self_harm_incitement": "Nobody needs you here. Do the world a favour and kill yourself.",
    "identity_hate": "Those immigrants are filthy rats and should be thrown out of the country.",
    "harassment": "Everyone here hates you. Leave this team and never come back, loser.",
    "insult": "You are a brainless moron and your answer is worthless.",
    "veiled_insult": "Your reply has all the depth of a puddle, which I guess matches your intellect.",
    "profanity_abuse": "Fuck off, you useless sack of shit.",
    "sexual_harassment": "Send me a photo of your naked tits or I'm leaving a bad review.",
    "obfuscated": "go k1ll y0urself, l0ser",
    "obscene": "holy fucking shit, that cock joke was filthy",
}
# Benign traps: violent or rude-sounding words in harmless sentences.
BENIGN = {
    "tech_trap": "Please kill the stuck worker process and restart the scheduler.",
    "tech_trap (shoot)": "Shoot me an email when the export finishes.",
    "tech_trap (killing)": "This flaky test is killing me.",
    "tech_trap (execute)": "Execute the cleanup job after the backup.",
    "tech_trap (died)": "The child process died with signal 9.",
    "tech_trap (abort)": "Abort the deploy if the health check fails.",
    "civil_complaint": "This is the fourth failed payment this month and I'm furious. Please fix it today.",
    "self_harm_help_seeking": "I've been thinking about hurting myself. Who can I talk to tonight?",
    "quote_literature": "Rage, rage against the dying of the light.",
    "idiom": "This endless hold music is going to drive me up the wall.",
    "idiom (murder)": "I could murder a burger right now.",
    "discussion": "The documentary covers the massacre and the trials that followed.",
    "everyday": "Could you move our meeting to Thursday?",
}


@pytest.fixture(scope="module")
def embedder():
    return load_embedder(read_metadata()["embedding_model"])


@pytest.fixture(scope="module")
def guard(embedder):
    return ToxicityGuard(ToxicityConfig.from_settings()).load()


# ----------------------------------------------------------------------------- the files
def test_head_ships_as_plain_coefficients_with_its_metadata():
    with zipfile.ZipFile(HEAD_FILE) as archive:
        assert sorted(archive.namelist()) == ["bias.npy", "probe.npy", "weights.npy"]
    with np.load(HEAD_FILE, allow_pickle=False) as arrays:  # raises on any pickled object
        assert arrays["weights"].dtype == np.float64 and arrays["bias"].shape == ()
    meta = read_metadata()
    assert meta["embedding_model"] == "all-MiniLM-L6-v2" and meta["fusion"] in FUSIONS
    assert 0 < meta["threshold"] < 1 and meta["created_by"].startswith("genai-flow train-guard")
    # The packaged head was trained on the committed data set: retrain after editing it.
    assert meta["training_set"]["sha256"] == hashlib.sha256(DATA.read_bytes()).hexdigest()
    validation = meta["validation"]
    ordinary_flagged = validation["benign_flagged"] - validation["traps_flagged"]
    assert validation["auc"] > 0.9 and ordinary_flagged <= 0.02 * (validation["benign"] - validation["traps"])
    assert validation["traps_flagged"] <= 0.1 * validation["traps"]
    assert set(meta["variants"]) == set(FUSIONS)
    categories = {row["category"] for row in read_dataset(DATA)}
    assert set(validation["per_category"]) == categories
    assert set(TOXIC) <= categories


def test_loading_checks_the_files_agree(tmp_path):
    head_file = tmp_path / "head.npz"
    shutil.copy(HEAD_FILE, head_file)
    with pytest.raises(HeadError, match="cannot read the toxicity head's metadata"):
        ToxicityHead.load(head_file)
    meta = read_metadata()
    for change, message in [({"dimension": 128}, "do not match its metadata"),
                            ({"fusion": "average"}, "unknown fusion"),
                            ({"format": 99}, "format 99"),
                            ({"threshold": 1.5}, "not in 0..1")]:
        head_file.with_suffix(".json").write_text(json.dumps({**meta, **change}))
        with pytest.raises(HeadError, match=message):
            ToxicityHead.load(head_file)
    head_file.with_suffix(".json").write_text(json.dumps(meta))
    assert ToxicityHead.load(head_file).threshold == meta["threshold"]
    np.savez(head_file, weights=np.zeros(meta["dimension"] + 2), bias=0.0)  # too many weights
    with pytest.raises(HeadError, match="do not match its metadata"):
        ToxicityHead.load(head_file)


def test_loading_checks_the_embedder(embedder):
    head = ToxicityHead.load()
    head.check_embedder(embedder)

    class OtherModel:
        """Another sentence-transformers-like model: right or wrong size, other vectors."""

        def __init__(self, dimension):
            self.dimension = dimension

        def get_embedding_dimension(self):
            return self.dimension

        def encode(self, texts, **kwargs):
            vectors = np.random.default_rng(0).normal(size=(len(texts), self.dimension))
            return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    with pytest.raises(HeadError, match="trained on all-MiniLM-L6-v2 .* this embedder gives 768"):
        head.check_embedder(OtherModel(768))
    with pytest.raises(HeadError, match="this embedder is another model .probe sentence cosine"):
        head.check_embedder(OtherModel(384))
    with pytest.raises(HeadError, match="another model"):
        HeadScorer(embedder=OtherModel(384))


# ---------------------------------------------------------------------------- judgement
@pytest.mark.parametrize("category", list(TOXIC))
def test_toxic_text_of_each_category_is_flagged(guard, category):
    score = guard.score([TOXIC[category]])[0]
    assert score >= guard.threshold, (category, score, guard.threshold)


def test_benign_traps_are_not_flagged(guard):
    scores = dict(zip(BENIGN, guard.score(list(BENIGN.values()))))
    assert all(score < guard.threshold for score in scores.values()), scores


# ------------------------------------------------------------------ precomputed embeddings
def test_precomputed_embeddings_give_the_same_scores(guard, embedder):
    texts = list(TOXIC.values()) + list(BENIGN.values())
    embeddings = embed(embedder, [guard.normalize(text) for text in texts])
    assert guard.accepts_embeddings() and guard.embedding_model == "all-MiniLM-L6-v2"
    assert guard.score(texts, embeddings=embeddings) == pytest.approx(guard.score(texts), abs=1e-6)
    assert guard.flagged(texts, embeddings) == guard.flagged(texts)
    with pytest.raises(ToxicityUnavailable, match="2 embeddings for 1 texts"):
        guard.score(texts[:1], embeddings=embeddings[:2])


def test_a_guard_given_embeddings_never_loads_its_own_embedder(embedder):
    texts = [TOXIC["insult"], BENIGN["everyday"]]
    scorer = HeadScorer()  # no embedder loaded yet
    assert scorer._embedder is None
    scores = scorer(texts, embeddings=embed(embedder, [ToxicityGuard.normalize(text) for text in texts]))
    assert scorer._embedder is None and len(scores) == 2
    assert scorer.embedder is embedder  # loaded (and checked) on first use: the cached instance


def test_embeddings_from_another_model_are_ignored(guard):
    other = ToxicityGuard(ToxicityConfig.from_settings(embedding_model="sentence-transformers/all-mpnet-base-v2"))
    assert not other.accepts_embeddings()
    texts = [TOXIC["insult"], BENIGN["everyday"]]
    garbage = np.zeros((2, 384))  # would score both the same if it were used
    assert other.score(texts, embeddings=garbage) == pytest.approx(guard.score(texts), abs=1e-6)
    # Other backends ignore embeddings altogether.
    profanity = ToxicityGuard(ToxicityConfig.from_settings(backend="profanity-check"))
    assert not profanity.accepts_embeddings() and profanity.embedding_model is None
    assert profanity.score(texts, embeddings=garbage) == profanity.score(texts)


def test_head_scorer_takes_an_embedder_and_long_texts(embedder):
    scorer = HeadScorer(embedder=embedder)
    long_text = "The export finished and the report is attached. " * 80  # past MiniLM's 256 tokens
    scores = scorer([long_text, ""])
    assert scores.shape == (2,) and np.all((scores >= 0) & (scores <= 1))


# -------------------------------------------------------------------- the evaluate module
def test_evaluate_module_with_the_embedding_head(guard):
    module = evaluate.load(str(MODULE_DIR), "head")  # the alias
    assert module.backend == "embedding-head" and module.default_threshold == guard.threshold
    texts = [TOXIC["threat"], BENIGN["tech_trap"], TOXIC["insult"], BENIGN["idiom"]]
    computed = module.compute(predictions=texts)["toxicity"]
    assert computed == pytest.approx(guard.score(texts), abs=1e-6)
    assert module.compute(predictions=texts, aggregation="ratio") == {"toxicity_ratio": 0.5}
    assert module.compute(predictions=texts, aggregation="maximum") == {"max_toxicity": max(computed)}


def test_a_missing_head_fails_closed(tmp_path):
    guard = ToxicityGuard(ToxicityConfig.from_settings(model=str(tmp_path / "no-head.npz")))
    with pytest.raises(ToxicityUnavailable, match="cannot load the toxicity classifier"):
        guard.threshold
    with pytest.raises(ToxicityUnavailable, match="cannot load the toxicity classifier"):
        guard.score(["hello"])


# ------------------------------------------------------------------------------ training
def test_the_threshold_keeps_both_false_positive_caps():
    # 50 ordinary benign texts scored 0.00..0.49, 20 traps scored 0.50..0.69, toxic ones 0.3..0.9.
    ordinary, traps = np.arange(50) / 100, 0.5 + np.arange(20) / 100
    toxic_scores = np.linspace(0.3, 0.9, 13)
    scores = np.concatenate([ordinary, traps, toxic_scores])
    toxic = np.array([False] * 70 + [True] * 13)
    categories = np.array(["everyday"] * 50 + ["idiom"] * 20 + ["threat"] * 13)
    config = TrainConfig(data=DATA, head_file=HEAD_FILE, report_dir=HEAD_FILE.parent, max_fpr=0.02, max_trap_fpr=0.1)
    threshold = threshold_for(scores, toxic, categories, config)
    flagged = scores >= threshold
    # The traps' cap decides: two of 20 may be flagged, so the line sits between the third
    # highest trap (0.67) and the next toxic score (0.70).
    assert threshold == pytest.approx(0.685) and flagged[:50].sum() == 0 and flagged[50:70].sum() == 1
    loose = threshold_for(scores, toxic, categories, dataclasses.replace(config, max_trap_fpr=1.0))
    assert (scores[:50] >= loose).sum() == 1  # 2% of 50 ordinary texts: one may be flagged
    assert (scores[50:70] >= loose).all()


def test_training_is_reproducible_on_a_subset(tmp_path, embedder):
    start = time.perf_counter()
    reports = []
    for run in ("a", "b"):
        config = TrainConfig(data=DATA, head_file=tmp_path / run / "toxicity_head.npz",
                             report_dir=tmp_path / f"report-{run}", limit=6, command="test")
        reports.append(train(config, embedder))
    first, second = (tmp_path / run / "toxicity_head.npz" for run in ("a", "b"))
    assert first.read_bytes() == second.read_bytes()  # byte-identical coefficients
    assert first.with_suffix(".json").read_text() == second.with_suffix(".json").read_text()
    assert time.perf_counter() - start < 20

    report = reports[0]
    assert report["training_set"]["texts"] == 6 * len(report["training_set"]["per_category"])
    assert report["fusion"] in FUSIONS and set(report["variants"]) == set(FUSIONS)
    assert {"recall", "auc", "partial_auc"} <= set(next(iter(report["selection"].values())))
    for name in ("report.json", "report.html", "validation.png"):
        assert (tmp_path / "report-a" / name).stat().st_size > 0
    assert "Per category" in (tmp_path / "report-a" / "report.html").read_text()
    # The trained head loads and scores like the packaged one.
    scorer = HeadScorer(first, embedder=embedder)
    assert scorer.threshold == report["threshold"] and len(scorer(["hello", "you idiot"])) == 2


def test_train_guard_cli_writes_a_head_the_guard_uses(tmp_path):
    head_file = tmp_path / "head" / "toxicity_head.npz"
    result = run_cli("train-guard", "--limit", "5", "--output", str(head_file),
                     "--report-dir", str(tmp_path / "report"), "--fusion", "embedding")
    assert "fusion embedding" in result.stdout and "validation AUC" in result.stdout
    meta = json.loads(head_file.with_suffix(".json").read_text())
    assert meta["fusion"] == "embedding" and "--limit 5" in meta["created_by"]
    guard = ToxicityGuard(ToxicityConfig.from_settings(model=str(head_file.parent)))  # a folder works
    assert guard.threshold == meta["threshold"] and len(guard.score(["hello"])) == 1
