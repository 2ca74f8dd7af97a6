"""Model resolution and the device policy, with the real packaged models."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import torch

from genai_flow import model_loading as models

CONFIG = models.ModelConfig.from_settings()


@pytest.mark.slow
def test_default_llm_loads_from_the_packaged_gguf_and_generates():
    model, tokenizer, plan = models.load_causal_lm(CONFIG)
    folder = Path(models.resolve_llm(CONFIG))
    assert folder.name == "SmolLM2-135M-Instruct"
    assert (folder / "model.safetensors").is_file() and (folder / "tokenizer.json").is_file()
    assert plan.device == "cpu" and model.dtype == torch.float32

    messages = [{"role": "user", "content": "What is the capital of France?"}]
    inputs = tokenizer.apply_chat_template(
        messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
    )
    output = model.generate(**inputs, max_new_tokens=12, do_sample=False)
    answer = tokenizer.decode(output[0][inputs["input_ids"].shape[1]:], skip_special_tokens=True)
    assert "Paris" in answer


def test_8bit_request_on_cpu_falls_back_to_full_precision_with_a_notice(caplog):
    plan = models.plan_load("8bit", True, cuda=False)
    assert plan.device == "cpu" and plan.quantization == "none"
    assert "quantization_config" not in plan.kwargs and plan.kwargs["dtype"] == torch.float32
    assert "CUDA" in plan.notice

    models._notices_logged.clear()
    with caplog.at_level(logging.WARNING, logger="genai_flow.model_loading"):
        model, _, used = models.load_causal_lm(CONFIG, quantization="8bit", cuda=False)
        models.load_causal_lm(CONFIG, quantization="8bit", cuda=False)
    notices = [r for r in caplog.records if "full precision" in r.getMessage()]
    assert len(notices) == 1  # logged once per process, not per load
    assert used.quantization == "none" and model.dtype == torch.float32


def test_simulated_cuda_8bit_plan_passes_the_seed_model_args():
    plan = models.plan_load("8bit", True, cuda=True)
    assert plan.device == "cuda:0" and plan.quantization == "8bit" and plan.notice is None
    assert plan.kwargs["device_map"] == "cuda:0"
    assert plan.kwargs["trust_remote_code"] is True
    assert plan.kwargs["quantization_config"].load_in_8bit is True


def test_simulated_cuda_4bit_and_fp16_plans():
    four = models.plan_load("4bit", True, cuda=True)
    assert four.kwargs["quantization_config"].load_in_4bit is True
    assert four.kwargs["quantization_config"].bnb_4bit_quant_type == "nf4"
    half = models.plan_load("none", True, cuda=True)
    assert half.kwargs["dtype"] == torch.float16 and "quantization_config" not in half.kwargs


def test_unknown_quantization_is_refused():
    with pytest.raises(ValueError, match="quantization"):
        models.plan_load("3bit", True, cuda=False)


def test_default_embedder_is_the_packaged_minilm():
    folder = Path(models.resolve_embedder(CONFIG))
    assert (folder / "config_sentence_transformers.json").is_file()
    # The hub id of the same model also resolves to the packaged copy (no download).
    assert models.resolve_embedder(CONFIG, "sentence-transformers/all-MiniLM-L6-v2") == str(folder)
    vectors = models.load_embedder(CONFIG).encode(["refund policy", "how do I get my money back"])
    assert vectors.shape == (2, 384)


def test_other_settings_pass_through_as_paths_or_hub_ids(tmp_path):
    assert models.resolve_llm(CONFIG, str(tmp_path)) == str(tmp_path.resolve())
    assert models.resolve_llm(CONFIG, "org/some-model") == "org/some-model"
    with pytest.raises(models.ModelNotFoundError, match="does not exist"):
        models.resolve_llm(CONFIG, "./no/such/folder")
