"""MLRun function `fine-tune`: LoRA fine-tuning of the LLM on the masked training split."""


import tempfile
import time
from pathlib import Path
from typing import Optional

import mlrun
import torch
from mlrun.artifacts import PlotArtifact

from ..dataset_io import read_dataset
from ..tuned_model import ADAPTER_FILE, save_tuned_model
from ..model_loading import load_causal_lm
from ..prompts import DEFAULT_PROMPT
from ..schema import TRAIN
from ..settings import get_settings
from .callbacks import MLRunLossCallback
from .examples import build_examples, ticket_rows
from .lora import add_lora, trainable_fraction
from .plots import loss_curve
from .trainer import resolve_checkpoint, train


def fine_tune(
    context: mlrun.MLClientCtx,
    dataset: mlrun.DataItem,
    base_model: Optional[str] = None,
    quantization: Optional[str] = None,
    lora_r: Optional[int] = None,
    lora_alpha: Optional[int] = None,
    lora_dropout: Optional[float] = None,
    target_modules: Optional[list] = None,
    epochs: Optional[float] = None,
    max_steps: Optional[int] = None,
    learning_rate: Optional[float] = None,
    batch_size: Optional[int] = None,
    gradient_accumulation_steps: Optional[int] = None,
    max_length: Optional[int] = None,
    max_examples: int = 0,
    save_steps: Optional[int] = None,
    checkpoint_dir: Optional[str] = None,
    resume_from_checkpoint: str = "",
    seed: Optional[int] = None,
    model_key: str = "model",
) -> None:
    """Fine-tune a LoRA adapter on the `ticket` rows of the training split.

    The prompt is the shared "Subject - Content" template (genai_flow.prompts); the loss covers
    the answer tokens only. Logs the model artifact `model` (adapter, tokenizer, prompt
    template, base model reference, training parameters and final metrics), the prompt as an
    LLM prompt artifact `prompt`, a `loss_curve` plot, and results `train_loss` (last step),
    `loss_per_step`, `train_steps`, `train_examples`, `trainable_fraction`, `train_seconds`.

    :param dataset: the masked dataset (columns of genai_flow.schema).
    :param base_model: model setting (packaged name, Hugging Face id or folder).
    :param quantization: "none", "8bit" or "4bit"; quantized loading needs CUDA, CPU uses fp32.
    :param lora_r: LoRA rank.
    :param lora_alpha: LoRA scaling.
    :param lora_dropout: dropout on the LoRA inputs.
    :param target_modules: module names that get adapters, e.g. ["q_proj", "v_proj"].
    :param epochs: passes over the training examples (ignored when max_steps > 0).
    :param max_steps: optimizer steps; 0 runs the epochs in full.
    :param learning_rate: peak learning rate (cosine schedule, 10% warm-up).
    :param batch_size: examples per device step.
    :param gradient_accumulation_steps: device steps per optimizer step.
    :param max_length: tokens per example (prompt + answer); longer answers are cut.
    :param max_examples: use only the first N training examples (0: all).
    :param save_steps: checkpoint every N optimizer steps.
    :param checkpoint_dir: where checkpoints go (default: <cache>/checkpoints/fine-tune).
    :param resume_from_checkpoint: "latest" (newest in checkpoint_dir), a checkpoint path, or
        empty to start fresh.
    :param seed: random seed (data order, LoRA init).
    :param model_key: key of the logged model artifact.
    """
    s = get_settings()
    base_model = base_model or s.llm_model
    lora = {
        "r": lora_r or s.finetune_lora_r,
        "alpha": lora_alpha or s.finetune_lora_alpha,
        "dropout": s.finetune_lora_dropout if lora_dropout is None else lora_dropout,
        "target_modules": list(target_modules or s.finetune_target_modules),
    }
    max_steps = s.finetune_max_steps if max_steps is None else max_steps
    seed = s.finetune_seed if seed is None else seed
    max_length = max_length or s.finetune_max_length
    output_dir = Path(checkpoint_dir or Path(s.cache_dir or s.project_dir / ".cache") / "checkpoints" / "fine-tune")
    resume = resolve_checkpoint(resume_from_checkpoint, output_dir)
    torch.manual_seed(seed)

    # A quantization CUDA cannot honour here is logged once by load_causal_lm.
    model, tokenizer, plan = load_causal_lm(base_model, quantization=quantization or s.finetune_quantization)
    rows = ticket_rows(read_dataset(dataset), TRAIN)
    if max_examples:
        rows = rows.head(max_examples)
    examples, stats = build_examples(rows, tokenizer, DEFAULT_PROMPT, max_length)
    if not len(examples):
        raise ValueError(
            f"no training examples: {stats.rows} ticket rows in the train split, "
            f"{stats.skipped_prompt_too_long} with prompts longer than max_length={max_length}"
        )
    context.logger.info(
        f"training on {stats.examples} examples ({stats.truncated} answers cut to {max_length} "
        f"tokens, {stats.skipped_prompt_too_long} prompts too long) on {plan.device}"
    )

    model = add_lora(model, lora["r"], lora["alpha"], lora["dropout"], lora["target_modules"],
                     quantized=plan.quantization != "none")
    callback = MLRunLossCallback(context)
    started = time.monotonic()
    _, output = train(
        model,
        tokenizer,
        examples,
        output_dir,
        epochs=epochs or s.finetune_epochs,
        max_steps=max_steps,
        learning_rate=learning_rate or s.finetune_learning_rate,
        batch_size=batch_size or s.finetune_batch_size,
        gradient_accumulation_steps=gradient_accumulation_steps or s.finetune_gradient_accumulation_steps,
        save_steps=save_steps or s.finetune_save_steps,
        seed=seed,
        on_cuda=plan.device.startswith("cuda"),
        resume_from_checkpoint=resume,
        callbacks=[callback],
    )
    seconds = round(time.monotonic() - started, 1)

    parameters = {
        "base_model": base_model,
        "quantization": plan.quantization,
        "device": plan.device,
        "lora": lora,
        "max_steps": max_steps,
        "learning_rate": learning_rate or s.finetune_learning_rate,
        "batch_size": batch_size or s.finetune_batch_size,
        "max_length": max_length,
        "train_examples": stats.examples,
        "seed": seed,
        "resumed_from": resume,
    }
    metrics = {
        "train_loss": callback.losses[-1] if callback.losses else output.training_loss,
        "mean_train_loss": round(float(output.training_loss), 5),
        "train_steps": output.global_step,
        "train_seconds": seconds,
    }
    context.log_results(
        {
            **metrics,
            "loss_per_step": callback.losses,
            "train_examples": stats.examples,
            "trainable_fraction": round(trainable_fraction(model), 6),
        }
    )
    plot = context.log_artifact(
        PlotArtifact("loss_curve", body=loss_curve(callback.steps, callback.losses))
    )
    with tempfile.TemporaryDirectory() as folder:
        save_tuned_model(Path(folder), model, tokenizer, DEFAULT_PROMPT, base_model, parameters)
        # MLRun uploads the model file and the extra data: list every file of the folder.
        files = {p.name: p.name for p in sorted(Path(folder).iterdir()) if p.name != ADAPTER_FILE}
        model_artifact = context.log_model(
            model_key,
            model_dir=folder,
            model_file=ADAPTER_FILE,
            framework="peft",
            algorithm="lora",
            parameters=parameters,
            metrics=metrics,
            labels={"base_model": base_model, "adapter": "lora"},
            extra_data={**files, "loss_curve": plot},
        )
    context.log_llm_prompt(
        "prompt",
        prompt_template=DEFAULT_PROMPT.as_message_template(),
        prompt_legend=DEFAULT_PROMPT.legend,
        model_artifact=model_artifact,
        description='The shared "Subject - Content" prompt the model was tuned with.',
    )
