"""The local HTTP host over a real socket: `genai-flow serve` started as a separate process."""

from __future__ import annotations

import concurrent.futures
import json
import os
import subprocess
import sys
import time

import httpx
import openai
import pytest

from genai_flow.liveops import EventStore
from genai_flow.local_mode.server_process import DeployError, wait_healthy

from ..helpers import REPO_ROOT, free_port, run_cli


def _start_server(tmp_path, *extra_args, env=None):
    port = free_port()
    full_env = {
        **os.environ,
        "MLRUN_DBPATH": str(tmp_path / "rundb.sqlite"),
        "GENAI_FLOW_RUNDB_PATH": str(tmp_path / "rundb.sqlite"),
        "GENAI_FLOW_ARTIFACT_PATH": str(tmp_path / "artifacts"),
        "GENAI_FLOW_CHROMA_PATH": str(tmp_path / "chroma"),
        **(env or {}),
    }
    # The server's output goes to a file: a pipe nobody reads fills up (64 KiB of access log)
    # and then blocks the server's event loop on its next log line.
    tmp_path.mkdir(parents=True, exist_ok=True)
    log_path = tmp_path / f"server-{port}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "genai_flow.cli", "serve", "--port", str(port), *extra_args],
            cwd=REPO_ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT,
        )
    process.log_path = log_path
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_healthy(url, timeout_s=300, process=process)
    except DeployError as error:
        process.kill()
        raise AssertionError(f"{error}\n{log_path.read_text(errors='replace')[-3000:]}") from None
    return process, url


def _stop(process):
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def serving_folder(tmp_path_factory):
    """The endpoint's run DB, artifacts and LiveOps store (``liveops.sqlite``)."""
    return tmp_path_factory.mktemp("serving")


@pytest.fixture(scope="module")
def endpoint(serving_folder):
    """The base model behind the real graph and HTTP server."""
    process, url = _start_server(serving_folder)
    yield url
    _stop(process)


@pytest.fixture(scope="module")
def guarded_endpoint(tmp_path_factory):
    """A server whose model slips an insult between two helpful sentences, behind a bearer token."""
    process, url = _start_server(
        tmp_path_factory.mktemp("guarded"),
        "--model-class", "tests.assets.serving.injected_models.ToxicTailServer",
        env={"GENAI_FLOW_SERVING_AUTH_TOKEN": "s3cret"},
    )
    yield url
    _stop(process)


def test_health_and_a_good_request(endpoint):
    assert httpx.get(endpoint + "health").json()["status"] == "ok"
    response = httpx.post(endpoint, json={"question": "How do I export my boards?", "max_new_tokens": 16}, timeout=120)
    assert response.status_code == 200
    answer = response.json()
    assert answer["answer"] and 0 <= answer["confidence"] <= 1
    assert answer["flagged"] is False and answer["flag_reason"] is None and "sources" in answer


def test_a_toxic_question_is_refused(endpoint):
    answer = httpx.post(endpoint, json={"question": "you are a stupid idiot and I hate you"}, timeout=60).json()
    assert answer["flagged"] is True and answer["flag_reason"] == "toxic_input"


BAD_INPUTS = [
    ("invalid JSON", b'{"question": ', 400, "not valid JSON"),
    ("invalid UTF-8", b'{"question": "caf\xe9"}', 400, "not valid UTF-8"),
    ("JSON array", b"[1, 2, 3]", 400, "JSON object"),
    ("JSON string", b'"just a string"', 400, "JSON object"),
    ("missing question", b'{"subject": "hi"}', 422, "question"),
    ("question not a string", b'{"question": 42}', 422, "question"),
    ("question null", b'{"question": null}', 422, "question"),
    ("empty question", b'{"question": "   "}', 422, "must not be empty"),
    ("question too long", json.dumps({"question": "x" * 5000}).encode(), 422, "longer than"),
    ("subject not a string", b'{"question": "hi", "subject": ["a"]}', 422, "subject"),
    ("max_new_tokens not an int", b'{"question": "hi", "max_new_tokens": "ten"}', 422, "max_new_tokens"),
    ("max_new_tokens a bool", b'{"question": "hi", "max_new_tokens": true}', 422, "max_new_tokens"),
    ("max_new_tokens out of range", b'{"question": "hi", "max_new_tokens": 100000}', 422, "between"),
    ("max_new_tokens zero", b'{"question": "hi", "max_new_tokens": 0}', 422, "between"),
    ("body over 64 KiB", b'{"question": "' + b"a" * 70000 + b'"}', 413, "larger than"),
    ("nested 30,000 deep", b"[" * 30000 + b"]" * 30000, 400, "nested too deeply"),
    ("nested in the question", b'{"question": ' + b"[" * 30000 + b"]" * 30000 + b"}", 400, "nested too deeply"),
    ("lone surrogate", b'{"question": "\\ud800 hello"}', 400, "lone surrogate"),
    ("an integer of 5,000 digits", b'{"question": "hi", "max_new_tokens": ' + b"9" * 5000 + b"}", 400, "4300 digits"),
]


