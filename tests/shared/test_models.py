"""Model resolution and the device policy, with the real packaged models."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pytest
import torch

from genai_flow import model_loading as models
from genai_flow.cpu_int8 import METHOD, is_int8

from ..helpers import save_lora_adapter

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


def test_8bit_request_on_cpu_plans_dynamic_int8_and_training_keeps_float32():
    plan = models.plan_load("8bit", True, cuda=False)
    assert plan.device == "cpu" and plan.quantization == "8bit" and plan.cpu_int8 and plan.notice is None
    assert "quantization_config" not in plan.kwargs and plan.kwargs["dtype"] == torch.float32
    assert "int8" in plan.describe()
    # fine-tune trains through the weights, which int8 layers cannot: float32, with a notice.
    training = models.plan_load("8bit", True, cuda=False, training=True)
    assert training.quantization == "none" and not training.cpu_int8 and "CUDA" in training.notice
    assert models.plan_load("none", True, cuda=False).describe() == "full precision (float32) on CPU"


def test_4bit_request_on_cpu_falls_back_to_full_precision_with_a_notice_logged_once(caplog):
    plan = models.plan_load("4bit", True, cuda=False)
    assert plan.quantization == "none" and not plan.cpu_int8 and "CUDA" in plan.notice

    models._notices_logged.clear()
    with caplog.at_level(logging.WARNING, logger="genai_flow.model_loading"):
        model, _, used = models.load_causal_lm(CONFIG, quantization="4bit", cuda=False)
        models.load_causal_lm(CONFIG, quantization="4bit", cuda=False)
    notices = [r for r in caplog.records if "full precision" in r.getMessage()]
    assert len(notices) == 1  # logged once per process, not per load
    assert used.quantization == "none" and model.dtype == torch.float32 and not is_int8(model)


@pytest.mark.slow
def test_8bit_on_cpu_loads_int8_says_so_and_still_answers(caplog):
    with caplog.at_level(logging.INFO, logger="genai_flow.model_loading"):
        model, tokenizer, plan = models.load_causal_lm(CONFIG, quantization="8bit", cuda=False)
    assert plan.cpu_int8 and is_int8(model)
    # Every Linear layer, the MLP's down_proj (activation outliers) and the LM head included.
    assert CONFIG.cpu_int8_skip_modules == ()
    assert not [name for name, m in model.named_modules() if isinstance(m, torch.nn.Linear)]
    loaded = [r.getMessage() for r in caplog.records if r.getMessage().startswith("loaded ")]
    assert loaded == [f"loaded {CONFIG.llm_model}: 8-bit on CPU: {METHOD}"]

    # Teacher-forced on a support answer, int8 predicts the float32 model's next token almost
    # everywhere (one prompt's greedy answer is an anecdote either way: see bench_quantization).
    reference, _, _ = models.load_causal_lm(CONFIG)
    inputs = tokenizer(["To export a project, open Settings, choose Export and pick CSV or JSON. The file is "
                        "emailed to you within ten minutes, and the link stays valid for seven days."],
                       return_tensors="pt")
    with torch.inference_mode():
        agreement = (model(**inputs).logits.argmax(-1) == reference(**inputs).logits.argmax(-1)).float().mean()
        output = model.generate(**inputs, max_new_tokens=8, do_sample=False)
    assert agreement > 0.8  # 0.83 here (0.88 on held-out prompts); 0.61 with one activation scale per call
    assert tokenizer.decode(output[0][inputs["input_ids"].shape[1]:], skip_special_tokens=True).strip()


@pytest.mark.slow
def test_skipped_modules_stay_float32_and_the_log_says_so(caplog):
    config = dataclasses.replace(CONFIG, cpu_int8_skip_modules=("down_proj", "lm_head"))
    with caplog.at_level(logging.INFO, logger="genai_flow.model_loading"):
        model, _, _ = models.load_causal_lm(config, quantization="8bit", cuda=False)
    float32 = {name.rsplit(".", 1)[-1] for name, m in model.named_modules() if isinstance(m, torch.nn.Linear)}
    assert float32 == {"down_proj", "lm_head"} and is_int8(model)
    loaded = [r.getMessage() for r in caplog.records if r.getMessage().startswith("loaded ")]
    assert loaded == [f"loaded {CONFIG.llm_model}: 8-bit on CPU: {METHOD}, down_proj and lm_head in float32"]


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


@pytest.mark.slow
def test_an_int8_load_merges_the_adapter_into_the_weights(tmp_path):
    from genai_flow.tuned_model import load_base_model, load_tuned_model

    folder = save_lora_adapter(tmp_path / "tuned", weight_scale=0.5)  # an adapter far louder than int8 rounding
    reference = load_tuned_model(folder, CONFIG)  # float32, the adapter applied by PEFT
    tuned = load_tuned_model(folder, CONFIG, quantization="8bit", cuda=False)
    base = load_base_model(CONFIG, quantization="8bit", cuda=False)
    assert tuned.plan.cpu_int8 and is_int8(tuned.model) and not hasattr(tuned.model, "peft_config")

    inputs = reference.tokenizer(["How do I reset my password? Open Settings and choose Security."],
                                 return_tensors="pt")
    with torch.inference_mode():
        expected, merged, without = (m.model(**inputs).logits for m in (reference, tuned, base))
    # int8 rounding moves the logits a little; leaving the adapter out moves them far more.
    assert (merged - expected).abs().mean() < 0.5 * (without - expected).abs().mean()
    agrees = [(logits.argmax(-1) == expected.argmax(-1)).float().mean() for logits in (merged, without)]
    assert agrees[0] > agrees[1]
