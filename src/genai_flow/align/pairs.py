"""Preference pairs: for one question, an answer people preferred (chosen) over one they did not
(rejected), from human feedback or, for data without feedback yet, from the training split.

- correction: an answer rated -1 with a correction: the correction is chosen over the answer.
- rating: two answers to the same question, one rated +1 and one rated -1.
- synthetic: a training ticket's reference answer is chosen over the supervised model's own
  answer to it (never the held-out split, which evaluate must score unseen).
"""

from __future__ import annotations

import dataclasses
import random
from collections import defaultdict
from typing import Iterable, Sequence

import pandas as pd

from .. import schema

CORRECTION, RATING, SYNTHETIC = "correction", "rating", "synthetic"
SOURCES = (CORRECTION, RATING, SYNTHETIC)


@dataclasses.dataclass(frozen=True)
class PreferencePair:
    subject: str
    question: str
    chosen: str
    rejected: str
    source: str  # one of SOURCES


def _words(text: str) -> str:
    return " ".join(text.split()).lower()


def feedback_pairs(feedback: Iterable[dict]) -> list[PreferencePair]:
    """Pairs from feedback items (``question``, ``answer``, ``rating`` +1/-1, ``correction``, as
    the LiveOps store or ``genai-flow feedback --export`` gives them): every correction over the
    answer it corrects, and per question every +1 answer over every -1 answer. Items without a
    question, and pairs whose two sides say the same, give no pair."""
    pairs: list[PreferencePair] = []
    liked: dict[str, list[tuple[str, str]]] = defaultdict(list)
    disliked: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for item in feedback:
        question, answer = (item.get("question") or "").strip(), (item.get("answer") or "").strip()
        correction = (item.get("correction") or "").strip()
        if not question:
            continue
        if int(item["rating"]) == -1 and correction and answer and _words(correction) != _words(answer):
            pairs.append(PreferencePair("", question, correction, answer, CORRECTION))
        if answer:
            (liked if int(item["rating"]) == 1 else disliked)[_words(question)].append((question, answer))
    for key, good in liked.items():
        for question, chosen in good:
            for _, rejected in disliked.get(key, []):
                if _words(chosen) != _words(rejected):
                    pairs.append(PreferencePair("", question, chosen, rejected, RATING))
    return list(dict.fromkeys(pairs))  # the same pair twice counts once


def reference_pairs(rows: pd.DataFrame, model_answers: Sequence[str]) -> list[PreferencePair]:
    """Pairs from training tickets: each row's reference answer chosen over ``model_answers``
    (the supervised model's answer to the same prompt, in row order); an empty answer, or one
    that says what the reference says, gives no pair."""
    pairs = []
    for subject, question, reference, answer in zip(rows[schema.SUBJECT], rows[schema.TEXT], rows[schema.ANSWER],
                                                    model_answers):
        reference, answer = str(reference).strip(), (answer or "").strip()
        if answer and _words(reference) != _words(answer):
            pairs.append(PreferencePair(str(subject or ""), str(question), reference, answer, SYNTHETIC))
    return pairs


def split_heldout(pairs: Sequence[PreferencePair], fraction: float, seed: int
                  ) -> tuple[list[PreferencePair], list[PreferencePair]]:
    """(training pairs, held-out pairs): a seeded shuffle, ``fraction`` of them (at least one) held
    out; pairs about one question stay on one side, so held-out questions are unseen."""
    questions = sorted({_words(pair.question) for pair in pairs})
    random.Random(seed).shuffle(questions)
    if len(questions) < 2:
        raise ValueError(f"{len(pairs)} pairs about {len(questions)} question(s): need two questions or more "
                         "to hold some out")
    heldout_questions = set(questions[: max(1, round(len(questions) * fraction))])
    heldout = [pair for pair in pairs if _words(pair.question) in heldout_questions]
    return [pair for pair in pairs if _words(pair.question) not in heldout_questions], heldout


def pairs_frame(splits: dict[str, Sequence[PreferencePair]]) -> pd.DataFrame:
    """Pairs as one table with a ``split`` column (e.g. ``train``/``heldout``), for the artifact."""
    rows = [{**dataclasses.asdict(pair), "split": split} for split, items in splits.items() for pair in items]
    return pd.DataFrame(rows, columns=["split", "source", "subject", "question", "chosen", "rejected"])