@pytest.mark.parametrize("name, body, status, message", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_gets_a_4xx_json_error(endpoint, name, body, status, message):
    response = httpx.post(endpoint, content=body, headers={"Content-Type": "application/json"}, timeout=60)
    assert response.status_code == status
    assert message in response.json()["error"]


def test_wrong_method_and_path_are_json_errors_and_the_server_keeps_serving(endpoint):
    assert httpx.get(endpoint).status_code == 405 and "error" in httpx.get(endpoint).json()
    assert httpx.put(endpoint, json={"question": "hi"}).status_code == 405
    assert httpx.get(endpoint + "nope").status_code == 404
    assert httpx.get(endpoint + "health").status_code == 200


def test_sixteen_parallel_requests_are_all_answered_and_recorded(endpoint, serving_folder):
    def ask(i):
        return httpx.post(endpoint, json={"question": f"What does error ORB-{4000 + i} mean?", "max_new_tokens": 12},
                          timeout=300)

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        responses = list(pool.map(ask, range(16)))
    assert [r.status_code for r in responses] == [200] * 16
    assert all(r.json()["answer"] for r in responses)
    # Each answer has its own request id, in the body and the header, and its monitoring event
    # reaches the store (written in the background, read here by another process).
    ids = [r.json()["request_id"] for r in responses]
    assert [r.headers["x-request-id"] for r in responses] == ids and len(set(ids)) == 16
    events = _events_for(serving_folder / "liveops.sqlite", ids)
    assert [event["question"] for event in events] == [f"What does error ORB-{4000 + i} mean?" for i in range(16)]
    assert all(event["tokens_out"] > 0 and event["tokens_in"] > event["tokens_out"] for event in events)
    assert all(1 <= event["batch_size"] <= 16 and event["prompt_version"] for event in events)
    assert max(event["batch_size"] for event in events) > 1  # concurrent requests were batched


def _events_for(store_file, request_ids, timeout_s=30.0):
    """The stored events of ``request_ids``, in that order, once all are there."""
    store, deadline = EventStore(store_file), time.monotonic() + timeout_s
    while True:
        events = [store.event(request_id) for request_id in request_ids]
        if all(events) or time.monotonic() > deadline:
            assert all(events), f"{sum(map(bool, events))} of {len(events)} events recorded"
            return events
        time.sleep(0.2)


def test_ask_command_prints_the_answer_plain_and_streamed(endpoint):
    result = run_cli("ask", "--url", endpoint, "you are a stupid idiot and I hate you", "--json")
    assert json.loads(result.stdout)["flag_reason"] == "toxic_input"
    streamed = run_cli("ask", "--url", endpoint, "--stream", "you are a stupid idiot and I hate you")
    assert streamed.stdout.strip() == json.loads(result.stdout)["answer"] and "flagged: toxic_input" in streamed.stderr


def test_bearer_token_is_required_when_configured(guarded_endpoint):
    assert httpx.post(guarded_endpoint, json={"question": "hi"}).status_code == 401
    wrong = httpx.post(guarded_endpoint, json={"question": "hi"}, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and "token" in wrong.json()["error"]


def test_a_toxic_answer_is_replaced_over_http(guarded_endpoint):
    response = httpx.post(guarded_endpoint, json={"question": "What plans do you offer?"},
                          headers={"Authorization": "Bearer s3cret"}, timeout=60)
    answer = response.json()
    assert response.status_code == 200
    assert answer["flagged"] is True and answer["flag_reason"] == "toxic_output"
    assert "idiot" not in answer["answer"]


def test_the_openai_sdk_gets_guarded_completions_and_openai_errors(endpoint):
    client = openai.OpenAI(base_url=endpoint + "v1", api_key="any key: no token is set", max_retries=0, timeout=120)
    (model,) = client.models.list().data
    assert model.id == "genai-flow-base" and model.owned_by == "genai-flow"
    reply = client.chat.completions.create(
        model=model.id, max_tokens=16,
        messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"},
                  {"role": "assistant", "content": "Hello!"},
                  {"role": "user", "content": [{"type": "text", "text": "How do I export my boards?"}]}])
    (choice,) = reply.choices
    assert reply.object == "chat.completion" and reply.model == model.id
    assert choice.message.role == "assistant" and choice.message.content and choice.finish_reason == "stop"
    assert reply.usage.prompt_tokens > 20 and 0 < reply.usage.completion_tokens <= 16
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens
    extra = reply.to_dict()["genai_flow"]
    assert reply.id == "chatcmpl-" + extra["request_id"] and 0 <= extra["confidence"] <= 1
    assert extra["flagged"] is False and "sources" in extra

    # The same input guard as POST /: refused before the model, a content_filter finish.
    refused = client.chat.completions.create(
        model=model.id, messages=[{"role": "user", "content": "you are a stupid idiot and I hate you"}])
    assert refused.choices[0].finish_reason == "content_filter" and refused.usage.completion_tokens == 0
    assert refused.to_dict()["genai_flow"]["flag_reason"] == "toxic_input"
    text = client.completions.create(model=model.id, prompt="How do I export my boards?", max_tokens=8)
    assert text.object == "text_completion" and text.choices[0].text and text.usage.completion_tokens <= 8

    # Bad requests: OpenAI error objects the SDK raises as 4xx errors; the server keeps serving.
    with pytest.raises(openai.BadRequestError, match="must contain a user message"):
        client.chat.completions.create(model=model.id, messages=[{"role": "system", "content": "hi"}])
    with pytest.raises(openai.UnprocessableEntityError, match="max_new_tokens"):
        client.chat.completions.create(model=model.id, messages=[{"role": "user", "content": "hi"}], max_tokens=10**6)
    with pytest.raises(openai.BadRequestError, match="stream must be true or false"):
        client.chat.completions.create(model=model.id, messages=[{"role": "user", "content": "hi"}], stream="yes")
    bad = httpx.post(endpoint + "v1/chat/completions", content=b"{", headers={"Content-Type": "application/json"})
    assert bad.status_code == 400 and bad.json()["error"]["type"] == "invalid_request_error"
    assert httpx.get(endpoint + "health").status_code == 200


def test_the_openai_api_key_is_the_bearer_token_and_a_toxic_answer_is_filtered(guarded_endpoint):
    messages = [{"role": "user", "content": "What plans do you offer?"}]
    with pytest.raises(openai.AuthenticationError, match="bearer token"):
        openai.OpenAI(base_url=guarded_endpoint + "v1", api_key="nope", max_retries=0).chat.completions.create(
            model="genai-flow", messages=messages)
    client = openai.OpenAI(base_url=guarded_endpoint + "v1", api_key="s3cret", max_retries=0, timeout=60)
    reply = client.chat.completions.create(model="genai-flow", messages=messages)
    assert reply.choices[0].finish_reason == "content_filter" and "idiot" not in reply.choices[0].message.content
    assert reply.to_dict()["genai_flow"]["flag_reason"] == "toxic_output"


def _streamed(client, **request):
    """A streamed chat completion's chunks, its text and its last choice chunk's extras."""
    chunks = list(client.chat.completions.create(model="genai-flow", stream=True, **request))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    (last,) = [c for c in chunks if c.choices and c.choices[0].finish_reason]
    return chunks, text, last


def test_a_streamed_answer_is_the_plain_answer_sent_as_it_grows(endpoint):
    client = openai.OpenAI(base_url=endpoint + "v1", api_key="none", max_retries=0, timeout=120)
    messages = [{"role": "user", "content": "How do I change my notification settings?"}]
    plain = client.chat.completions.create(model="genai-flow", messages=messages, max_tokens=40)
    chunks, text, last = _streamed(client, messages=messages, max_tokens=40, stream_options={"include_usage": True})
    assert chunks[0].choices[0].delta.role == "assistant" and chunks[-1].usage is not None
    extra = last.to_dict()["genai_flow"]
    assert last.id == "chatcmpl-" + extra["request_id"]
    assert last.choices[0].finish_reason == plain.choices[0].finish_reason
    # Greedy decoding: the same tokens; sent a sentence at a time, whole by the end.
    assert extra["answer"] == plain.choices[0].message.content
    if not (extra["low_confidence"] or extra["flagged"]):  # else a guard replaced what was streamed
        assert text == plain.choices[0].message.content
        assert len([c for c in chunks if c.choices and c.choices[0].delta.content]) >= 1
    assert chunks[-1].usage.completion_tokens == plain.usage.completion_tokens

    # A toxic question: refused before the model, the refusal streamed, a content_filter finish.
    toxic = [{"role": "user", "content": "you are a stupid idiot and I hate you"}]
    chunks, text, last = _streamed(client, messages=toxic)
    assert last.choices[0].finish_reason == "content_filter" and text == last.to_dict()["genai_flow"]["answer"]
    assert last.to_dict()["genai_flow"]["flag_reason"] == "toxic_input"


def test_a_stream_stops_before_a_toxic_sentence_and_never_sends_it(guarded_endpoint):
    client = openai.OpenAI(base_url=guarded_endpoint + "v1", api_key="s3cret", max_retries=0, timeout=60)
    chunks, text, last = _streamed(client, messages=[{"role": "user", "content": "How do I export my boards?"}])
    # The helpful first sentence went out; the insult and everything after it never did.
    assert text == "Open Settings and choose Export to download your boards."
    assert last.choices[0].finish_reason == "content_filter"
    extra = last.to_dict()["genai_flow"]
    assert extra["flag_reason"] == "toxic_output" and "idiot" not in extra["answer"]
    assert not any("idiot" in json.dumps(chunk.to_dict()) for chunk in chunks)


def _samples(url, **headers) -> dict:
    """``/metrics`` parsed as Prometheus text: {(name, sorted labels): value}."""
    from prometheus_client.parser import text_string_to_metric_families

    response = httpx.get(url + "metrics", headers=headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.text) for sample in family.samples}


