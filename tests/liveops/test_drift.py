"""Input drift on real MiniLM embeddings: questions like the training ones do not drift, a
window of clearly off-topic questions does. Both windows were written for this test; the
reference is the training split's questions (data/raw/tickets.jsonl)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from genai_flow.embed.embedder import get_embedder
from genai_flow.liveops.drift import MIN_WINDOW, input_drift
from genai_flow.model_loading import ModelConfig

from ..helpers import REPO_ROOT

ON_TOPIC = [
    "How do I export a board to CSV?", "Can I move a card to another board?", "Why did my automation stop?",
    "How many guests can I invite on the Pro plan?", "Where do I change my billing e-mail?",
    "Can I get a refund after upgrading by mistake?", "How do I reset my password?",
    "Why can't I upload a 200 MB file?", "How do I turn on two-factor authentication?",
    "Can I restore a deleted board?", "How do I connect the Slack integration?",
    "Why is my invoice showing VAT twice?", "Can I change the owner of a workspace?",
    "How do I archive old cards automatically?", "What happens when my trial ends?",
    "How do I add a custom field to cards?", "Can guests see private boards?",
    "How do I download my invoices for last year?", "Why are notifications delayed?",
    "How do I import tasks from a spreadsheet?", "Can I set due-date reminders for a whole board?",
    "How do I remove a member from my team?", "Is there an API rate limit?",
    "How do I cancel the annual plan?", "Why does the mobile app log me out?",
    "How do I share a board with a client?", "Can I pay by bank transfer?",
    "How do I duplicate a board with its cards?", "Why does the calendar view show no tasks?",
    "How do I switch the workspace language?",
]
OFF_TOPIC = [
    "What is the best way to roast a chicken?", "Who won the football world cup in 1998?",
    "How tall is Mount Kilimanjaro?", "What rhymes with orange?", "How do I grow tomatoes on a balcony?",
    "Which bones are in the human wrist?", "What is the plot of Hamlet?", "How do bees make honey?",
    "What is the capital of Mongolia?", "How long should I boil an egg?", "Why is the sky blue?",
    "Who painted the Sistine Chapel ceiling?", "How do I train my puppy to sit?",
    "What causes earthquakes?", "How many players are on a rugby team?", "What is a good marathon pace?",
    "How do I tie a bowline knot?", "When did the Roman Empire fall?", "What wine goes with salmon?",
    "How does a violin make sound?", "Is Pluto a planet?", "What is the recipe for pancakes?",
    "How do volcanoes form?", "Which birds migrate the farthest?", "How do I change a bike tyre?",
    "What is the speed of sound?", "Who wrote Pride and Prejudice?", "How deep is the Mariana Trench?",
    "What do koalas eat?", "How do I knit a scarf?",
]


@pytest.fixture(scope="module")
def embed():
    embedder = get_embedder(ModelConfig.from_settings())
    return lambda texts: embedder.encode(texts, normalize_embeddings=True, convert_to_numpy=True)


@pytest.fixture(scope="module")
def reference(embed):
    rows = [json.loads(line) for line in (REPO_ROOT / "data" / "raw" / "tickets.jsonl").open()]
    # The question alone, as the monitoring events hold it (no subject line).
    return embed([row["question"] for row in rows if row["split"] == "train"])


def test_questions_like_the_training_ones_do_not_drift(embed, reference):
    result = input_drift(embed(ON_TOPIC), reference)
    assert not result.drifted and result.score < 0.1, result  # nearly every question has a close match
    assert result.window == 30 and result.reference == min(len(reference), 500)


def test_a_window_of_off_topic_questions_drifts(embed, reference):
    on, off = input_drift(embed(ON_TOPIC), reference), input_drift(embed(OFF_TOPIC), reference)
    assert off.drifted and off.score > 0.9 and off.p_value <= 0.01, off
    assert off.mmd > 1.5 * on.mmd  # clearly farther, not just over the line


def test_a_small_window_is_never_called_drifted(embed, reference):
    result = input_drift(embed(OFF_TOPIC[: MIN_WINDOW - 1]), reference)
    assert not result.drifted and np.isnan(result.floor)


def test_the_same_inputs_give_the_same_result(embed, reference):
    window = embed(OFF_TOPIC)
    assert input_drift(window, reference).to_dict() == input_drift(window, reference).to_dict()
