"""Preference pairs: from feedback, from training tickets, the held-out split, and their tokens."""

from __future__ import annotations

import pytest

from genai_flow import schema
from genai_flow.align.pairs import (CORRECTION, RATING, SYNTHETIC, PreferencePair, feedback_pairs, pairs_frame,
                                    reference_pairs, split_heldout)
from genai_flow.align.tokens import pair_tokens
from genai_flow.fine_tune.examples import prompt_and_answer_ids, ticket_rows
from genai_flow.prompts import DEFAULT_PROMPT

from ..fine_tune.conftest import ticket_frame


def item(question, answer, rating, correction=None):
    return {"question": question, "answer": answer, "rating": rating, "correction": correction}


def test_feedback_gives_corrections_over_answers_and_liked_over_disliked_answers():
    pairs = feedback_pairs([
        item("How do I export?", "I don't know.", -1, "Use Settings > Export."),
        item("how do I  EXPORT?", "Settings > Export, then CSV.", 1),  # the same question, other spacing
        item("How do I export?", "Try again later.", -1),
        item("Reset my password", "Click 'Forgot password'.", 1),  # liked, but nothing disliked to pair with
        item("Where are invoices?", "Billing.", -1, "Billing."),  # a correction that says the same: no pair
        item("", "no question", -1, "a correction"),  # no question: no pair
        item("How do I export?", "I don't know.", -1, "Use Settings > Export."),  # the same pair again
    ])
    assert pairs == [
        PreferencePair("", "How do I export?", "Use Settings > Export.", "I don't know.", CORRECTION),
        PreferencePair("", "how do I  EXPORT?", "Settings > Export, then CSV.", "I don't know.", RATING),
        PreferencePair("", "how do I  EXPORT?", "Settings > Export, then CSV.", "Try again later.", RATING),
    ]


def test_reference_pairs_prefer_the_reference_and_skip_empty_or_equal_answers():
    rows = ticket_rows(ticket_frame(train=3), schema.TRAIN)
    answers = ["A wrong answer.", "", "  " + rows[schema.ANSWER][2].upper() + " "]
    (pair,) = reference_pairs(rows, answers)
    assert (pair.question, pair.chosen, pair.rejected, pair.source) == (
        rows[schema.TEXT][0], rows[schema.ANSWER][0].strip(), "A wrong answer.", SYNTHETIC)


def test_the_held_out_pairs_are_about_other_questions_and_the_split_is_seeded():
    pairs = [PreferencePair("", f"question {i % 5}", f"good {i}", f"bad {i}", RATING) for i in range(20)]
    train, heldout = split_heldout(pairs, 0.2, seed=7)
    assert len(train) + len(heldout) == 20 and len(heldout) == 4  # one question of five, four pairs each
    assert not {p.question for p in train} & {p.question for p in heldout}
    assert split_heldout(pairs, 0.2, seed=7) == (train, heldout)
    frame = pairs_frame({"train": train, "heldout": heldout})
    assert list(frame["split"]).count("heldout") == 4 and set(frame["source"]) == {RATING}
    with pytest.raises(ValueError, match="need two questions or more"):
        split_heldout(pairs[:1], 0.2, seed=7)


def test_pair_tokens_are_the_fine_tune_prompt_and_answers_cut_to_fit(tokenizer):
    long_answer = "word " * 400
    pairs = [PreferencePair("Export", "How do I export?", "Use Settings > Export.", long_answer, CORRECTION)]
    dataset, skipped = pair_tokens(pairs, tokenizer, DEFAULT_PROMPT, max_length=96)
    prompt_ids, chosen_ids = prompt_and_answer_ids(tokenizer, DEFAULT_PROMPT, "Export", "How do I export?",
                                                   "Use Settings > Export.")
    (example,) = dataset
    assert skipped == 0 and example["prompt_ids"] == prompt_ids and example["chosen_ids"] == chosen_ids
    assert len(example["prompt_ids"]) + len(example["rejected_ids"]) == 96  # the long answer cut to the room left
    _, skipped = pair_tokens(pairs, tokenizer, DEFAULT_PROMPT, max_length=len(prompt_ids) + 2)
    assert skipped == 1
