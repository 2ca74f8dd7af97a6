"""MLRun function `fine-tune`: LoRA fine-tuning of the LLM on the masked training split."""

import math
import tempfile
import time
from pathlib import Path
from typing import Optional

import mlrun
import pandas as pd
from mlrun.artifacts import PlotArtifact

from ..dataset_io import read_dataset
from ..model_loading import ModelConfig, load_causal_lm
from ..prompt_library import get_prompt, library, register_prompts
from ..embed import RetrievalConfig, StoreLocation
from ..grounding.context import prompt_passages
from ..schema import SUBJECT, TEXT, TRAIN, embedding_text
from ..settings import get_settings
from ..tuned_model import ADAPTER_FILE, save_tuned_model
from .callbacks import MLRunLossCallback
from .config import FineTuneConfig
from .distributed import from_launcher, is_main_process, sum_over_workers
from .examples import build_examples, hold_out, ticket_rows
from .lora import trainable_fraction
from .plots import loss_curve
from .trainer import build_trainer, resolve_checkpoint
from .validation import validation_loss


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
    max_examples: Optional[int] = None,
    save_steps: Optional[int] = None,
    checkpoint_dir: Optional[str] = None,
    resume_from_checkpoint: Optional[str] = None,
    seed: Optional[int] = None,
    context_tokens: Optional[int] = None,
    prompt: Optional[str] = None,
    validation_examples: Optional[int] = None,
    model_key: str = "model",
) -> None:
    """Fine-tune a LoRA adapter on the `ticket` rows of the training split (TRL's SFTTrainer).

    The prompt is a library prompt (genai_flow.prompt_library; default the seed's "Subject -
    Content") with the knowledge-base passages retrieved for the question (from the embed
    step's collection), exactly as serving renders it, so the model learns to answer from the
    passages; the loss covers the answer tokens (and the end-of-sequence token) only.
    Logs the model artifact `model` (adapter, tokenizer, prompt template, base model reference,
    training parameters and final metrics), the prompt it trained with as an LLM prompt
    artifact `prompt` linked to the model, every library prompt as `prompt-<key>` (tagged with
    its version), a `loss_curve` plot, and results `train_loss` (last step),
    `mean_train_loss`, `loss_per_step`, `train_steps`, `train_examples`, `trainable_fraction`,
    `train_seconds`, `truncated_answers`, `skipped_prompts_too_long`, `examples_with_passages`,
    `prompt_version`, `examples_seen`, `workers` and `trial` (the child run's iteration in a
    search, else 0); with validation_examples, also `validation_loss` and
    `validation_perplexity` (what the tune workflow's selector compares).

    Run with ``hyperparams`` (the tune workflow), each trial is a child run with its own
    checkpoint folder (``trial-<iteration>``) and MLRun keeps the selector's best as the model.
    Launched on several workers (the `fine-tune-distributed` mpijob, or torchrun), each trains
    on its share of every batch (batch_size stays the examples per step) and the first logs;
    `examples_seen` counts the examples over all workers.

    Every parameter left out (None) takes its setting (settings.py, env GENAI_FLOW_<NAME>).

    :param dataset: the masked dataset (columns of genai_flow.schema).
    :param base_model: model setting (packaged name, Hugging Face id or folder); default:
        settings llm_model, "SmolLM2-135M-Instruct".
    :param quantization: "none", "8bit" or "4bit"; quantized loading needs CUDA, CPU trains in
        fp32 (default: settings finetune_quantization, "none").
    :param lora_r: LoRA rank (default: settings finetune_lora_r, 8).
    :param lora_alpha: LoRA scaling (default: settings finetune_lora_alpha, 16).
    :param lora_dropout: dropout on the LoRA inputs (default: settings finetune_lora_dropout, 0.05).
    :param target_modules: module names that get adapters (default: settings
        finetune_target_modules, ["q_proj", "v_proj"]).
    :param epochs: passes over the training examples, used when max_steps is 0 (default:
        settings finetune_epochs, 1.0).
    :param max_steps: optimizer steps; 0 runs the epochs in full (default: settings
        finetune_max_steps, 30).
    :param learning_rate: peak learning rate, cosine schedule after a 10% warm-up (default:
        settings finetune_learning_rate, 1e-3).
    :param batch_size: examples per device step (default: settings finetune_batch_size, 8).
    :param gradient_accumulation_steps: device steps per optimizer step (default: settings
        finetune_gradient_accumulation_steps, 1).
    :param max_length: tokens per example (prompt + answer); longer answers are cut, prompts
        that leave no room are skipped and counted (default: settings finetune_max_length, 640).
    :param max_examples: use only the first N training tickets, 0: all (default: settings
        finetune_max_examples, 0).
    :param save_steps: checkpoint every N optimizer steps (default: settings
        finetune_save_steps, 10).
    :param checkpoint_dir: where checkpoints go (default: settings finetune_checkpoint_dir,
        unset: <cache_dir>/checkpoints/fine-tune).
    :param resume_from_checkpoint: "latest" (newest in checkpoint_dir, fresh if none), a
        checkpoint path, or empty/None to start fresh.
    :param seed: random seed: data order, LoRA initialization (default: settings
        finetune_seed, 42).
    :param context_tokens: prompt tokens for retrieved passages, 0: train without passages
        (default: settings prompt_context_tokens, 400; serving uses the same setting).
    :param prompt: the library prompt to train with, "key" or "key@version" (default:
        settings prompt, "subject-content").
    :param validation_examples: hold the last N training tickets (by id) out of training and
        score the answer loss on them after training, 0: none (default: settings
        finetune_validation_examples, 0; the tune workflow: tune_validation_examples, 16).
    :param model_key: key of the logged model artifact.
    """
    workers = from_launcher()  # before the trainer's arguments set up torch.distributed
    s = get_settings()
    models = ModelConfig.from_settings(s, llm_model=base_model)
    config = FineTuneConfig.from_settings(
        s,
        quantization=quantization,
        lora_r=lora_r,
        lora_alpha=lora_alpha,
        lora_dropout=lora_dropout,
        target_modules=target_modules,
        epochs=epochs,
        max_steps=max_steps,
        learning_rate=learning_rate,
        batch_size=batch_size,
        gradient_accumulation_steps=gradient_accumulation_steps,
        max_length=max_length,
        max_examples=max_examples,
        save_steps=save_steps,
        seed=seed,
        validation_examples=validation_examples,
    )
    # The cache folder's parent is the cache root (<project_dir>/.cache unless cache_dir is set).
    default_checkpoints = s.model_cache_dir.parent / "checkpoints" / "fine-tune"
    output_dir = Path(checkpoint_dir or s.finetune_checkpoint_dir or default_checkpoints)
    if context.iteration:  # a trial of a hyperparameter search: checkpoints of its own
        output_dir = output_dir / f"trial-{context.iteration}"
    resume = resolve_checkpoint(resume_from_checkpoint, output_dir)
    chosen = get_prompt(prompt or s.prompt)
    template = chosen.template

    # A quantization CUDA cannot honour here is logged once by load_causal_lm.
    model, tokenizer, plan = load_causal_lm(models, quantization=config.quantization, for_training=True)
    rows, validation_rows = hold_out(ticket_rows(read_dataset(dataset), TRAIN), config.validation_examples)
    if config.max_examples:
        rows = rows.head(config.max_examples)
    context_tokens = s.prompt_context_tokens if context_tokens is None else context_tokens

    def passages_for(frame):  # the passages each question's prompt carries, retrieved as serving does
        queries = [embedding_text(subject, text) for subject, text in zip(frame[SUBJECT], frame[TEXT])]
        return prompt_passages(
            queries, RetrievalConfig.from_settings(s), StoreLocation.from_settings(s), models,
            tokenizer, template, context_tokens,
        )

    passages = passages_for(rows)
    examples, stats = build_examples(rows, tokenizer, template, config.max_length, passages)
    if not len(examples):
        raise ValueError(
            f"no training examples: {stats.rows} ticket rows in the train split, "
            f"{stats.skipped_prompt_too_long} with prompts too long for max_length={config.max_length}"
        )
    context.logger.info(
        f"training on {stats.examples} examples ({stats.truncated} answers cut to {config.max_length} "
        f"tokens, {stats.skipped_prompt_too_long} prompts too long, "
        f"{sum(map(bool, passages))} with knowledge-base passages) on {plan.device}"
    )

    callback = MLRunLossCallback(context)
    trainer = build_trainer(
        model, tokenizer, examples, config, output_dir,
        on_cuda=plan.device.startswith("cuda"), quantized=plan.quantization != "none", callbacks=[callback],
    )
    started = time.monotonic()
    output = trainer.train(resume_from_checkpoint=resume)
    seconds = round(time.monotonic() - started, 1)
    examples_seen = sum_over_workers(trainer.examples_seen)
    if not is_main_process():
        return  # the first worker evaluates and logs
    validation = {}
    if len(validation_rows):
        loss = validation_loss(trainer.model, tokenizer, template, plan, validation_rows,
                               config.max_length, config.batch_size, passages_for(validation_rows))
        validation = {"validation_loss": round(loss, 5), "validation_perplexity": round(math.exp(loss), 4)}

    parameters = {
        "base_model": models.llm_model,
        "quantization": plan.quantization,
        "device": plan.device,
        "lora": {
            "r": config.lora_r,
            "alpha": config.lora_alpha,
            "dropout": config.lora_dropout,
            "target_modules": list(config.target_modules),
        },
        "epochs": config.epochs,
        "max_steps": config.max_steps,
        "learning_rate": config.learning_rate,
        "batch_size": config.batch_size,
        "gradient_accumulation_steps": config.gradient_accumulation_steps,
        "max_length": config.max_length,
        "train_examples": stats.examples,
        "validation_examples": len(validation_rows),
        "seed": config.seed,
        "context_tokens": context_tokens,
        "prompt": {"key": chosen.key, "version": chosen.version},
        "resumed_from": resume,
    }
    metrics = {
        "train_loss": callback.losses[-1] if callback.losses else round(float(output.training_loss), 5),
        "mean_train_loss": round(float(output.training_loss), 5),
        "train_steps": output.global_step,
        "train_seconds": seconds,
        **validation,
    }
    context.log_results(
        {
            **metrics,
            "loss_per_step": callback.losses,
            "train_examples": stats.examples,
            "truncated_answers": stats.truncated,
            "skipped_prompts_too_long": stats.skipped_prompt_too_long,
            "examples_with_passages": sum(map(bool, passages)),
            "trainable_fraction": round(trainable_fraction(trainer.model), 6),
            "prompt_version": chosen.version,
            "trial": context.iteration or 0,  # what the tune workflow's budget (stop condition) counts
            "examples_seen": examples_seen,
            "workers": workers,
        }
    )
    plot = context.log_artifact(PlotArtifact("loss_curve", body=loss_curve(callback.steps, callback.losses)))
    with tempfile.TemporaryDirectory() as folder:
        save_tuned_model(Path(folder), trainer.model, tokenizer, template, models.llm_model, parameters)
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
            labels={"base_model": models.llm_model, "adapter": "lora"},
            extra_data={**files, "loss_curve": plot},
        )
    context.log_llm_prompt(
        "prompt",
        prompt_template=template.as_message_template(),
        prompt_legend=template.legend,
        model_artifact=model_artifact,
        description=f"The prompt the model was tuned with ({chosen.key}): {chosen.description}",
        labels={"prompt_key": chosen.key, "prompt_version": chosen.version},
    )
    register_prompts(context, library().values())


