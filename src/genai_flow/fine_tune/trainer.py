"""The training run: TRL's ``SFTTrainer`` with a LoRA ``peft_config``, resumable from checkpoints."""

from __future__ import annotations

from pathlib import Path
from typing import Optional, Union

from datasets import Dataset
from transformers.trainer_utils import get_last_checkpoint
from trl import SFTConfig, SFTTrainer

from .config import FineTuneConfig
from .distributed import per_worker_batch, world_size
from .lora import lora_config, prepare_quantized


class LoraSFTTrainer(SFTTrainer):
    """TRL's SFTTrainer, with the model's own cross-entropy as the loss on CPU.

    SFTTrainer computes its loss through a fused LM head (which also yields its entropy and
    token-accuracy logs). On CUDA that saves the memory of the full logits; without Triton it
    runs a torch fallback that recomputes the LM-head projection in the backward pass: about a
    quarter more time per step on 2 CPU cores (measured: 9.0 s against 7.2 s, batch 8 of ~220
    tokens) for the same value. Either way the loss is the mean negative log-likelihood of the
    answer tokens (labels != -100), as tests/fine_tune checks.
    """

    examples_seen = 0  # training examples this worker computed a loss on

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        if model.training:
            self.examples_seen += int(inputs["input_ids"].shape[0])
        if self.args.device.type != "cpu":
            return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
        inputs["use_cache"] = False  # as SFTTrainer does: no KV cache while training
        return super(SFTTrainer, self).compute_loss(model, inputs, return_outputs, num_items_in_batch)


def resolve_checkpoint(resume_from_checkpoint: Union[str, bool, None], output_dir: Path) -> Optional[str]:
    """``"latest"``/True: the newest checkpoint in ``output_dir`` (None if there is none yet);
    a path: that checkpoint; empty/None/False: start fresh."""
    if not resume_from_checkpoint:
        return None
    if resume_from_checkpoint is True or str(resume_from_checkpoint).lower() in ("latest", "true"):
        return get_last_checkpoint(str(output_dir)) if output_dir.is_dir() else None
    path = Path(resume_from_checkpoint)
    if not path.is_dir():
        raise FileNotFoundError(f"checkpoint {path} does not exist")
    return str(path)


def training_arguments(config: FineTuneConfig, output_dir: Path, on_cuda: bool, quantized: bool) -> SFTConfig:
    workers = world_size()
    return SFTConfig(
        output_dir=str(output_dir),
        # batch_size is per optimizer step: on N workers (torchrun, mpijob), each takes 1/N of it.
        per_device_train_batch_size=per_worker_batch(config.batch_size, workers),
        ddp_backend=None if workers == 1 else "nccl" if on_cuda else "gloo",
        gradient_accumulation_steps=config.gradient_accumulation_steps,
        num_train_epochs=config.epochs,
        max_steps=config.max_steps or -1,
        learning_rate=config.learning_rate,
        lr_scheduler_type="cosine",
        warmup_steps=0.1,  # below 1: a fraction of the steps
        logging_steps=1,  # a loss per optimizer step, for the MLRun callback
        save_strategy="steps",
        save_steps=config.save_steps,
        save_total_limit=2,
        report_to=[],
        seed=config.seed,
        data_seed=config.seed,
        use_cpu=not on_cuda,
        fp16=on_cuda,
        bf16=False,  # SFTConfig turns bf16 on when fp16 is off: CPU trains in fp32
        # (transformers' new name for gradient checkpointing) SFTConfig turns it on by default, at
        # ~20% of the speed; only the memory-bound 8/4-bit runs want it.
        activation_checkpointing=quantized,
        # The examples come tokenized (genai_flow.fine_tune.examples): TRL folds their
        # completion_mask into the labels, so the loss covers the answer tokens only.
        completion_only_loss=True,
        max_length=config.max_length,  # examples already fit; TRL's own cut is a no-op
        train_sampling_strategy="group_by_length",  # batches of similar length: less padding
        dataloader_num_workers=0,
        disable_tqdm=False,
    )


def build_trainer(
    model,
    tokenizer,
    examples: Dataset,
    config: FineTuneConfig,
    output_dir: Path,
    *,
    on_cuda: bool,
    quantized: bool,
    callbacks: Optional[list] = None,
) -> LoraSFTTrainer:
    """An SFTTrainer that wraps ``model`` with the LoRA adapter and trains on ``examples``
    (columns ``input_ids`` and ``completion_mask``, from :func:`.examples.build_examples`)."""
    if quantized:
        model = prepare_quantized(model)
    trainer = LoraSFTTrainer(
        model=model,
        args=training_arguments(config, output_dir, on_cuda, quantized),
        train_dataset=examples,
        processing_class=tokenizer,
        peft_config=lora_config(config),
        callbacks=callbacks or [],
    )
    if quantized:
        # SFTTrainer casts the adapter of an 8/4-bit model to bf16 (the QLoRA recipe); fp16
        # training's gradient scaler cannot unscale bf16 gradients, so the adapter goes back to
        # fp32 as peft creates it (before train() builds the optimizer over these tensors).
        for parameter in trainer.model.parameters():
            if parameter.requires_grad:
                parameter.data = parameter.data.float()
    return trainer
