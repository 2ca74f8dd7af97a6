"""A retraining data version: the training data plus every correction as a training ticket,
and data-prep (the real function) reading it with the corrections in."""

from __future__ import annotations

import json

import mlrun
import pytest

from genai_flow.liveops import EventStore
from genai_flow.monitor.retrain import CORRECTIONS_FILE, RetrainError, corrections, new_data_version
from genai_flow.project import load_project

from ..helpers import REPO_ROOT

QUESTION = "How do I export a board to a spreadsheet? I am <PERSON>."
CORRECTION = "Open the board menu, choose Export and pick CSV or Excel; every task and field is included."


@pytest.fixture
def store(tmp_path) -> EventStore:
    store = EventStore(tmp_path / "liveops.sqlite")
    store.add_events([
        {"request_id": "a", "time": 1.0, "question": QUESTION, "answer": "Try the settings."},
        {"request_id": "b", "time": 2.0, "question": "Can I pay yearly?", "answer": "Yes."},
        {"request_id": "c", "time": 3.0, "question": "Where is the audit log?", "answer": "Admin > Security."},
    ])
    store.put_feedback("a", -1, correction=CORRECTION, comment="wrong menu")
    store.put_feedback("b", 1)  # praise without a correction: nothing to train on
    return store


@pytest.fixture
def source(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    tickets = [json.loads(line) for line in (REPO_ROOT / "data" / "raw" / "tickets.jsonl").read_text().splitlines()]
    (folder / "tickets.jsonl").write_text("".join(json.dumps(t) + "\n" for t in tickets[:12]))
    (folder / ".hidden").write_text("not data")
    return folder


def test_only_corrections_become_training_tickets(store):
    tickets = corrections(store)
    assert [t["id"] for t in tickets] == ["feedback-a"]
    assert {key: tickets[0][key] for key in ("type", "split", "question", "answer")} == {
        "type": "ticket", "split": "train", "question": QUESTION, "answer": CORRECTION}


def test_a_data_version_copies_the_source_and_adds_the_corrections(store, source, tmp_path):
    version = new_data_version(str(source), store, tmp_path / "versions", now=1_796_000_000)
    assert version.name == "v20261130-005320"
    assert (version / "tickets.jsonl").read_text() == (source / "tickets.jsonl").read_text()  # same paths
    assert not (version / ".hidden").exists()
    lines = (version / CORRECTIONS_FILE).read_text().splitlines()
    assert [json.loads(line)["answer"] for line in lines] == [CORRECTION]
    with pytest.raises(RetrainError, match="exists already"):
        new_data_version(str(source), store, tmp_path / "versions", now=1_796_000_000)
    with pytest.raises(RetrainError, match="retrain from the original data"):  # a version is not a source
        new_data_version(str(version), store, tmp_path / "versions")


@pytest.mark.parametrize("source, message", [
    ("s3://bucket/raw", "merged into a local data source"), ("/no/such/folder", "data source not found"),
])
def test_sources_a_version_cannot_be_made_from_say_why(store, source, message, tmp_path):
    with pytest.raises(RetrainError, match=message):
        new_data_version(source, store, tmp_path / "versions")


def test_no_corrections_no_retraining(tmp_path, source):
    store = EventStore(tmp_path / "empty.sqlite")
    with pytest.raises(RetrainError, match="no feedback with a correction"):
        new_data_version(str(source), store, tmp_path / "versions")


def test_data_prep_reads_the_version_with_the_corrections_as_training_tickets(embedded_db, store, source, tmp_path):
    version = new_data_version(str(source), store, tmp_path / "versions")
    run = load_project(REPO_ROOT).run_function("data-prep", params={"source": str(version)}, local=True)
    dataset = mlrun.get_dataitem(run.outputs["dataset"]).as_df().set_index("id")
    assert run.status.results["rows_dropped"] == 0 and len(dataset) == 13
    corrected = dataset.loc["feedback-a"]
    assert (corrected.type, corrected.split, corrected.text, corrected.answer) == ("ticket", "train", QUESTION,
                                                                                  CORRECTION)
