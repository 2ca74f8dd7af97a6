"""The serving graph run in-process through MLRun's mock server (the real async storey flow),
and the cluster spec of the `serving` function."""

from __future__ import annotations

import pytest

from genai_flow.model_loading import plan_load
from genai_flow.project import load_project
from genai_flow.serving.graph import LLM_SERVER_CLASS, STEP_ORDER, build_graph
from genai_flow.serving.llm_server import LLMModelServer
from genai_flow.settings import get_settings, reload_settings

from ..assets.serving import injected_models
from ..helpers import REPO_ROOT

INJECTED = "tests.assets.serving.injected_models."


@pytest.mark.slow
def test_a_question_is_answered_by_the_real_model(mock_server_for):
    injected_models.CALLS["generate"] = 0
    server = mock_server_for(INJECTED + "CountingServer")
    answer = server.test("/", body={"question": "How do I reset my password?", "max_new_tokens": 16})
    assert set(answer) >= {"answer", "confidence", "flagged", "flag_reason", "low_confidence", "sources"}
    assert answer["flagged"] is False and answer["flag_reason"] is None
    assert 0.0 <= answer["confidence"] <= 1.0 and answer["answer"]
    assert injected_models.CALLS["generate"] == 1

    # A toxic question is refused before the model is called.
    refused = server.test("/", body={"question": "you are a stupid idiot and I hate you"})
    assert refused["flagged"] is True and refused["flag_reason"] == "toxic_input"
    assert injected_models.CALLS["generate"] == 1


def test_a_toxic_answer_is_replaced_by_a_refusal(mock_server_for):
    server = mock_server_for(INJECTED + "ToxicAnswerServer")
    answer = server.test("/", body={"question": "What plans do you offer?"})
    assert answer["flagged"] is True and answer["flag_reason"] == "toxic_output"
    assert "idiot" not in answer["answer"]


def test_low_confidence_gives_the_fallback_answer(mock_server_for):
    server = mock_server_for(INJECTED + "UnsureServer")
    answer = server.test("/", body={"question": "Why is the sky blue?"})
    assert answer["low_confidence"] is True and answer["flagged"] is False
    assert answer["confidence"] < get_settings().serving_min_confidence
    assert "won't guess" in answer["answer"]


def test_step_failures_become_json_errors(mock_server_for):
    server = mock_server_for(INJECTED + "BrokenServer")
    error = server.test("/", body={"question": "Anything?"})
    assert error["status"] == 500 and "GPU fell off the bus" in error["error"]
    bad = server.test("/", body={"question": 42})
    assert bad["status"] == 422 and "question" in bad["error"]


def test_the_guard_fails_closed_when_the_classifier_cannot_load(mock_server_for, monkeypatch, tmp_path):
    monkeypatch.setenv("GENAI_FLOW_TOXICITY_BACKEND", "transformers")
    monkeypatch.setenv("GENAI_FLOW_TOXICITY_MODEL", str(tmp_path / "no-such-classifier"))
    reload_settings()
    server = mock_server_for(INJECTED + "ToxicAnswerServer")
    withheld = server.test("/", body={"question": "What plans do you offer?"})
    assert withheld["status"] == 503 and "withheld" in withheld["error"]


# --- the cluster spec (what project.deploy_function would send to Nuclio) ---------------------
@pytest.fixture
def serving_spec(embedded_db):
    return load_project(REPO_ROOT).get_function("serving")


def test_spec_graph_is_an_async_flow_in_order(serving_spec):
    from mlrun.serving.states import RootFlowStep

    graph = serving_spec.spec.graph
    assert isinstance(graph, RootFlowStep) and graph.engine == "async"  # topology "flow"
    order, step = [], graph.steps["preprocess"]
    while step is not None:
        order.append(step.name)
        step = next((s for s in graph.steps.values() if step.name in (s.after or [])), None)
    assert tuple(order) == STEP_ORDER
    assert graph.steps["record"].responder is True
    assert graph.on_error == "error"


def test_spec_monitoring_is_mlruns_tracking_on_a_cluster_and_the_local_store_here(serving_spec):
    # Built as for a cluster: MLRun's model monitoring tracks the function, no local store.
    build_graph(serving_spec, cluster=True)
    assert serving_spec.spec.track_models is True and serving_spec.spec.graph.track_models is True
    assert serving_spec.spec.graph.steps["record"].class_args["store"] is None
    # Local mode (the default here): the record step writes the LiveOps store next to the run DB.
    local = load_project(REPO_ROOT).get_function("serving")
    build_graph(local)
    assert not local.spec.track_models
    assert local.spec.graph.steps["record"].class_args["store"] == str(get_settings().liveops_store_file)


def test_spec_model_server_is_the_llm_server_with_8bit(serving_spec):
    step = serving_spec.spec.graph.steps["llm-server"]
    assert step.class_args["model_class"] == LLM_SERVER_CLASS
    assert step.class_args["quantization"] == "8bit"
    from mlrun.serving.v2_serving import V2ModelServer

    assert issubclass(LLMModelServer, V2ModelServer)


def test_spec_gpu_limit_and_readiness_timeout(serving_spec):
    assert serving_spec.spec.resources["limits"]["nvidia.com/gpu"] == 1
    assert serving_spec.spec.readiness_timeout == 3000
    assert serving_spec.spec.build.base_image == "mlrun/mlrun-gpu:1.12.1"


