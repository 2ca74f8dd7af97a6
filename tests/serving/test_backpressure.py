"""Backpressure over a real socket: a bounded number of answers in progress, a deadline each,
and a server that refuses to be exposed beyond this machine without a token."""

from __future__ import annotations

import concurrent.futures
import time

import httpx
import pytest

from ..helpers import run_cli
from .test_serving_http import _start_server, _stop


@pytest.fixture(scope="module")
def slow_endpoint(tmp_path_factory):
    """A model that takes max_new_tokens / 10 s; two answers at once, 3 s each at most."""
    process, url = _start_server(
        tmp_path_factory.mktemp("slow"), "--model-class", "tests.assets.serving.injected_models.SlowServer",
        env={"GENAI_FLOW_SERVING_MAX_IN_FLIGHT": "2", "GENAI_FLOW_SERVING_REQUEST_TIMEOUT_S": "3",
             "GENAI_FLOW_SERVING_MAX_BATCH_SIZE": "1"},
    )
    yield url
    _stop(process)


def test_beyond_the_limit_requests_are_refused_at_once_with_retry_after(slow_endpoint):
    # First use loads spaCy and the guard: out of the timed part.
    assert httpx.post(slow_endpoint, json={"question": "Hi there", "max_new_tokens": 1}, timeout=60).status_code == 200

    def ask(_):
        started = time.monotonic()
        response = httpx.post(slow_endpoint, json={"question": "How do I export my boards?", "max_new_tokens": 10},
                              timeout=30)
        return response, time.monotonic() - started

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        results = list(pool.map(ask, range(6)))
    answered = [r for r, _ in results if r.status_code == 200]
    refused = [(r, seconds) for r, seconds in results if r.status_code == 503]
    assert len(answered) + len(refused) == 6, [r.status_code for r, _ in results]
    assert 2 <= len(answered) <= 4 and refused
    for response, seconds in refused:
        assert response.headers["retry-after"] == "1" and "busy" in response.json()["error"]
        assert seconds < 1.0  # turned away at once, not after waiting in a queue
    # The OpenAI route shares the limit and says so as an OpenAI error.
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        chats = list(pool.map(lambda _: httpx.post(slow_endpoint + "v1/chat/completions", timeout=30, json={
            "model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": "How do I export?"}]}), range(4)))
    busy = [r for r in chats if r.status_code == 503]
    assert busy and all(r.json()["error"]["type"] == "service_unavailable" for r in busy)


def test_a_request_past_its_deadline_gets_504_and_frees_its_slot(slow_endpoint):
    late = httpx.post(slow_endpoint, json={"question": "How do I export my boards?", "max_new_tokens": 50}, timeout=30)
    assert late.status_code == 504 and "no answer within 3 s" in late.json()["error"]
    time.sleep(2.5)  # the model finishes the late answer; nobody waits for it
    assert httpx.post(slow_endpoint, json={"question": "How do I export my boards?", "max_new_tokens": 5},
                      timeout=30).status_code == 200
    assert httpx.get(slow_endpoint + "health").status_code == 200


def test_the_server_will_not_listen_beyond_this_machine_without_a_token():
    refused = run_cli("serve", "--host", "0.0.0.0", "--port", "1", check=False,
                      env={"GENAI_FLOW_SERVING_AUTH_TOKEN": ""})
    assert refused.returncode == 2 and "without a bearer token" in refused.stderr and "--insecure" in refused.stderr


def test_a_server_killed_mid_request_starts_again_and_serves(tmp_path):
    import signal
    import threading

    from genai_flow.liveops import EventStore

    model = ("--model-class", "tests.assets.serving.injected_models.SlowServer")
    process, url = _start_server(tmp_path, *model)
    answered = httpx.post(url, json={"question": "How do I export my boards?", "max_new_tokens": 1}, timeout=30)
    outcome = {}

    def ask_slowly():
        try:
            outcome["response"] = httpx.post(url, json={"question": "Still there?", "max_new_tokens": 100}, timeout=30)
        except httpx.HTTPError as error:
            outcome["error"] = error

    asking = threading.Thread(target=ask_slowly)
    asking.start()
    time.sleep(2)  # the slow answer is being generated
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    asking.join(timeout=30)
    assert "error" in outcome  # the client sees the connection go, not a hang

    again, url = _start_server(tmp_path, *model)  # the same folder: run DB, LiveOps store
    try:
        second = httpx.post(url, json={"question": "How do I export my boards?", "max_new_tokens": 1}, timeout=30)
        assert second.status_code == 200
        store = EventStore(tmp_path / "liveops.sqlite")
        deadline = time.monotonic() + 30
        while store.event(second.json()["request_id"]) is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert store.event(second.json()["request_id"]) is not None  # the store still takes events
        assert store.event(answered.json()["request_id"]) is not None  # and kept what was written before
    finally:
        _stop(again)
