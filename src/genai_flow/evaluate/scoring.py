"""One model's scores on the held-out tickets and the fact set: the numbers the gate compares."""

from __future__ import annotations

import dataclasses
from typing import Optional

import pandas as pd

from .. import schema
from ..generation import clean_answer
from ..guardrails import ToxicityGuard
from ..model_loading import ModelConfig
from ..prompts import Passage
from ..tuned_model import TunedModel
from .answers import generate_answers
from .config import EvaluateConfig
from .fact_set import FactSet, contains_facts
from .metrics import load_metric
from .perplexity import answer_perplexity
from .similarity import semantic_similarity


@dataclasses.dataclass
class Scored:
    """A model's metrics (rougeL, perplexity, similarity, toxicity_rate, model_fact_rate) and
    the answers and per-ticket scores behind them."""

    metrics: dict
    answers: list[str]
    rouge: list[float]
    similarity: list[float]
    fact_answers: list  # Generation per fact-set question


def score_model(
    tuned: TunedModel,
    rows: pd.DataFrame,
    passages: list[list[Passage]],
    fact_set: Optional[FactSet],  # None: no fact-set answers (model_fact_rate None)
    fact_passages: list[list[Passage]],
    label: str,
    guard: ToxicityGuard,
    config: EvaluateConfig,
    models: ModelConfig,
) -> Scored:
    """Score ``tuned`` (``label`` names it in the progress bars) on the held-out ``rows``, each
    prompt carrying its ``passages``, and on the ``fact_set`` questions."""
    subjects, questions = rows[schema.SUBJECT].tolist(), rows[schema.TEXT].tolist()
    references = rows[schema.ANSWER].tolist()
    answers = [g.text for g in generate_answers(
        tuned, subjects, questions, passages, config.max_new_tokens, config.batch_size, f"{label} answers"
    )]
    questions_asked = fact_set.questions if fact_set else []
    fact_answers = generate_answers(
        tuned, [c.get("subject", "") for c in questions_asked], [c["question"] for c in questions_asked],
        fact_passages, config.max_new_tokens, config.batch_size, f"{label} fact-set answers",
    ) if questions_asked else []
    rouge = load_metric("rouge").compute(
        predictions=answers, references=references, rouge_types=["rougeL"], use_aggregator=False
    )["rougeL"]
    similarity = semantic_similarity(answers, references, models)
    flags = guard.flagged(answers)
    metrics = {
        "rougeL": sum(rouge) / len(rouge),
        "perplexity": answer_perplexity(tuned, rows, config.max_length, config.batch_size, passages),
        "similarity": sum(similarity) / len(similarity),
        "toxicity_rate": sum(flags) / len(flags),
        # The model's own answers; the served rate (with the grounding policy) is added later.
        "model_fact_rate": sum(contains_facts(clean_answer(g.text), c["facts"])
                               for g, c in zip(fact_answers, questions_asked)) / len(fact_answers)
        if fact_answers else None,
    }
    return Scored(metrics, answers, rouge, similarity, fact_answers)
