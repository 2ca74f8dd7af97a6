"""Fact-set scoring as the endpoint answers: retrieval recall, answers with their passages,
the grounding policy, and the thresholds fitted on those answers (calibration)."""

from __future__ import annotations

import dataclasses
from typing import Optional

import pandas as pd
from tqdm.auto import tqdm

from ..embed import RetrievalConfig, StoreLocation, retrieve
from ..embed.embedder import get_embedder
from ..generation import clean_answer
from ..grounding.calibration import SignalFit, calibration_plot, fit_off_topic, fit_replacement
from ..grounding.extractive import extractive_answer
from ..grounding.policy import ground_answer
from ..grounding.support import groundedness
from ..grounding.thresholds import ServingThresholds
from ..model_loading import ModelConfig
from ..prompts import Passage
from ..schema import embedding_text
from .fact_set import FactSet, contains_facts


@dataclasses.dataclass
class Retrieved:
    """The fact set's questions with what retrieval found for them."""

    hits: list[list[dict]]  # per fact question, best first
    off_topic_hits: list[list[dict]]  # per off-topic question

    def passages(self) -> list[list[Passage]]:
        """Per fact question, every retrieved passage: what serving grounds answers in."""
        return [[Passage.of(hit) for hit in hits] for hits in self.hits]

    def best_scores(self, off_topic: bool = False) -> list[float]:
        # The highest cosine, as preprocess declines by it (hybrid ranks by more than cosine).
        return [max((hit["score"] for hit in hits), default=0.0)
                for hits in (self.off_topic_hits if off_topic else self.hits)]


def retrieve_fact_set(
    fact_set: FactSet, retrieval: RetrievalConfig, location: StoreLocation, models: ModelConfig
) -> Retrieved:
    def run(cases, label):
        return [retrieve(question_query(c), retrieval, location, models)
                for c in tqdm(cases, desc=f"retrieving ({label})", unit="question")]

    return Retrieved(run(fact_set.questions, "fact questions"), run(fact_set.off_topic, "off-topic"))


def question_query(case: dict) -> str:
    """What serving retrieves and quotes for: the subject line with the question."""
    return embedding_text(case.get("subject", ""), case["question"])


def retrieval_recall(fact_set: FactSet, retrieved: Retrieved) -> dict:
    """Recall@1, recall@k and MRR@k of each question's article among its chunks' articles."""
    ranks = []
    for case, hits in zip(fact_set.questions, retrieved.hits):
        articles = [hit["id"].split("#")[0] for hit in hits]
        ranks.append(articles.index(case["article"]) + 1 if case.get("article") in articles else None)
    total = max(len(ranks), 1)
    return {
        "retrieval_recall_at_1": round(sum(r == 1 for r in ranks) / total, 4),
        "retrieval_recall_at_k": round(sum(r is not None for r in ranks) / total, 4),
        "retrieval_mrr": round(sum(1 / r for r in ranks if r) / total, 4),
    }


def score_answers(
    fact_set: FactSet, passages: list[list[Passage]], answers: list, models: ModelConfig, sentences: int
) -> pd.DataFrame:
    """One row per fact question: the model's answer, whether it carries the fact, its
    confidence and groundedness, and whether the extractive answer would carry it
    (``passages``: every passage retrieved for the question, as serving grounds in them)."""
    embedder = get_embedder(models)
    records = []
    for case, context, generation in zip(fact_set.questions, passages, answers):
        answer = clean_answer(generation.text)
        grounding = groundedness(answer, [p.text for p in context], embedder) if context else None
        extract = extractive_answer(question_query(case), context, embedder, sentences).text if context else ""
        records.append({
            "id": case["id"], "question": case["question"], "facts": case["facts"], "answer": answer,
            "correct": contains_facts(answer, case["facts"]),
            "confidence": round(generation.confidence if answer else 0.0, 4),
            "groundedness": round(grounding.score, 4) if grounding else 0.0,
            "unsupported_facts": grounding.unsupported if grounding else [],
            "extractive_correct": contains_facts(extract, case["facts"]),
        })
    return pd.DataFrame.from_records(records)


@dataclasses.dataclass
class Calibration:
    thresholds: ServingThresholds
    fits: list[SignalFit]
    figure: object  # matplotlib figure


def calibrate(scored: pd.DataFrame, retrieved: Retrieved, defaults: ServingThresholds) -> Calibration:
    """Fit the three serving thresholds on the tuned model's fact-set answers (see
    grounding/calibration.py). The fallback answer never carries a fact, so confidence is
    fitted after groundedness, on the answers groundedness keeps."""
    correct, quoted = scored["correct"].to_numpy(), scored["extractive_correct"].to_numpy()
    grounded = fit_replacement("min_groundedness", scored["groundedness"], correct, quoted)
    kept = scored["groundedness"] >= (grounded.threshold if grounded.threshold is not None else 0.0)
    confident = fit_replacement("min_confidence", scored["confidence"][kept], correct[kept], [False] * int(kept.sum()))
    off_topic = fit_off_topic(retrieved.best_scores(), retrieved.best_scores(off_topic=True))
    fits = [grounded, confident, off_topic]
    thresholds = dataclasses.replace(
        defaults,
        min_groundedness=grounded.threshold,
        min_confidence=confident.threshold,
        off_topic_score=off_topic.threshold,
        source="evaluate",
    )
    samples = {
        "min_groundedness": (scored["groundedness"], correct),
        "min_confidence": (scored["confidence"][kept], correct[kept]),
        "off_topic_score": (retrieved.best_scores() + retrieved.best_scores(off_topic=True),
                            [True] * len(retrieved.hits) + [False] * len(retrieved.off_topic_hits)),
    }
    return Calibration(thresholds, fits, calibration_plot(fits, samples))


def served_answers(
    fact_set: FactSet,
    passages: list[list[Passage]],
    scored: pd.DataFrame,
    retrieved: Retrieved,
    thresholds: ServingThresholds,
    models: ModelConfig,
    sentences: int,
    fallback_answer: str,
) -> pd.DataFrame:
    """What the endpoint would return for each fact question (the serving policy applied), and
    whether off-topic questions are declined."""
    embedder = get_embedder(models)
    served = scored.copy()
    declined, answers, sources = [], [], []
    rows = zip(fact_set.questions, passages, scored.itertuples(), retrieved.hits, retrieved.best_scores())
    for case, context, row, hits, best in rows:
        # As preprocess: no hits (nothing indexed) never declines.
        off = thresholds.off_topic_score is not None and bool(hits) and best < thresholds.off_topic_score
        declined.append(off)
        if off:
            answers.append(""), sources.append("guard")
            continue
        result = ground_answer(question_query(case), row.answer, row.confidence, context, thresholds,
                               embedder, sentences, fallback_answer)
        answers.append(result.answer), sources.append(result.source)
    served["served_answer"], served["answer_source"], served["declined"] = answers, sources, declined
    served["served_correct"] = [contains_facts(a, f) for a, f in zip(answers, served["facts"])]
    return served


def off_topic_rates(retrieved: Retrieved, threshold: Optional[float]) -> dict:
    """Precision and recall of declining at ``threshold`` (off-topic questions are positives)."""
    if threshold is None:
        return {"off_topic_precision": None, "off_topic_recall": 0.0}
    declined_off = sum(score < threshold for score in retrieved.best_scores(off_topic=True))
    declined_on = sum(score < threshold for score in retrieved.best_scores())
    declined = declined_off + declined_on
    return {
        "off_topic_precision": round(declined_off / declined, 4) if declined else None,
        "off_topic_recall": round(declined_off / max(len(retrieved.off_topic_hits), 1), 4),
    }
