"""The toxicity guard's settings (``toxicity_*``), resolved once by each entry point."""

from __future__ import annotations

import dataclasses
from typing import Optional

from ..settings import Settings, stage_config


@dataclasses.dataclass(frozen=True)
class ToxicityConfig:
    """The guard's settings (``toxicity_*``)."""

    threshold: float  # flagged at or above, 0..1
    backend: str  # "profanity-check" (offline default) or "transformers"
    model: Optional[str]  # transformers backend: folder or hub id
    label: Optional[str]  # that model's toxic label (None: detected)

    def __post_init__(self):
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"toxicity threshold must be in 0..1, not {self.threshold}")

    @classmethod
    def from_settings(cls, settings: Optional[Settings] = None, **overrides) -> "ToxicityConfig":
        return stage_config(cls, "toxicity_", settings, **overrides)
