"""Training examples: tokenized prompt + answer, with the loss on the answer tokens only."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from datasets import Dataset

from .. import schema
from ..dataset_io import require_columns
from ..prompts import PromptTemplate

IGNORE_INDEX = -100  # label value the loss ignores (the prompt tokens)


@dataclass
class ExampleStats:
    rows: int
    examples: int
    truncated: int  # answer cut to fit max_length
    skipped_prompt_too_long: int


def ticket_rows(frame: pd.DataFrame, split: str) -> pd.DataFrame:
    """Question/answer rows of one split, in a stable order."""
    require_columns(frame, [schema.TYPE, schema.SPLIT, schema.SUBJECT, schema.TEXT, schema.ANSWER])
    rows = frame[(frame[schema.TYPE] == schema.TICKET) & (frame[schema.SPLIT] == split)]
    rows = rows[rows[schema.ANSWER].fillna("").str.strip() != ""]
    return rows.sort_values(schema.ID).reset_index(drop=True) if schema.ID in rows else rows


def build_examples(
    rows: pd.DataFrame, tokenizer, template: PromptTemplate, max_length: int
) -> tuple[Dataset, ExampleStats]:
    """Tokenize each row as prompt + answer + end-of-sequence, masking the prompt in the labels."""
    columns = {"input_ids": [], "attention_mask": [], "labels": []}
    truncated = skipped = 0
    for subject, text, answer in zip(rows[schema.SUBJECT], rows[schema.TEXT], rows[schema.ANSWER]):
        prompt = template.render(tokenizer, subject, text)
        prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
        answer_ids = tokenizer(answer.strip() + template.answer_suffix(tokenizer), add_special_tokens=False)[
            "input_ids"
        ]
        room = max_length - len(prompt_ids)
        if room < 8:  # not even a few answer tokens fit: nothing to learn from
            skipped += 1
            continue
        if len(answer_ids) > room:
            answer_ids = answer_ids[:room]
            truncated += 1
        ids = prompt_ids + answer_ids
        columns["input_ids"].append(ids)
        columns["attention_mask"].append([1] * len(ids))
        columns["labels"].append([IGNORE_INDEX] * len(prompt_ids) + answer_ids)
    stats = ExampleStats(len(rows), len(columns["input_ids"]), truncated, skipped)
    return Dataset.from_dict(columns), stats