def test_metrics_count_requests_refusals_tokens_and_latency(endpoint):
    before = _samples(endpoint)
    answered = httpx.post(endpoint, json={"question": "How do I export my boards?", "max_new_tokens": 8}, timeout=120)
    refused = httpx.post(endpoint, json={"question": "you are a stupid idiot and I hate you"}, timeout=60)
    httpx.post(endpoint, content=b"{", timeout=60)
    after = _samples(endpoint)

    def moved(name, **labels):
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    assert moved("genai_flow_http_requests_total", route="/", status="200") == 2
    assert moved("genai_flow_http_requests_total", route="/", status="400") == 1
    assert moved("genai_flow_answers_total") == 2
    assert moved("genai_flow_refusals_total", reason="toxic_input") == 1
    usage = answered.json()["usage"]
    assert moved("genai_flow_tokens_total", direction="out") == usage["completion_tokens"] > 0
    assert moved("genai_flow_tokens_total", direction="in") == usage["prompt_tokens"] > 0
    assert moved("genai_flow_step_latency_seconds_count", step="preprocess") == 2
    assert moved("genai_flow_step_latency_seconds_count", step="llm-server") == 2
    assert moved("genai_flow_graph_latency_seconds_count") == 2 and moved("genai_flow_graph_latency_seconds_sum") > 0
    assert moved("genai_flow_batch_size_count") == 1  # the refused question never reached the model
    assert refused.json()["flag_reason"] == "toxic_input"
    assert after[("genai_flow_model_load_seconds", ())] > 0
    assert ("genai_flow_generation_queue_depth", ()) in after


