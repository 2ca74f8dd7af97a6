"""Batched greedy answers from a (tuned or base) model on the shared prompt, for scoring."""

from __future__ import annotations

from typing import Optional, Sequence

from tqdm.auto import tqdm

from ..generation import Generation, generate
from ..prompts import Passage
from ..tuned_model import TunedModel


def generate_answers(
    tuned: TunedModel,
    subjects: Sequence[str],
    questions: Sequence[str],
    passages: Optional[Sequence[Sequence[Passage]]],
    max_new_tokens: int,
    batch_size: int,
    description: str = "generating",
) -> list[Generation]:
    """One greedy answer per (subject, question), in order, each prompt carrying its
    ``passages`` (as serving sends them; None: no passages)."""
    passages = passages if passages is not None else [None] * len(questions)
    prompts = [tuned.template.render(tuned.tokenizer, s, q, p) for s, q, p in zip(subjects, questions, passages)]
    answers: list[Generation] = []
    for start in tqdm(range(0, len(prompts), batch_size), desc=description, unit="batch"):
        answers.extend(generate(tuned.model, tuned.tokenizer, prompts[start : start + batch_size], max_new_tokens))
    return answers
