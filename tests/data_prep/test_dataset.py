"""The committed default data set (data/raw): deterministic, the promised shape, valid PII."""

from __future__ import annotations

import collections
import ipaddress
import json
import re
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import phonenumbers
import pytest
from bs4 import BeautifulSoup

from genai_flow.data_prep.dedup import jaccard, shingles

from ..helpers import REPO_ROOT

RAW = REPO_ROOT / "data" / "raw"
GENERATOR = REPO_ROOT / "data" / "generate_dataset.py"
SIGN_OFF = "\n\nBest regards,\nOrbitask Support"
PHONE_REGIONS = {"en_US": "US", "en_GB": "GB", "de_DE": "DE", "fr_FR": "FR", "en_IN": "IN",
                 "en_AU": "AU", "es_ES": "ES", "nl_NL": "NL", "it_IT": "IT", "en_IE": "IE"}


def _files(root: Path) -> dict[str, bytes]:
    paths = sorted(path for path in root.rglob("*") if path.is_file())
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in paths}


@pytest.fixture(scope="module")
def tickets() -> list[dict]:
    return [json.loads(line) for line in (RAW / "tickets.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def articles() -> dict[str, str]:
    """Article slug -> its readable text (HTML pages through BeautifulSoup)."""
    texts = {}
    for path in sorted((RAW / "kb").rglob("*.*")):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".html":
            text = BeautifulSoup(text, "html.parser").get_text(" ")
        texts[path.stem] = " ".join(text.replace("**", "").split())
    return texts


def _luhn_ok(number: str) -> bool:
    digits = [int(d) for d in re.sub(r"\D", "", number)][::-1]
    doubled = [d if i % 2 == 0 else sum(divmod(d * 2, 10)) for i, d in enumerate(digits)]
    return sum(doubled) % 10 == 0


def _iban_ok(iban: str) -> bool:
    compact = iban.replace(" ", "")
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _ssn_ok(ssn: str) -> bool:
    match = re.fullmatch(r"(\d{3})-(\d{2})-(\d{4})", ssn)
    return bool(match) and match[1] not in ("000", "666") and not match[1].startswith("9") \
        and match[2] != "00" and match[3] != "0000"


def test_generator_is_deterministic_and_matches_the_committed_files(tmp_path):
    for name in ("one", "two"):
        subprocess.run([sys.executable, str(GENERATOR), "--out", str(tmp_path / name)],
                       check=True, capture_output=True, timeout=120)
    first, second = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert first == second
    committed = _files(RAW)
    assert sorted(committed) == sorted(first), "data/raw is stale: run data/generate_dataset.py"
    changed = [name for name in first if first[name] != committed[name]]
    assert not changed, f"data/raw differs from the generator in {changed[:5]}"


def test_knowledge_base_has_the_promised_shape(articles):
    files = _files(RAW)
    assert sum(len(body) for body in files.values()) < 5_000_000
    kb = [name for name in files if name.startswith("kb/")]
    assert 80 <= len(kb) <= 120
    html_pages = [name for name in kb if name.endswith(".html")]
    assert 3 <= len(html_pages) <= 10 and all(name.endswith((".md", ".html")) for name in kb)
    long_articles = [slug for slug, text in articles.items() if 3000 <= len(text) <= 8000]
    assert len(long_articles) >= 6, long_articles
    # Product facts a base model cannot know.
    everything = " ".join(articles.values())
    for fact in ["Settings > Security > Two-factor authentication", "ORB-4031", "14 days",
                 "$15", "https://api.orbitask.com/scim/v2", "Ctrl+K", "XLSX", "SAML"]:
        assert fact in everything, fact


def test_tickets_have_the_promised_shape_and_a_stratified_held_out_split(tickets, articles):
    assert 450 <= len(tickets) <= 560
    assert all(set(t) == {"id", "subject", "question", "answer", "topic", "split", "locale", "pii"}
               for t in tickets)
    assert len({t["id"] for t in tickets}) == len(tickets)
    by_topic = collections.defaultdict(list)
    for ticket in tickets:
        by_topic[ticket["topic"]].append(ticket)
    assert all(6 <= len(group) <= 10 for group in by_topic.values())
    assert set(by_topic) <= set(articles), "every ticket topic has its knowledge-base article"
    splits = collections.Counter(t["split"] for t in tickets)
    assert set(splits) == {"train", "test"} and 0.12 <= splits["test"] / len(tickets) <= 0.18
    for topic, group in by_topic.items():
        kinds = collections.Counter(t["split"] for t in group)
        assert kinds["test"] >= 1 and kinds["train"] >= 5, topic


def test_questions_are_different_paraphrases(tickets):
    by_topic = collections.defaultdict(list)
    for ticket in tickets:
        by_topic[ticket["topic"]].append(ticket["question"])
    for topic, questions in by_topic.items():
        assert len(set(questions)) == len(questions), topic
        hashed = [shingles(q, 5) for q in questions]
        worst = max(jaccard(a, b) for a, b in combinations(hashed, 2))
        assert worst < 0.8, f"{topic}: two questions are near duplicates ({worst:.2f})"


def test_answers_follow_the_house_style_and_the_articles_facts(tickets, articles):
    facts = collections.defaultdict(set)
    for ticket in tickets:
        answer, spans = ticket["answer"], [s for s in ticket["pii"] if s["field"] == "answer"]
        assert 150 <= len(answer) <= 500, ticket["id"]
        assert len(spans) == 1 and spans[0]["entity"] == "PERSON"
        assert answer.startswith(f"Hi {spans[0]['text']},\n\n") and answer.endswith(SIGN_OFF)
        facts[ticket["topic"]].add(answer.split("\n\n")[1])
    for topic, bodies in facts.items():
        assert len(bodies) == 1, f"{topic}: answers differ between customers"
        fact, article = bodies.pop(), articles[topic]
        # Every number, error code and menu step the answer quotes is in its article.
        for token in re.findall(r"ORB-\d{4}|\$?\d[\d,.]*\d|\d", fact):
            assert token.rstrip(".,") in article, f"{topic}: {token!r} not in the article"
        for left, right in re.findall(r"(?=(\S+) > (\S+))", fact):
            step = f"{left} > {right.rstrip(',.;:')}"
            assert step in article, f"{topic}: menu step {step!r} not in the article"


def test_every_pii_kind_is_planted_dozens_of_times_with_valid_values(tickets):
    counts = collections.Counter()
    regions, woven, standalone = set(), 0, 0
    for ticket in tickets:
        for span in ticket["pii"]:
            text = ticket[span["field"]]
            value = span["text"]
            assert text[span["start"] : span["end"]] == value
            if span["field"] != "question":
                continue
            entity = span["entity"]
            if entity == "CREDIT_CARD":
                assert _luhn_ok(value), value
            elif entity == "IBAN_CODE":
                assert _iban_ok(value), value
            elif entity == "US_SSN":
                assert _ssn_ok(value), value
            elif entity == "IP_ADDRESS":
                entity = f"IPv{ipaddress.ip_address(value).version}"
            elif entity == "EMAIL_ADDRESS":
                assert re.fullmatch(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", value), value
            elif entity == "PHONE_NUMBER":
                number = phonenumbers.parse(value, PHONE_REGIONS[ticket["locale"]])
                assert phonenumbers.is_valid_number(number), value
                regions.add(phonenumbers.region_code_for_number(number))
            counts[entity] += 1
            if entity != "PERSON":  # names also sign emails, on their own line
                line_start = text.rfind("\n", 0, span["start"]) + 1
                if len(text[line_start : span["start"]].split()) >= 3:
                    woven += 1
                else:
                    standalone += 1
    for entity in ["PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "ADDRESS", "CREDIT_CARD",
                   "IBAN_CODE", "IPv4", "IPv6", "US_SSN"]:
        assert counts[entity] >= 24, f"{entity}: only {counts[entity]}"
    assert {"US", "GB", "DE", "FR", "IN"} <= regions
    assert any(s["text"].startswith("+") for t in tickets for s in t["pii"]
               if s["entity"] == "PHONE_NUMBER")
    assert woven >= 0.8 * (woven + standalone), "PII should sit inside sentences"
