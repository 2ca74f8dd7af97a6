"""The held-out fact set (data/fact_set/) stays checkable and held out.

Each fact must be stated in the article it names (else a correct answer could not contain
it), and no question may be lifted from its article or from the training tickets (else it
would measure recall of training text, not retrieval and grounding).
"""

from __future__ import annotations

import json
import re

import pytest

from ..helpers import REPO_ROOT

FACT_SET = REPO_ROOT / "data" / "fact_set" / "fact_set.jsonl"
RAW = REPO_ROOT / "data" / "raw"


def _cases() -> list[dict]:
    return [json.loads(line) for line in FACT_SET.read_text(encoding="utf-8").splitlines() if line.strip()]


def _shingles(text: str, size: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def _article_text(article: str) -> str:
    matches = [p for p in RAW.glob(article + ".*") if p.is_file()]
    assert len(matches) == 1, f"{article}: {matches or 'no file under data/raw'}"
    return matches[0].read_text(encoding="utf-8")


def test_ids_are_unique_and_both_kinds_are_there():
    cases = _cases()
    assert len({c["id"] for c in cases}) == len(cases)
    facts = [c for c in cases if not c.get("off_topic")]
    assert len(facts) >= 40 and len(cases) - len(facts) >= 15


@pytest.mark.parametrize("case", [c for c in _cases() if not c.get("off_topic")], ids=lambda c: c["id"])
def test_each_fact_is_stated_in_its_article_and_the_question_is_paraphrased(case):
    text = _article_text(case["article"])
    assert case["facts"], "a fact question needs at least one fact"
    for fact in case["facts"]:
        assert fact.lower() in text.lower(), f"{fact!r} is not in {case['article']}"
    shared = _shingles(case["question"]) & _shingles(text)
    assert not shared, f"the question copies its article: {' '.join(next(iter(shared)))}"


def test_no_question_comes_from_the_training_tickets():
    tickets = [json.loads(line) for line in (RAW / "tickets.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    ticket_shingles = set().union(*(_shingles(f"{t.get('question', '')} {t.get('answer', '')}") for t in tickets))
    copied = [c["id"] for c in _cases() if _shingles(c["question"]) & ticket_shingles]
    assert copied == []
