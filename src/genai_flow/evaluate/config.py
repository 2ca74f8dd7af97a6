"""The evaluate stage's settings (``evaluate_*``), resolved once by its handler."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Optional

from ..settings import Settings, stage_config


@dataclasses.dataclass(frozen=True)
class EvaluateConfig:
    """How many held-out tickets are scored, and how answers are generated and measured."""

    max_examples: int  # the first N held-out tickets; 0: all of them
    max_new_tokens: int  # answer length limit, tokens
    batch_size: int  # prompts per generation and perplexity batch
    max_length: int  # prompt + reference answer tokens for perplexity
    fact_set: Optional[Path]  # the fact set (None: data/fact_set/fact_set.jsonl of the project)
    fact_questions: int  # fact-set questions scored, and as many off-topic ones; 0: all
    calibrate: bool  # fit the serving thresholds on the fact set and store them with the model
    compare_fp32: bool  # when the served form is quantized, score the float32 candidate beside it

    def __post_init__(self):
        for name in ("max_examples", "fact_questions"):
            if getattr(self, name) < 0:
                raise ValueError(f"evaluate_{name} must be 0 (all) or more, not {getattr(self, name)}")
        for name in ("max_new_tokens", "batch_size", "max_length"):
            if getattr(self, name) < 1:
                raise ValueError(f"evaluate_{name} must be at least 1, not {getattr(self, name)}")

    @classmethod
    def from_settings(cls, settings: Optional[Settings] = None, **overrides) -> "EvaluateConfig":
        return stage_config(cls, "evaluate_", settings, **overrides)
