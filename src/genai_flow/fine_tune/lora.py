"""LoRA adapters (PEFT) on a causal language model."""

from __future__ import annotations

from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training


def add_lora(model, r: int, alpha: int, dropout: float, target_modules: list[str], quantized: bool = False):
    """Wrap ``model`` with a trainable LoRA adapter; the base weights stay frozen."""
    if quantized:
        # 8/4-bit bases need fp32 norms and input grads for stable k-bit training.
        model = prepare_model_for_kbit_training(model)
    config = LoraConfig(
        r=r,
        lora_alpha=alpha,
        lora_dropout=dropout,
        target_modules=list(target_modules),
        bias="none",
        task_type="CAUSAL_LM",
    )
    return get_peft_model(model, config)


def trainable_fraction(model) -> float:
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    return trainable / total
