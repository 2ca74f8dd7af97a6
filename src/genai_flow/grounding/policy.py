"""Which answer a user gets: the model's, the knowledge base's quoted sentences, or the fallback.

One definition for the endpoint (serving's postprocess) and for evaluate, which scores answers
exactly as the endpoint would return them and fits the thresholds this policy applies.
"""

from __future__ import annotations

import dataclasses
from typing import Optional, Sequence

from ..prompts import Passage
from .extractive import extractive_answer
from .support import groundedness
from .thresholds import ServingThresholds

MODEL, KNOWLEDGE_BASE, FALLBACK = "model", "knowledge_base", "fallback"
UNGROUNDED = "ungrounded"


@dataclasses.dataclass(frozen=True)
class GroundedAnswer:
    answer: str
    source: str  # MODEL, KNOWLEDGE_BASE or FALLBACK
    groundedness: Optional[float]  # None: no passages to hold the answer to
    low_confidence: bool
    flag_reason: Optional[str]  # UNGROUNDED when the quoted sentences replaced the answer
    unsupported_facts: list[str]


def ground_answer(
    question: str,
    answer: str,
    confidence: float,
    passages: Sequence[Passage],
    thresholds: ServingThresholds,
    embedder,
    extract_sentences: int,
    fallback_answer: str,
) -> GroundedAnswer:
    """The answer to return for ``answer`` (the model's, cleaned) given the retrieved
    ``passages``: below ``min_groundedness`` it is replaced by the passages' most relevant
    sentences (flagged ``ungrounded``); otherwise, below ``min_confidence``, by the fallback.
    A threshold of None switches its check off."""
    low = thresholds.min_confidence is not None and confidence < thresholds.min_confidence
    score, unsupported = None, []
    if passages:
        grounding = groundedness(answer, [passage.text for passage in passages], embedder)
        score, unsupported = round(grounding.score, 4), grounding.unsupported
        if thresholds.min_groundedness is not None and grounding.score < thresholds.min_groundedness:
            extract = extractive_answer(question, passages, embedder, extract_sentences)
            return GroundedAnswer(extract.text, KNOWLEDGE_BASE, score, low, UNGROUNDED, unsupported)
    if low:
        return GroundedAnswer(fallback_answer, FALLBACK, score, True, None, unsupported)
    return GroundedAnswer(answer, MODEL, score, False, None, unsupported)
