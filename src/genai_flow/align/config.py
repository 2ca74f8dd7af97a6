"""The align stage's settings, resolved once by the handler (defaults: settings.py, "align_")."""

from __future__ import annotations

import dataclasses
from typing import Optional

from ..settings import Settings, stage_config


@dataclasses.dataclass(frozen=True)
class AlignConfig:
    """How one preference-optimization run trains (each field is the setting ``align_<field>``)."""

    min_pairs: int  # fewer pairs: no training, the supervised model passes on
    synthetic_pairs: int  # training tickets turned into pairs (reference chosen over the model's answer)
    heldout_fraction: float  # pairs kept out of training to measure reward margin and accuracy
    beta: float  # DPO's beta
    learning_rate: float  # peak learning rate
    max_steps: int  # optimizer steps
    batch_size: int  # pairs per step
    max_length: int  # prompt + answer tokens
    max_new_tokens: int  # length of the model's own answers (synthetic pairs)
    seed: int  # pair order and the held-out split

    def __post_init__(self):
        problems = []
        for name in ("min_pairs", "max_steps", "batch_size", "max_new_tokens"):
            if getattr(self, name) < 1:
                problems.append(f"{name} must be at least 1, not {getattr(self, name)}")
        if self.synthetic_pairs < 0:
            problems.append(f"synthetic_pairs must be 0 or more, not {self.synthetic_pairs}")
        if not 0 < self.heldout_fraction < 1:
            problems.append(f"heldout_fraction must be in (0, 1), not {self.heldout_fraction}")
        if self.beta <= 0 or self.learning_rate <= 0:
            problems.append(f"beta and learning_rate must be above 0, not {self.beta} and {self.learning_rate}")
        if self.max_length < 16:
            problems.append(f"max_length must be at least 16 tokens, not {self.max_length}")
        if problems:
            raise ValueError("align settings: " + "; ".join(problems))

    @classmethod
    def from_settings(cls, settings: Optional[Settings] = None, **overrides) -> "AlignConfig":
        return stage_config(cls, "align_", settings=settings, **overrides)
