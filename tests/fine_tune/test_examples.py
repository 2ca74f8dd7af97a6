"""Training examples: the prompt exactly as inference sends it, then the answer and EOS."""

from __future__ import annotations

import pytest

from genai_flow import schema
from genai_flow.fine_tune.examples import (
    IGNORE_INDEX, MIN_ANSWER_TOKENS, answer_labels, build_examples, ticket_rows,
)
from genai_flow.prompts import DEFAULT_PROMPT

from .conftest import ticket_frame


def expected_tokens(tokenizer, row) -> tuple[list[int], list[int]]:
    """Built here independently: the served prompt's tokens, the answer's tokens and one EOS."""
    prompt = DEFAULT_PROMPT.render(tokenizer, row[schema.SUBJECT], row[schema.TEXT])
    prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    answer_ids = tokenizer(row[schema.ANSWER].strip(), add_special_tokens=False)["input_ids"]
    return prompt_ids, answer_ids + [tokenizer.eos_token_id]


def test_ticket_rows_are_the_split_tickets_with_answers():
    frame = ticket_frame(train=3, test=2)
    frame.loc[1, schema.ANSWER] = "   "
    rows = ticket_rows(frame.iloc[::-1], schema.TRAIN)
    assert rows[schema.ID].tolist() == [frame.loc[0, schema.ID], frame.loc[2, schema.ID]]  # sorted, no article
    with pytest.raises(ValueError, match=r"missing the column\(s\) answer"):
        ticket_rows(frame.drop(columns=[schema.ANSWER]), schema.TRAIN)


def test_an_example_is_the_served_prompt_then_answer_then_eos(tokenizer):
    rows = ticket_rows(ticket_frame(train=4), schema.TRAIN)
    examples, stats = build_examples(rows, tokenizer, DEFAULT_PROMPT, max_length=1024, progress=False)
    assert (stats.rows, stats.examples, stats.truncated, stats.skipped_prompt_too_long) == (4, 4, 0, 0)
    for example, (_, row) in zip(examples, rows.iterrows()):
        prompt_ids, answer_ids = expected_tokens(tokenizer, row)
        assert example["input_ids"] == prompt_ids + answer_ids
        assert example["completion_mask"] == [0] * len(prompt_ids) + [1] * len(answer_ids)
        assert answer_labels(example) == [IGNORE_INDEX] * len(prompt_ids) + answer_ids
        # The prompt part decodes to exactly what serving renders: no BOS or markup added.
        served = DEFAULT_PROMPT.render(tokenizer, row[schema.SUBJECT], row[schema.TEXT])
        assert tokenizer.decode(example["input_ids"][: len(prompt_ids)]) == served
        assert example["input_ids"][-1] == tokenizer.eos_token_id


def test_long_answers_are_cut_and_long_prompts_skipped_and_counted(tokenizer):
    max_length = 128
    rows = ticket_rows(ticket_frame(train=8), schema.TRAIN)
    expected = [expected_tokens(tokenizer, row) for _, row in rows.iterrows()]
    kept = [(p, a) for p, a in expected if max_length - len(p) >= MIN_ANSWER_TOKENS]
    cut = [(p, a) for p, a in kept if len(p) + len(a) > max_length]
    assert len(kept) < len(expected) and cut  # this data exercises both cases

    examples, stats = build_examples(rows, tokenizer, DEFAULT_PROMPT, max_length, progress=False)
    assert (stats.rows, stats.examples) == (8, len(kept))
    assert (stats.truncated, stats.skipped_prompt_too_long) == (len(cut), len(expected) - len(kept))
    for example, (prompt_ids, answer_ids) in zip(examples, kept):
        assert example["input_ids"] == (prompt_ids + answer_ids)[:max_length]
        assert sum(example["completion_mask"]) == min(len(answer_ids), max_length - len(prompt_ids))
