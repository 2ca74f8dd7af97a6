"""LoRA (PEFT): the adapter's configuration, which SFTTrainer applies to the base model."""

from __future__ import annotations

from peft import LoraConfig, prepare_model_for_kbit_training

from .config import FineTuneConfig


def lora_config(config: FineTuneConfig) -> LoraConfig:
    """A trainable low-rank adapter on ``config.target_modules``; the base weights stay frozen."""
    return LoraConfig(
        r=config.lora_r,
        lora_alpha=config.lora_alpha,
        lora_dropout=config.lora_dropout,
        target_modules=list(config.target_modules),
        bias="none",
        task_type="CAUSAL_LM",
    )


def prepare_quantized(model):
    """An 8/4-bit base, ready for LoRA training: frozen, with its non-quantized weights (norms,
    embeddings) in fp32 for stable updates. Gradient checkpointing and input gradients are
    switched on by SFTTrainer (``activation_checkpointing=True`` for quantized runs)."""
    return prepare_model_for_kbit_training(model, use_gradient_checkpointing=False)


def trainable_fraction(model) -> float:
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    return trainable / total