def compare_trials(
    context: mlrun.MLClientCtx,
    trials: mlrun.DataItem,
    best_iteration: int,
    selector: Optional[str] = None,
) -> None:
    """Compare the trials of a hyperparameter search (the tune workflow's fine-tune run).

    Logs `trials` (a dataset: one row per child run with its LoRA settings, validation and
    training losses, and the best one marked), `trial_comparison` (an HTML page: the table and
    plots of the selected metric and of the loss curves) and `trial_plot` (the plots), and
    results `trials`, `completed_trials`, `best_iteration`, `best_<setting>` for each searched
    setting, `best_<metric>` and `search_seconds` (training time over all trials).

    :param trials: the search's `iteration_results` table (MLRun logs it on the parent run).
    :param best_iteration: the trial MLRun's selector picked (the parent run's `best_iteration`).
    :param selector: the selector the search used (default: settings tune_selector,
        "min.validation_loss").
    """
    from .trials import SEARCHED, trial_table, trials_figure, trials_html

    selector = selector or get_settings().tune_selector
    table = trial_table(trials.as_df(), best_iteration)
    if not table["best"].any():
        raise ValueError(f"best iteration {best_iteration} is not among the trials {list(table['iteration'])}")
    best = table[table["best"]].iloc[0]
    metric = selector.split(".", 1)[-1]
    figure = trials_figure(table, selector)
    context.log_dataset("trials", df=table.drop(columns=["loss_per_step"], errors="ignore"), format="csv",
                        labels={"selector": selector})
    context.log_artifact(mlrun.artifacts.Artifact("trial_comparison", body=trials_html(table, selector, figure),
                                                  format="html"))
    context.log_artifact(PlotArtifact("trial_plot", body=figure))
    context.log_results({
        "trials": len(table),
        "completed_trials": int((table["state"] == "completed").sum()),
        "best_iteration": int(best["iteration"]),
        **{f"best_{name}": _plain(best[name]) for name in SEARCHED if name in best},
        f"best_{metric}": _plain(best[metric]) if metric in best else None,
        "search_seconds": round(float(pd.to_numeric(table.get("train_seconds"), errors="coerce").sum()), 1),
    })


def _plain(value):
    """A numpy scalar from a table as the Python number MLRun stores as a result."""
    return value.item() if hasattr(value, "item") else value
