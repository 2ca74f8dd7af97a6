"""Training examples: the tokens of prompt + answer, and which of them the loss covers.

This module is the one definition of "prompt + answer tokens": fine-tune trains on them
(through TRL's SFTTrainer) and evaluate scores reference answers on them (perplexity).

- The prompt is exactly what serving and evaluation send (the question with the knowledge-base
  passages retrieved for it): ``PromptTemplate.render`` tokenized
  without special tokens (the rendered chat template already holds its markup; a tokenizer that
  prepends a BOS would otherwise add one that inference never sees).
- The answer is the reference answer followed by the end-of-sequence token, so the model learns
  to stop; it is tokenized on its own, starting at a token boundary as a generated answer does.
- ``completion_mask`` marks the answer tokens: TRL turns it into labels (prompt tokens -100)
  with ``completion_only_loss=True``, so the loss covers the answer only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import pandas as pd
from datasets import Dataset
from tqdm.auto import tqdm

from .. import schema
from ..dataset_io import require_columns
from ..prompts import Passage, PromptTemplate

IGNORE_INDEX = -100  # label value the loss ignores (the prompt tokens, the padding)
MIN_ANSWER_TOKENS = 8  # a prompt that leaves less room than this in max_length is skipped


@dataclass
class ExampleStats:
    rows: int
    examples: int
    truncated: int  # answer cut to fit max_length
    skipped_prompt_too_long: int  # prompt left fewer than MIN_ANSWER_TOKENS answer tokens


def ticket_rows(frame: pd.DataFrame, split: str) -> pd.DataFrame:
    """Question/answer rows of one split, in a stable order."""
    require_columns(frame, [schema.TYPE, schema.SPLIT, schema.SUBJECT, schema.TEXT, schema.ANSWER])
    rows = frame[(frame[schema.TYPE] == schema.TICKET) & (frame[schema.SPLIT] == split)]
    rows = rows[rows[schema.ANSWER].fillna("").str.strip() != ""]
    return rows.sort_values(schema.ID).reset_index(drop=True) if schema.ID in rows else rows


def hold_out(rows: pd.DataFrame, count: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``rows`` split into (training rows, the last ``count`` rows held out for validation).

    The last rows in id order, so the held-out set does not depend on ``max_examples`` (which
    takes the first rows of what is left) and every trial of a search is scored on the same rows.
    """
    if count < 0:
        raise ValueError(f"validation examples must be 0 or more, not {count}")
    if count and count >= len(rows):
        raise ValueError(f"cannot hold out {count} of {len(rows)} training tickets for validation")
    cut = len(rows) - count
    return rows.iloc[:cut].reset_index(drop=True), rows.iloc[cut:].reset_index(drop=True)


def prompt_and_answer_ids(
    tokenizer, template: PromptTemplate, subject: str, text: str, answer: str,
    passages: Optional[Sequence[Passage]] = None,
) -> tuple[list[int], list[int]]:
    """The prompt's tokens (as inference sends them) and the answer's tokens (ending with EOS)."""
    prompt = template.render(tokenizer, subject, text, passages)
    prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    answer = answer.strip() + template.answer_suffix(tokenizer)
    answer_ids = tokenizer(answer, add_special_tokens=False)["input_ids"]
    return prompt_ids, answer_ids


def build_examples(
    rows: pd.DataFrame,
    tokenizer,
    template: PromptTemplate,
    max_length: int,
    passages: Optional[Sequence[Sequence[Passage]]] = None,
    progress: bool = True,
) -> tuple[Dataset, ExampleStats]:
    """One pre-tokenized prompt-completion example per row: columns ``input_ids`` (prompt +
    answer, at most ``max_length``) and ``completion_mask`` (1 on the answer tokens).
    ``passages``: per row, the knowledge-base passages its prompt carries (none by default).

    Answers that do not fit are cut; rows whose prompt leaves no room for a few answer tokens are
    skipped and counted.
    """
    columns = {"input_ids": [], "completion_mask": []}
    truncated = skipped = 0
    passages = passages if passages is not None else [None] * len(rows)
    quads = zip(rows[schema.SUBJECT], rows[schema.TEXT], rows[schema.ANSWER], passages)
    for subject, text, answer, context in tqdm(quads, total=len(rows), desc="tokenizing examples",
                                               disable=not progress):
        prompt_ids, answer_ids = prompt_and_answer_ids(tokenizer, template, subject, text, answer, context)
        room = max_length - len(prompt_ids)
        if room < MIN_ANSWER_TOKENS:  # nothing much to learn from
            skipped += 1
            continue
        if len(answer_ids) > room:
            answer_ids = answer_ids[:room]
            truncated += 1
        columns["input_ids"].append(prompt_ids + answer_ids)
        columns["completion_mask"].append([0] * len(prompt_ids) + [1] * len(answer_ids))
    stats = ExampleStats(len(rows), len(columns["input_ids"]), truncated, skipped)
    return Dataset.from_dict(columns), stats


def answer_labels(example: dict) -> list[int]:
    """Labels for one example: its answer tokens, IGNORE_INDEX on the prompt (what SFTTrainer
    builds from ``completion_mask``; evaluate's perplexity uses this)."""
    return [
        token if in_answer else IGNORE_INDEX
        for token, in_answer in zip(example["input_ids"], example["completion_mask"])
    ]
