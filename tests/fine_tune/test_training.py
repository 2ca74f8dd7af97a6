"""Real LoRA training with TRL's SFTTrainer on the packaged SmolLM2 model: what it trains on,
where the loss falls, and the MLRun function end to end (artifacts, reload, resume)."""

from __future__ import annotations

import json
import math

import pytest
import torch
from click.testing import CliRunner
from peft import PeftModel
from transformers.trainer_pt_utils import LengthGroupedSampler
from trl import SFTTrainer

from genai_flow import cli, schema
from genai_flow.evaluate.perplexity import answer_perplexity
from genai_flow.fine_tune import FineTuneConfig
from genai_flow.fine_tune.examples import IGNORE_INDEX, build_examples, ticket_rows
from genai_flow.fine_tune.trainer import build_trainer
from genai_flow.model_loading import ModelConfig, load_causal_lm
from genai_flow.project import load_project
from genai_flow.prompt_library import get_prompt
from genai_flow.prompts import DEFAULT_PROMPT, PromptTemplate
from genai_flow.tuned_model import INFO_FILE, load_tuned_model, model_folder

from ..helpers import REPO_ROOT
from .conftest import ticket_frame
from .test_examples import expected_tokens


def test_sft_trainer_trains_on_prompt_answer_eos_with_the_loss_on_the_answer(tmp_path):
    model, tokenizer, _ = load_causal_lm(ModelConfig.from_settings())
    rows = ticket_rows(ticket_frame(train=3), schema.TRAIN)
    examples, _ = build_examples(rows, tokenizer, DEFAULT_PROMPT, max_length=1024, progress=False)
    config = FineTuneConfig.from_settings(batch_size=3, max_length=1024, max_steps=1, lora_dropout=0.0)
    trainer = build_trainer(model, tokenizer, examples, config, tmp_path, on_cuda=False, quantized=False)
    assert isinstance(trainer.model, PeftModel)
    # CPU: fp32 (SFTConfig would pick bf16), no activation checkpointing, batches grouped by length.
    args = trainer.args
    assert (args.fp16, args.bf16, args.activation_checkpointing, args.use_cpu) == (False, False, False, True)
    assert (args.lr_scheduler_type, args.warmup_steps, args.logging_steps) == ("cosine", 0.1, 1)
    assert isinstance(trainer._get_train_sampler(), LengthGroupedSampler)
    assert all("lora_" in name for name, p in trainer.model.named_parameters() if p.requires_grad)

    # What SFTTrainer prepared: the same tokens, labels -100 on the prompt.
    expected = [expected_tokens(tokenizer, row) for _, row in rows.iterrows()]
    assert len(trainer.train_dataset) == 3
    for prepared, (prompt_ids, answer_ids) in zip(trainer.train_dataset, expected):
        assert prepared["input_ids"] == prompt_ids + answer_ids
        assert prepared["labels"] == [IGNORE_INDEX] * len(prompt_ids) + answer_ids

    # What its collator hands the model: right padding, padding out of the loss too.
    batch = trainer.data_collator([trainer.train_dataset[i] for i in range(3)])
    width = max(len(p) + len(a) for p, a in expected)
    assert batch["input_ids"].shape == (3, width)
    for i, (prompt_ids, answer_ids) in enumerate(expected):
        n, pad = len(prompt_ids) + len(answer_ids), width - len(prompt_ids) - len(answer_ids)
        assert batch["input_ids"][i].tolist() == prompt_ids + answer_ids + [tokenizer.pad_token_id] * pad
        assert batch["attention_mask"][i].tolist() == [1] * n + [0] * pad
        assert batch["labels"][i].tolist() == [IGNORE_INDEX] * len(prompt_ids) + answer_ids + [IGNORE_INDEX] * pad

    # The loss optimized is the mean NLL of the answer tokens (and EOS) only: on CPU the model's
    # own cross-entropy, elsewhere TRL's fused LM head; both give that value.
    trainer.model.eval()
    with torch.no_grad():
        loss = float(trainer.compute_loss(trainer.model, {k: v.clone() for k, v in batch.items()}))
        trl_loss = float(SFTTrainer.compute_loss(trainer, trainer.model, {k: v.clone() for k, v in batch.items()}))
        logits = trainer.model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
    nll = torch.nn.functional.cross_entropy(
        logits[:, :-1].reshape(-1, logits.size(-1)), batch["labels"][:, 1:].reshape(-1), ignore_index=IGNORE_INDEX)
    everything = batch["input_ids"].masked_fill(batch["attention_mask"] == 0, IGNORE_INDEX)
    nll_with_prompt = torch.nn.functional.cross_entropy(
        logits[:, :-1].reshape(-1, logits.size(-1)), everything[:, 1:].reshape(-1), ignore_index=IGNORE_INDEX)
    assert loss == pytest.approx(float(nll), rel=1e-4) and trl_loss == pytest.approx(float(nll), rel=1e-4)
    assert abs(loss - float(nll_with_prompt)) > 0.1


