"""Batched greedy answers from a (tuned or base) model on the shared prompt, for scoring."""

from __future__ import annotations

from tqdm.auto import tqdm

from ..generation import generate
from ..tuned_model import TunedModel


def generate_answers(
    tuned: TunedModel,
    subjects: list[str],
    questions: list[str],
    max_new_tokens: int,
    batch_size: int,
    description: str = "generating",
) -> list[str]:
    """One greedy answer per (subject, question), in order."""
    prompts = [tuned.template.render(tuned.tokenizer, s, q) for s, q in zip(subjects, questions)]
    answers: list[str] = []
    for start in tqdm(range(0, len(prompts), batch_size), desc=description, unit="batch"):
        chunk = prompts[start : start + batch_size]
        answers.extend(g.text for g in generate(tuned.model, tuned.tokenizer, chunk, max_new_tokens))
    return answers
