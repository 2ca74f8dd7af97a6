"""Preference pairs as tokens: the prompt exactly as fine-tune trains on it and serving sends
it (the library prompt with the retrieved passages), each answer followed by the end-of-sequence
suffix (genai_flow.fine_tune.examples defines both), cut to fit ``max_length``."""

from __future__ import annotations

from typing import Optional, Sequence

from datasets import Dataset

from ..fine_tune.examples import MIN_ANSWER_TOKENS, prompt_and_answer_ids
from ..prompts import Passage, PromptTemplate
from .pairs import PreferencePair


def pair_tokens(
    pairs: Sequence[PreferencePair],
    tokenizer,
    template: PromptTemplate,
    max_length: int,
    passages: Optional[Sequence[Sequence[Passage]]] = None,
) -> tuple[Dataset, int]:
    """(a dataset of ``prompt_ids``, ``chosen_ids``, ``rejected_ids``, the number of pairs
    skipped because their prompt leaves no room for an answer). Answers longer than the room
    left are cut (both sides, so neither wins by length alone beyond it)."""
    columns = {"prompt_ids": [], "chosen_ids": [], "rejected_ids": []}
    skipped = 0
    passages = passages if passages is not None else [None] * len(pairs)
    for pair, context in zip(pairs, passages):
        prompt_ids, chosen_ids = prompt_and_answer_ids(tokenizer, template, pair.subject, pair.question, pair.chosen,
                                                       context)
        _, rejected_ids = prompt_and_answer_ids(tokenizer, template, pair.subject, pair.question, pair.rejected,
                                                context)
        room = max_length - len(prompt_ids)
        if room < MIN_ANSWER_TOKENS:
            skipped += 1
            continue
        columns["prompt_ids"].append(prompt_ids)
        columns["chosen_ids"].append(chosen_ids[:room])
        columns["rejected_ids"].append(rejected_ids[:room])
    return Dataset.from_dict(columns), skipped