@pytest.fixture
def project(embedded_db):
    return load_project(REPO_ROOT)


def test_fine_tune_function_trains_logs_saves_reloads_and_resumes(project, tokenizer, tmp_path):
    frame = ticket_frame(train=10, test=2)
    dataset = tmp_path / "masked.parquet"
    frame.to_parquet(dataset)
    checkpoints = tmp_path / "checkpoints"
    params = {"max_examples": 8, "max_steps": 2, "batch_size": 4, "max_length": 160, "save_steps": 2,
              "lora_dropout": 0.0, "seed": 0, "checkpoint_dir": str(checkpoints)}
    run = project.run_function("fine-tune", inputs={"dataset": str(dataset)}, params=params, local=True)
    assert run.state() == "completed"

    results = run.status.results
    train_rows = ticket_rows(frame, schema.TRAIN).head(8)
    _, stats = build_examples(train_rows, tokenizer, DEFAULT_PROMPT, 160, progress=False)
    assert 0 < stats.examples < 8 and stats.truncated  # some prompts too long, some answers cut
    assert (results["train_examples"], results["skipped_prompts_too_long"], results["truncated_answers"]) == (
        stats.examples, 8 - stats.examples, stats.truncated)
    assert results["train_steps"] == 2
    losses = results["loss_per_step"]
    assert len(losses) == 2 and all(math.isfinite(x) and 0 < x < 20 for x in losses)
    assert results["train_loss"] == losses[-1]
    assert results["mean_train_loss"] == pytest.approx(sum(losses) / 2, abs=1e-3)
    assert 0 < results["trainable_fraction"] < 0.01 and results["train_seconds"] > 0
    assert {"model", "loss_curve", "prompt"} <= set(run.outputs)
    # The prompt it trained with (the default library prompt), and the whole library registered.
    assert results["prompt_version"] == DEFAULT_PROMPT.version
    assert {"prompt-subject-content", "prompt-question-first"} <= set(run.outputs)
    listed = {row["key"]: row for row in json.loads(CliRunner().invoke(cli.main, ["prompts", "--json"]).output)}
    assert listed["subject-content"]["registered_versions"] == [DEFAULT_PROMPT.version]
    assert listed["subject-content"]["trained_default"] and not listed["question-first"]["trained_default"]
    assert listed["question-first"]["registered_versions"] == [get_prompt("question-first").version]
    assert (checkpoints / "checkpoint-2").is_dir()

    # The logged model folder reloads as base model + trained adapter, with its prompt.
    tuned = load_tuned_model(run.outputs["model"], ModelConfig.from_settings())
    parameters = tuned.info["parameters"]
    assert tuned.info["base_model"] == "SmolLM2-135M-Instruct" and tuned.template == DEFAULT_PROMPT
    assert (parameters["lora"]["dropout"], parameters["seed"], parameters["max_length"]) == (0.0, 0, 160)
    lora_b = [p for name, p in tuned.model.named_parameters() if "lora_B" in name]
    assert lora_b and any(p.abs().sum() > 0 for p in lora_b)  # LoRA B starts at zero: these were trained
    perplexity = answer_perplexity(tuned, ticket_rows(frame, schema.TEST), max_length=384, batch_size=2)
    assert math.isfinite(perplexity) and perplexity > 1

    # Resuming from the newest checkpoint continues at step 2.
    # (With the library's other prompt: the model keeps the prompt it was trained with.)
    resumed = project.run_function(
        "fine-tune", inputs={"dataset": str(dataset)},
        params={**params, "max_steps": 3, "resume_from_checkpoint": "latest", "prompt": "question-first",
                "max_length": 320}, local=True)
    assert resumed.state() == "completed"
    assert resumed.status.results["train_steps"] == 3 and len(resumed.status.results["loss_per_step"]) == 1
    info = json.loads((model_folder(resumed.outputs["model"]) / INFO_FILE).read_text())
    assert info["parameters"]["resumed_from"] == str(checkpoints / "checkpoint-2")
    assert info["parameters"]["prompt"] == {"key": "question-first", "version": get_prompt("question-first").version}
    assert PromptTemplate.load(model_folder(resumed.outputs["model"])) == get_prompt("question-first").template
