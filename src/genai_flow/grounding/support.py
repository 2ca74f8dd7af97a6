"""Groundedness: how well an answer is supported by the passages it was given.

Two checks, multiplied into one score in 0..1:
- sentence support: each content sentence of the answer is matched with its closest passage
  sentence (cosine of the packaged MiniLM embeddings); the mean of those best matches;
- fact support: the share of the answer's concrete facts (numbers, e-mail addresses, URLs,
  prices, menu paths, codes) that some passage contains. A made-up address or price pulls the
  score down however fluent the sentence around it is.
Greetings and sign-offs ("Hi there,", "Best regards,") carry no claim and are not scored.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np

from .facts import concrete_facts, unsupported_facts
from .sentences import split_sentences

MIN_CLAIM_WORDS = 5  # shorter sentences without a concrete fact are greetings and sign-offs
_WORD = re.compile(r"[A-Za-z0-9]+")


@dataclasses.dataclass(frozen=True)
class Grounding:
    score: float  # sentence_support * fact_support, 0..1
    sentence_support: float
    fact_support: float
    unsupported: list[str]  # the answer's facts no passage states

    def to_dict(self) -> dict:
        return {
            "groundedness": round(self.score, 4),
            "sentence_support": round(self.sentence_support, 4),
            "fact_support": round(self.fact_support, 4),
            "unsupported_facts": self.unsupported,
        }


def claims(answer: str) -> list[str]:
    """The sentences of ``answer`` that state something."""
    return [
        sentence for sentence in split_sentences(answer)
        if len(_WORD.findall(sentence)) >= MIN_CLAIM_WORDS or concrete_facts(sentence)
    ]


def groundedness(answer: str, passages: list[str], embedder) -> Grounding:
    """How well ``answer`` is supported by ``passages`` (texts); ``embedder`` is a
    sentence-transformers model. An answer with no claim, or no passage, scores 0."""
    answer_sentences = claims(answer)
    passage_sentences = [s for passage in passages for s in split_sentences(passage)]
    if not answer_sentences or not passage_sentences:
        return Grounding(0.0, 0.0, 0.0, unsupported_facts(answer, passages))
    vectors = embedder.encode(
        answer_sentences + passage_sentences, normalize_embeddings=True, convert_to_numpy=True
    )
    similarity = vectors[: len(answer_sentences)] @ vectors[len(answer_sentences):].T
    sentence_support = float(np.clip(similarity.max(axis=1), 0.0, 1.0).mean())
    facts = concrete_facts(answer)
    unsupported = unsupported_facts(answer, passages)
    fact_support = 1.0 - len(unsupported) / len(facts) if facts else 1.0
    return Grounding(sentence_support * fact_support, sentence_support, fact_support, unsupported)
