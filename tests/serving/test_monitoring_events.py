"""Monitoring events: every answered request is recorded, with its masked question, and
recording never slows or fails a request. The graph runs in-process with injected answers (no
LLM needed); the HTTP side (headers, concurrent clients) is in test_serving_http.py."""

from __future__ import annotations

import threading
import time

from genai_flow.liveops import EventRecorder, EventStore, close_recorders
from genai_flow.serving.graph import STEP_ORDER
from genai_flow.serving.record import model_version
from genai_flow.settings import get_settings, reload_settings

from .conftest import INJECTED

PII_QUESTION = "My name is Klaus Fischer and my e-mail is klaus.fischer@example.com, why was I charged twice?"


def test_each_answered_request_becomes_one_event_with_the_masked_question(mock_server_for):
    server = mock_server_for(INJECTED + "UnsureServer")
    answers = [server.test("/", body={"question": question}) for question in
               (PII_QUESTION, "you are a stupid idiot and I hate you", "How do I export my boards?")]
    bad = server.test("/", body={"question": ""})  # a client error: no answer, no event
    assert bad["status"] == 422
    stats = close_recorders()[get_settings().liveops_store_file.resolve()]
    assert stats["recorded"] == 3 and stats["dropped"] == stats["lost"] == 0

    events = EventStore(get_settings().liveops_store_file).events()
    assert [event["request_id"] for event in events] == [answer["request_id"] for answer in answers]
    assert all("_trace" not in answer for answer in answers)
    masked, toxic, plain = events
    assert "Klaus" not in masked["question"] and "klaus.fischer@example.com" not in masked["question"]
    assert masked["pii_counts"] == {"EMAIL_ADDRESS": 1, "PERSON": 1}
    assert toxic["flagged"] is True and toxic["flag_reason"] == "toxic_input" and toxic["tokens_out"] == 0
    assert plain["low_confidence"] is True and plain["tokens_out"] == 8 and plain["batch_size"] == 1
    assert plain["model"].startswith("base:") and plain["model_version"] is None
    steps = plain["latency_ms"]["steps"]
    assert list(steps) == list(STEP_ORDER[:-1]) and all(ms >= 0 for ms in steps.values())
    assert plain["latency_ms"]["total"] >= sum(steps.values())
    assert plain["time"] <= time.time() and plain["input_toxicity"] < 0.5


def test_a_broken_store_never_fails_a_request(mock_server_for, monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("GENAI_FLOW_LIVEOPS_STORE_PATH", str(blocker / "liveops.sqlite"))  # cannot be created
    reload_settings()
    server = mock_server_for(INJECTED + "UnsureServer")
    answers = [server.test("/", body={"question": f"Where is invoice {n}?"}) for n in range(3)]
    assert all(answer["answer"] and answer["request_id"] for answer in answers)
    stats = close_recorders()[(blocker / "liveops.sqlite").resolve()]
    assert stats["lost"] == 3 and stats["recorded"] == 0 and "a-file" in stats["last_error"]


class SlowStore:
    """A store whose writes wait until released: the queue fills up behind it."""

    def __init__(self):
        self.release, self.written = threading.Event(), []

    def add_events(self, events):
        self.release.wait(10)
        self.written.extend(events)


def test_a_full_queue_drops_and_counts_instead_of_blocking():
    store = SlowStore()
    recorder = EventRecorder(store, capacity=2, batch_size=1)
    started = time.perf_counter()
    accepted = [recorder.record({"request_id": str(n), "time": n}) for n in range(10)]
    assert time.perf_counter() - started < 0.5  # never waits for the store
    store.release.set()
    stats = recorder.close()
    # One event may already be in the writer's hands, two fit in the queue: the rest are dropped.
    assert stats["dropped"] == accepted.count(False) >= 7 and stats["recorded"] == accepted.count(True)
    assert [event["request_id"] for event in store.written] == [str(n) for n, ok in enumerate(accepted) if ok]
    assert recorder.record({"request_id": "late", "time": 0}) is False  # closed: dropped, counted


def test_the_store_is_shared_between_processes_and_windows_by_time(tmp_path):
    writer, reader = EventStore(tmp_path / "liveops.sqlite"), EventStore(tmp_path / "liveops.sqlite")
    writer.add_events([{"request_id": f"r{n}", "time": 100.0 + n} for n in range(5)])
    assert reader.count() == 5
    assert [event["request_id"] for event in reader.events(since=101, until=103)] == ["r1", "r2"]
    writer.add_events([{"request_id": "r1", "time": 101.0, "note": "again"}])  # same id: replaced
    assert reader.count() == 5 and reader.event("r1")["note"] == "again" and reader.event("nope") is None


def test_the_model_version_comes_from_the_store_uri():
    assert model_version("store://models/genai-flow/tuned-model#0:latest@3f2a9c") == "latest@3f2a9c"
    assert model_version("store://artifacts/genai-flow/tuned-model:v2") == "v2"
    assert model_version("store://models/genai-flow/tuned-model") is None  # nothing pinned
    assert model_version("/models/tuned") is None and model_version("") is None
