"""The extractive answer: the knowledge base's own sentences, quoted and cited.

What a good support desk does when it cannot vouch for a drafted answer: quote the most relevant
sentences of the best passages and say where they come from. Sentences are ranked by cosine
similarity to the question (MiniLM), nudged towards the best-ranked passage and towards
sentences that carry a concrete fact (a support question is usually after one: a number, a
path, a code); they are quoted in their passage's order so they read as written.
"""

from __future__ import annotations

import dataclasses
from typing import Sequence

import numpy as np

from ..prompts import Passage
from .facts import concrete_facts
from .sentences import split_sentences

FACT_BONUS = 0.05  # a sentence with a concrete fact beats an equally similar one without
RANK_PENALTY = 0.03  # per passage rank: prefer the best passage's sentences on near ties
INTRO = "Here is what our knowledge base says:"


@dataclasses.dataclass(frozen=True)
class Extract:
    text: str  # the answer: an introduction, then quotes with their titles
    quotes: list[dict]  # {"sentence", "passage_id", "title", "score"}


def extractive_answer(
    question: str, passages: Sequence[Passage], embedder, sentences: int = 4, from_passages: int = 3
) -> Extract:
    """The ``sentences`` sentences of the first ``from_passages`` passages closest to
    ``question``, quoted per passage with its title. No passages, no extract (empty text)."""
    candidates = []  # (passage rank, position, sentence, passage)
    for rank, passage in enumerate(map(Passage.of, list(passages)[:from_passages])):
        candidates += [(rank, position, s, passage) for position, s in enumerate(split_sentences(passage.text))]
    if not candidates:
        return Extract("", [])
    vectors = embedder.encode(
        [question] + [c[2] for c in candidates], normalize_embeddings=True, convert_to_numpy=True
    )
    scores = vectors[1:] @ vectors[0]
    scores = scores + np.array([FACT_BONUS * bool(concrete_facts(c[2])) - RANK_PENALTY * c[0] for c in candidates])
    chosen = sorted(np.argsort(-scores)[:sentences], key=lambda i: candidates[i][:2])

    quotes, lines = [], [INTRO]
    for rank in dict.fromkeys(candidates[i][0] for i in chosen):  # passages in rank order
        picked = [i for i in chosen if candidates[i][0] == rank]
        passage = candidates[picked[0]][3]
        quoted = " ".join(candidates[i][2] for i in picked)
        lines.append(f'"{quoted}" ({passage.title})' if passage.title else f'"{quoted}"')
        quotes += [{"sentence": candidates[i][2], "passage_id": passage.id, "title": passage.title,
                    "score": round(float(scores[i]), 4)} for i in picked]
    return Extract("\n".join(lines), quotes)