def test_the_metrics_need_the_token_and_docs_describe_every_route(guarded_endpoint):
    assert httpx.get(guarded_endpoint + "metrics").status_code == 401
    assert _samples(guarded_endpoint, Authorization="Bearer s3cret")[("genai_flow_model_load_seconds", ())] > 0
    docs = httpx.get(guarded_endpoint + "docs")
    assert docs.status_code == 200 and "/docs-assets/swagger-ui-bundle.js" in docs.text
    assert httpx.get(guarded_endpoint + "docs-assets/swagger-ui-bundle.js").status_code == 200  # served offline
    spec = httpx.get(guarded_endpoint + "openapi.json").json()
    assert set(spec["paths"]) >= {"/", "/feedback", "/health", "/metrics", "/v1/chat/completions", "/v1/completions",
                                  "/v1/models"}
    chat = spec["paths"]["/v1/chat/completions"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "messages" in chat["required"] and chat["properties"]["messages"]["items"]["properties"]["role"]
    ask = spec["paths"]["/"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert ask["required"] == ["question"] and "max_new_tokens" in ask["properties"]


def test_feedback_round_trip_replaces_earlier_feedback_and_masks_pii(endpoint, serving_folder, tmp_path):
    asked = httpx.post(endpoint, json={"question": "How do I export my boards?", "max_new_tokens": 12}, timeout=120)
    request_id = asked.json()["request_id"]
    first = httpx.post(endpoint + "feedback", timeout=60, json={
        "request_id": request_id, "rating": -1, "comment": "Wrong menu. Ask Jane Doe, jane.doe@example.com",
        "correction": "Open Settings > Export and choose CSV or JSON."})
    assert first.status_code == 200, first.text
    assert first.json()["rating"] == -1 and "jane.doe@example.com" not in first.json()["comment"]
    again = httpx.post(endpoint + "feedback", json={"request_id": request_id, "rating": 1}, timeout=60)
    assert again.status_code == 200 and again.json()["correction"] is None

    env = {"GENAI_FLOW_RUNDB_PATH": str(serving_folder / "rundb.sqlite")}  # the store sits beside it
    export = tmp_path / "feedback.csv"
    listed = json.loads(run_cli("feedback", "--json", "--export", str(export), env=env).stdout)
    mine = [row for row in listed if row["request_id"] == request_id]
    assert len(mine) == 1 and mine[0]["rating"] == 1  # replaced, not added
    assert mine[0]["question"] == "How do I export my boards?" and mine[0]["answer"] == asked.json()["answer"]
    assert export.read_text().splitlines()[0].startswith("request_id,time,rating,correction,comment")
    assert request_id[:12] in run_cli("feedback", env=env).stdout


BAD_FEEDBACK = [
    ("unknown request", {"request_id": "no-such-request", "rating": 1}, 404, "unknown request_id"),
    ("rating 2", {"request_id": "x", "rating": 2}, 422, "rating: must be 1"),
    ("rating as text", {"request_id": "x", "rating": "1"}, 422, "rating"),
    ("rating as bool", {"request_id": "x", "rating": True}, 422, "rating"),
    ("no request id", {"rating": 1}, 422, "request_id"),
    ("long correction", {"request_id": "x", "rating": -1, "correction": "a" * 4001}, 422, "correction: longer"),
    ("a list", [1, -1], 400, "must be a JSON object"),
]


@pytest.mark.parametrize("name, body, status, message", BAD_FEEDBACK, ids=[b[0] for b in BAD_FEEDBACK])
def test_bad_feedback_gets_a_4xx_json_error(endpoint, name, body, status, message):
    response = httpx.post(endpoint + "feedback", json=body, timeout=60)
    assert response.status_code == status and message in response.json()["error"], response.text
    malformed = httpx.post(endpoint + "feedback", content=b"{rating", headers={"Content-Type": "application/json"})
    assert malformed.status_code == 400 and "not valid JSON" in malformed.json()["error"]
    assert httpx.get(endpoint + "health").status_code == 200  # still serving


def test_a_killed_server_loses_only_the_events_still_queued(tmp_path):
    """SIGKILL: no flush runs. The store stays readable, and what is lost is only the tail
    that was still queued (events are written in order, so the recorded ones are a prefix)."""
    process, url = _start_server(tmp_path)
    try:
        ask = lambda n: httpx.post(url, json={"question": f"Where is invoice {n}?", "max_new_tokens": 4},  # noqa: E731
                                   timeout=120).json()["request_id"]
        sent = [ask(n) for n in range(5)]
        time.sleep(1.0)  # the writer drains continuously: these five are on disk by now
        sent += [ask(n) for n in range(5, 10)]
    finally:
        process.kill()  # SIGKILL, right after the last answer
        process.wait(timeout=60)
    events = EventStore(tmp_path / "liveops.sqlite").events()
    recorded = [event["request_id"] for event in events]
    assert recorded == sent[: len(recorded)] and len(recorded) >= 5, (len(recorded), len(sent))


# --- the monitor over what this server recorded ------------------------------------------------
LOG_REFERENCE = """
import json
import pandas as pd
from genai_flow.project import load_project
from genai_flow.monitor.reference import TRAINING_DATASET_KEY
rows = [json.loads(line) for line in open("data/raw/tickets.jsonl")]
frame = pd.DataFrame({"type": "ticket", "split": r["split"], "text": r["question"]} for r in rows)
load_project().log_dataset(TRAINING_DATASET_KEY, frame, format="parquet", index=False)
"""


def _send(endpoint, questions):
    def ask(question):
        return httpx.post(endpoint, json={"question": question, "max_new_tokens": 4}, timeout=300)

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(ask, questions))
    assert [r.status_code for r in responses] == [200] * len(questions)
    return [r.json()["request_id"] for r in responses]


def test_the_monitor_sees_the_windows_drift_feedback_and_risk(endpoint, serving_folder):
    """Two windows through the real server and the monitoring application (a local MLRun job):
    support questions do not drift, off-topic ones do. The reference stands in for the pii
    step's output: the training tickets' questions, logged under its key."""
    from ..liveops.test_drift import OFF_TOPIC, ON_TOPIC

    run_db = str(serving_folder / "rundb.sqlite")
    env = {"MLRUN_DBPATH": run_db, "GENAI_FLOW_RUNDB_PATH": run_db,
           "GENAI_FLOW_ARTIFACT_PATH": str(serving_folder / "artifacts"), "GENAI_FLOW_MONITOR_MIN_EVENTS": "20"}
    subprocess.run([sys.executable, "-c", LOG_REFERENCE], cwd=REPO_ROOT, env={**os.environ, **env}, check=True,
                   capture_output=True)
    store = serving_folder / "liveops.sqlite"

    refused = httpx.post(endpoint, json={"question": "you are a stupid idiot and I hate you"}, timeout=60).json()
    on_start = time.time()
    on_ids = _send(endpoint, ON_TOPIC)
    off_start = time.time()
    off_ids = _send(endpoint, OFF_TOPIC)
    _events_for(store, [refused["request_id"], *on_ids, *off_ids])
    httpx.post(endpoint + "feedback", json={"request_id": on_ids[0], "rating": -1, "correction": "Use Export."})

    on = json.loads(run_cli("monitor", "--since", str(on_start), "--until", str(off_start), "--json", env=env).stdout)
    off = json.loads(run_cli("monitor", "--since", str(off_start), "--json", env=env).stdout)
    assert on["requests"] == len(ON_TOPIC) and off["requests"] == len(OFF_TOPIC)
    assert on["drift"]["measured"] and not on["drift"]["drifted"] and on["drift"]["score"] < 0.1, on["drift"]
    assert off["drift"]["drifted"] and off["drift"]["score"] > 0.9, off["drift"]
    assert off["retrain"]["recommended"] and any("input drift" in r for r in off["retrain"]["reasons"])
    drift_alert = next(c for c in off["crossed"] if c["figure"] == "input_drift")
    assert drift_alert["status"] == "alert" and "unlike every training question" in drift_alert["reason"]

    # The whole hour: every recorded event, the feedback, and each figure with a status.
    hour = json.loads(run_cli("monitor", "--last", "1h", "--json", env=env).stdout)
    assert hour["requests"] == EventStore(store).count()
    assert hour["feedback"]["count"] >= 1 and hour["feedback"]["corrections"] >= 1
    assert hour["latency_ms"]["p95"] >= hour["latency_ms"]["p50"] > 0 and hour["tokens"]["out"] > 0
    assert hour["cost"]["per_1k_requests"] > 0 and hour["refusals_by_reason"]["toxic_input"] > 0
    for key in ("low_confidence_rate", "negative_feedback_rate", "pii_hit_rate", "withheld_rate"):
        assert 0 <= hour[key] <= 1, key
    statuses = {check["name"]: check["status"] for check in hour["checks"]}
    assert set(statuses.values()) <= {"ok", "warning", "alert", "no_data"}
    # This server has no knowledge base: no retrieval scores, and the monitor says "no data", not "ok".
    assert hour["weak_retrieval_rate"] is None and statuses["weak_retrieval_rate"] == "no_data"
    assert "LiveOps monitor" in open(hour["run"]["dashboard"], encoding="utf-8").read()
    runs = json.loads(run_cli("runs", "--json", env=env).stdout)
    monitor_runs = [r for r in runs if r["name"].startswith("liveops-monitor")]
    assert len(monitor_runs) == 3 and {r["state"] for r in monitor_runs} == {"completed"}
    results = {result["result_name"]: result for result in monitor_runs[0]["results"]["return"]}
    assert {"requests", "latency_p95_ms", "refusal_rate", "input_drift", "negative_feedback_rate"} <= set(results)
