"""Grounded answers over the real HTTP server: a real Chroma knowledge base (the smart-home test
articles, indexed with the packaged MiniLM), the real graph, and models whose answers we know
(an inventing model, a passage-copying model) or the real packaged SmolLM2.
"""

from __future__ import annotations

import httpx
import pytest

from genai_flow.embed import EmbedConfig, index_chunks, store_location
from genai_flow.model_loading import ModelConfig

from .test_serving_http import _start_server, _stop
from ..embed.test_embed import kb_frame

INJECTED = "tests.assets.serving.injected_models."
COLLECTION = "knowledge-base"  # the setting's default: the server reads it


@pytest.fixture(scope="module")
def knowledge_base(tmp_path_factory):
    """The server's folder with the test articles indexed into its Chroma store."""
    folder = tmp_path_factory.mktemp("grounded")
    frame = kb_frame()
    articles = frame[frame["type"] == "article"]
    index_chunks(articles, EmbedConfig.from_settings(collection=COLLECTION), store_location(path=folder / "chroma"),
                 ModelConfig.from_settings(), progress=False)
    return folder


def _server(folder, model_class):
    calls = folder / f"{model_class.rsplit('.', 1)[-1]}-calls.txt"
    calls.write_text("")
    process, url = _start_server(folder, "--model-class", model_class, env={"GENAI_FLOW_TEST_CALL_LOG": str(calls)})
    return process, url, calls


@pytest.fixture(scope="module")
def inventing_endpoint(knowledge_base):
    process, url, calls = _server(knowledge_base, INJECTED + "InventingServer")
    yield url, calls
    _stop(process)


def _ask(url, question):
    response = httpx.post(url, json={"question": question}, timeout=120)
    assert response.status_code == 200, response.text
    return response.json()


def test_an_invented_answer_is_replaced_by_the_quoted_passage_and_flagged(inventing_endpoint):
    url, _ = inventing_endpoint
    answer = _ask(url, "Can I get my money back if I cancel the yearly plan?")
    assert answer["flagged"] is True and answer["flag_reason"] == "ungrounded"
    assert answer["answer_source"] == "knowledge_base"
    assert answer["groundedness"] < 0.5  # the settings' threshold: this model has no calibration
    # Every made-up fact is named, and none of them reaches the user.
    assert set(answer["unsupported_facts"]) >= {"refunds@nimbus-help.example", "$45", "60"}
    assert "nimbus-help.example" not in answer["answer"] and "$45" not in answer["answer"]
    # Instead: the refund article's own sentence, quoted, with its title.
    assert "refunded in full" in answer["answer"] and "(Refunds and cancellations)" in answer["answer"]
    assert answer["sources"][0]["id"].startswith("kb-004")


def test_an_off_topic_question_is_declined_without_calling_the_model(inventing_endpoint):
    url, calls = inventing_endpoint
    before = calls.read_text().count("\n")
    answer = _ask(url, "What is the capital of Australia?")
    assert answer["flagged"] is True and answer["flag_reason"] == "off_topic"
    assert answer["answer_source"] == "guard" and "outside what" in answer["answer"]
    assert answer["groundedness"] is None
    assert calls.read_text().count("\n") == before  # the model was not asked
    # An on-topic question right after is answered (by the model, then checked).
    assert _ask(url, "How long does the door sensor battery last?")["flag_reason"] != "off_topic"
    assert calls.read_text().count("\n") == before + 1


def test_a_supported_answer_is_kept_with_its_groundedness(knowledge_base):
    process, url, calls = _server(knowledge_base, INJECTED + "PassageServer")
    try:
        answer = _ask(url, "The coin cell in my door sensor is dead, how do I swap it?")
    finally:
        _stop(process)
    assert answer["answer_source"] == "model" and answer["flagged"] is False
    assert answer["groundedness"] >= 0.9 and answer["unsupported_facts"] == []
    assert "CR2032" in answer["answer"]


# Facts stated once in the test articles, asked in other words.
FACT_QUESTIONS = {
    "How long is the password reset e-mail link good for?": "30 minutes",
    "How long do you keep my old sensor readings?": "13 months",
    "Which battery type goes in the door sensor?": "CR2032",
    "My hub's ring is solid amber. What does that mean?": "no internet",
}


@pytest.mark.slow
def test_the_packaged_model_answers_fact_questions_with_their_fact(knowledge_base):
    """The real SmolLM2 (base, uncalibrated: the settings' thresholds) behind the real graph:
    each answer carries its fact, from the model or from the quoted passage."""
    process, url, _ = _server(knowledge_base, "genai_flow.serving.llm_server.LLMModelServer")
    try:
        answers = {question: _ask(url, question) for question in FACT_QUESTIONS}
    finally:
        _stop(process)
    for question, fact in FACT_QUESTIONS.items():
        answer = answers[question]
        assert fact.lower() in answer["answer"].lower(), (question, answer)
        assert isinstance(answer["groundedness"], float)
        assert answer["answer_source"] in ("model", "knowledge_base")
