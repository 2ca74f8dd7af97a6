"""The fine-tune stage's settings, resolved once by the handler (defaults: settings.py, "finetune_")."""

from __future__ import annotations

import dataclasses
from typing import Optional

from ..model_loading import QUANTIZATIONS
from ..settings import Settings, stage_config


@dataclasses.dataclass(frozen=True)
class FineTuneConfig:
    """How one LoRA fine-tuning run trains (each field is the setting ``finetune_<field>``)."""

    quantization: str  # "none", "8bit" or "4bit" (quantized loading needs CUDA)
    lora_r: int  # LoRA rank
    lora_alpha: int  # LoRA scaling
    lora_dropout: float  # dropout on the LoRA inputs
    target_modules: list[str]  # module names that get adapters, e.g. ["q_proj", "v_proj"]
    epochs: float  # passes over the examples (when max_steps is 0)
    max_steps: int  # optimizer steps; 0: run the epochs in full
    learning_rate: float  # peak learning rate (cosine schedule after a 10% warm-up)
    batch_size: int  # examples per device step
    gradient_accumulation_steps: int  # device steps per optimizer step
    max_length: int  # tokens per example (prompt + answer); longer answers are cut
    max_examples: int  # use only the first N training tickets; 0: all
    save_steps: int  # checkpoint every N optimizer steps
    seed: int  # data order and LoRA initialization
    validation_examples: int  # training tickets held out to score a validation loss; 0: none

    def __post_init__(self):
        problems = []
        if self.quantization not in QUANTIZATIONS:
            problems.append(f"quantization must be one of {', '.join(QUANTIZATIONS)}, not {self.quantization!r}")
        for name in ("lora_r", "lora_alpha", "batch_size", "gradient_accumulation_steps", "save_steps"):
            if getattr(self, name) < 1:
                problems.append(f"{name} must be at least 1, not {getattr(self, name)}")
        for name in ("max_steps", "max_examples", "validation_examples"):
            if getattr(self, name) < 0:
                problems.append(f"{name} must be 0 or more, not {getattr(self, name)}")
        if not 0 <= self.lora_dropout < 1:
            problems.append(f"lora_dropout must be in [0, 1), not {self.lora_dropout}")
        if not self.target_modules:
            problems.append("target_modules must name at least one module (e.g. q_proj)")
        if self.max_steps == 0 and self.epochs <= 0:
            problems.append(f"epochs must be above 0 when max_steps is 0, not {self.epochs}")
        if self.learning_rate <= 0:
            problems.append(f"learning_rate must be above 0, not {self.learning_rate}")
        if self.max_length < 16:
            problems.append(f"max_length must be at least 16 tokens, not {self.max_length}")
        if problems:
            raise ValueError("fine-tune settings: " + "; ".join(problems))

    @classmethod
    def from_settings(cls, settings: Optional[Settings] = None, **overrides) -> "FineTuneConfig":
        return stage_config(cls, "finetune_", settings=settings, **overrides)
