"""8-bit on CPU through the serving graph (MLRun's mock server, the real model): int8 weights
with the tuned adapter merged in, the same answers when the saved model is served again, and
float32 when the setting asks for it."""

from __future__ import annotations

import shutil

import pytest
import torch

from genai_flow.cpu_int8 import is_int8
from genai_flow.serving.graph import LLM_SERVER_CLASS
from genai_flow.serving.streaming import GraphSteps
from genai_flow.settings import reload_settings

from ..helpers import save_lora_adapter

pytestmark = pytest.mark.slow  # loads the LLM

QUESTIONS = ["How do I reset my password?", "Can I get a refund for the annual plan?", "How do I export my boards?"]


@pytest.fixture(scope="module")
def tuned_folder(tmp_path_factory):
    """A LoRA adapter with small random weights: merged or not, it shows in the answers."""
    return save_lora_adapter(tmp_path_factory.mktemp("tuned"), weight_scale=0.02)


def _answers(server) -> list[tuple]:
    replies = [server.test("/", body={"question": q, "max_new_tokens": 16}) for q in QUESTIONS]
    return [(r["answer"], r["confidence"], r["flag_reason"]) for r in replies]


def test_the_tuned_model_is_served_as_int8_with_its_adapter_merged_and_again_identically(
    mock_server_for, tuned_folder, tmp_path
):
    server = mock_server_for(LLM_SERVER_CLASS, str(tuned_folder))
    first = _answers(server)
    loaded = GraphSteps(server).llm.loaded
    assert loaded.plan.cpu_int8 and is_int8(loaded.model)
    assert not hasattr(loaded.model, "peft_config")  # one plain model: the adapter is in the weights
    assert all(answer for answer, _, _ in first)

    # The saved model, copied as an artifact store would and served again: the same greedy answers.
    copy = shutil.copytree(tuned_folder, tmp_path / "copied-model")
    again = _answers(mock_server_for(LLM_SERVER_CLASS, str(copy)))
    assert again == first


def test_serving_quantization_none_serves_float32(mock_server_for, monkeypatch):
    monkeypatch.setenv("GENAI_FLOW_SERVING_QUANTIZATION", "none")
    reload_settings()
    server = mock_server_for(LLM_SERVER_CLASS)
    answers = _answers(server)
    loaded = GraphSteps(server).llm.loaded
    assert loaded.plan.quantization == "none" and not is_int8(loaded.model)
    assert loaded.model.dtype == torch.float32 and loaded.plan.describe() == "full precision (float32) on CPU"
    assert all(answer for answer, _, _ in answers)