def test_spec_simulated_cuda_load_args_are_the_seeds():
    # What LLMModelServer passes to from_pretrained on a CUDA machine (no GPU here).
    plan = plan_load("8bit", trust_remote_code=get_settings().trust_remote_code, cuda=True)
    assert plan.kwargs["quantization_config"].load_in_8bit is True
    # A hub model's own code runs only if the user sets GENAI_FLOW_TRUST_REMOTE_CODE=true.
    assert plan.kwargs["device_map"] == "cuda:0" and plan.kwargs["trust_remote_code"] is False


def test_the_input_guard_reuses_the_question_embedding(mock_server_for, monkeypatch):
    # A spy on the real embedding model: each request embeds its question once, for the
    # toxicity guard and for retrieval together; the answer is embedded once by the output guard.
    from sentence_transformers import SentenceTransformer

    calls = []
    encode = SentenceTransformer.encode

    def counting_encode(self, sentences, *args, **kwargs):
        calls.append(list(sentences) if isinstance(sentences, (list, tuple)) else [sentences])
        return encode(self, sentences, *args, **kwargs)

    server = mock_server_for(INJECTED + "UnsureServer")
    server.test("/", body={"question": "How do I export my projects to CSV?"})  # loads everything
    monkeypatch.setattr(SentenceTransformer, "encode", counting_encode)
    server.test("/", body={"question": "Where do I change the invoice address?"})
    assert calls[0] == ["Where do I change the invoice address?"]  # one text: guard and retrieval
    assert len(calls) == 2, calls  # + the answer, screened by the toxicity filter


@pytest.mark.slow
def test_the_serving_prompt_setting_picks_a_library_prompt_and_answers_name_it(mock_server_for, monkeypatch):
    from genai_flow.prompt_library import get_prompt

    alternative = get_prompt("question-first")
    monkeypatch.setenv("GENAI_FLOW_SERVING_PROMPT", "question-first")
    reload_settings()
    server = mock_server_for(INJECTED + "CountingServer")
    answer = server.test("/", body={"question": "How do I reset my password?", "max_new_tokens": 4})
    assert answer["prompt_version"] == alternative.version != get_prompt("subject-content").version

    spec = load_project(REPO_ROOT).get_function("serving")
    build_graph(spec)
    prompt = spec.spec.graph.steps["llm-server"].class_args["prompt"]  # what a cluster would answer with
    assert prompt["key"] == "question-first" and prompt["template"] == alternative.template.to_dict()
    monkeypatch.setenv("GENAI_FLOW_SERVING_PROMPT", "question-first@000000000000")
    reload_settings()
    with pytest.raises(KeyError, match="is at version"):
        build_graph(spec)


def test_by_default_the_model_answers_with_its_own_prompt(serving_spec):
    assert serving_spec.spec.graph.steps["llm-server"].class_args["prompt"] is None


def test_cluster_parity_mlruns_openai_frontend_and_streaming_in_the_mock_server(embedded_db, monkeypatch, tmp_path):
    """The function as built for a cluster (Nuclio is out of reach here: MLRun's mock server runs
    its graph, API handler step included)."""
    import json

    monkeypatch.setenv("GENAI_FLOW_CHROMA_PATH", str(tmp_path / "chroma"))
    monkeypatch.setenv("GENAI_FLOW_LIVEOPS_RECORD", "false")  # no model-monitoring stream to reach
    reload_settings()
    function = load_project(REPO_ROOT).get_function("serving")
    for _ in range(2):  # rebuilding gives the same routes
        build_graph(function, "", INJECTED + "ToxicTailServer", cluster=True)
    routes = function.spec.api_handler_config["endpoints"]
    allowed = {key for key, route in routes.items() if route["action"] == "allow"}
    assert allowed == {"POST:/", "POST:/v1/chat/completions"}
    assert len(routes) > 2 and function.spec.streaming is True  # the stored-completion routes: forbidden
    outputs = [m["source_path"] for m in routes["POST:/v1/chat/completions"]["output_body_mappings"]["mappings"]]
    assert "$.genai_flow" in outputs and "$.choices" in outputs
    assert function.spec.graph.steps["preprocess"].after == ["api-handler"]

    server = function.to_mock_server()
    try:
        native = server.test("/", body={"question": "How do I export my boards?"})
        assert native["flag_reason"] == "toxic_output" and "choices" not in native
        question = {"model": "genai-flow", "messages": [{"role": "user", "content": "How do I export my boards?"}]}
        reply = server.test("/v1/chat/completions", body=question)
        assert reply["object"] == "chat.completion" and reply["id"] == "chatcmpl-" + reply["genai_flow"]["request_id"]
        assert reply["choices"][0]["finish_reason"] == "content_filter"
        assert "idiot" not in reply["choices"][0]["message"]["content"]
        events = list(server.test("/v1/chat/completions", body={**question, "stream": True}))
        assert events[-1] == "data: [DONE]\n\n" and all(event.startswith("data: ") for event in events)
        chunks = [json.loads(event[len("data: "):]) for event in events[:-1]]
        assert {chunk["object"] for chunk in chunks} == {"chat.completion.chunk"}
        text = "".join(chunk["choices"][0]["delta"].get("content", "") for chunk in chunks)
        assert text == reply["choices"][0]["message"]["content"]
        assert chunks[-1]["choices"][0]["finish_reason"] == "content_filter" and "idiot" not in json.dumps(chunks)
        # A stored-completion route is refused (MLRun's output check turns the graph's error
        # answer into a 422: on a cluster, errors on /v1 lose their own status and message).
        with pytest.raises(RuntimeError, match=r"failed \(4\d\d\)"):
            server.test("/v1/chat/completions", method="GET")
    finally:
        server.wait_for_completion()
        monkeypatch.undo()
        reload_settings()
