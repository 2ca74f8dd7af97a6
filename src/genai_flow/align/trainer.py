"""The preference-optimization run: TRL's ``DPOTrainer`` on pre-tokenized pairs, continuing the
supervised LoRA adapter with a frozen copy of it as the reference model."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from datasets import Dataset
from trl import DPOConfig, DPOTrainer

from .config import AlignConfig

REFERENCE_ADAPTER = "ref"  # the frozen copy of the supervised adapter DPOTrainer adds


class PreTokenizedDPOTrainer(DPOTrainer):
    """DPOTrainer for pairs that come tokenized (genai_flow.align.tokens): the prompt as
    fine-tune and serving render it, each answer with its end-of-sequence suffix; TRL's own
    text preparation (prompt extraction, EOS, tokenization) would tokenize them differently."""

    def _prepare_dataset(self, dataset, processing_class, args, dataset_name):
        if isinstance(dataset, Dataset) and {"prompt_ids", "chosen_ids", "rejected_ids"} <= set(dataset.column_names):
            return dataset
        return super()._prepare_dataset(dataset, processing_class, args, dataset_name)


def dpo_arguments(config: AlignConfig, output_dir: Path, on_cuda: bool) -> DPOConfig:
    return DPOConfig(
        output_dir=str(output_dir),
        per_device_train_batch_size=config.batch_size,
        per_device_eval_batch_size=config.batch_size,
        max_steps=config.max_steps,
        learning_rate=config.learning_rate,
        lr_scheduler_type="cosine",
        warmup_steps=0.1,  # below 1: a fraction of the steps
        beta=config.beta,
        max_length=config.max_length,  # pairs already fit; TRL's own cut is a no-op
        logging_steps=1,  # loss and reward margins per step, for the MLRun callback
        save_strategy="no",  # a short run: the model is logged at the end
        report_to=[],
        seed=config.seed,
        data_seed=config.seed,
        use_cpu=not on_cuda,
        fp16=on_cuda,
        bf16=False,  # the config would pick bf16 when fp16 is off: CPU trains in fp32
        activation_checkpointing=False,  # on by default in TRL, at ~20% of the speed
        dataloader_num_workers=0,
        disable_tqdm=False,
    )


def build_dpo_trainer(
    model, tokenizer, pairs: Dataset, config: AlignConfig, output_dir: Path, *, on_cuda: bool,
    callbacks: Optional[list] = None,
) -> PreTokenizedDPOTrainer:
    """A DPOTrainer over ``model`` (the base with the supervised adapter loaded trainable): TRL
    adds a frozen copy of the adapter as the reference, so the policy starts as the supervised
    model and the KL term keeps it near it."""
    return PreTokenizedDPOTrainer(
        model=model,
        args=dpo_arguments(config, output_dir, on_cuda),
        train_dataset=pairs,
        processing_class=tokenizer,
        callbacks=callbacks or [],
    )
