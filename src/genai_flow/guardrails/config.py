"""The toxicity guard's settings (``toxicity_*``), resolved once by each entry point."""

from __future__ import annotations

import dataclasses
from typing import Optional

from ..settings import Settings, setting, stage_config

EMBEDDING_HEAD, PROFANITY_CHECK, TRANSFORMERS = "embedding-head", "profanity-check", "transformers"
ALIASES = {"default": EMBEDDING_HEAD, "head": EMBEDDING_HEAD}  # evaluate's config name "default"
# The threshold each backend flags at when none is configured; the embedding head's is the one
# validated with it, in its json.
DEFAULT_THRESHOLDS = {PROFANITY_CHECK: 0.7, TRANSFORMERS: 0.5}


@dataclasses.dataclass(frozen=True)
class ToxicityConfig:
    """The guard's settings (``toxicity_*``)."""

    threshold: Optional[float]  # flagged at or above, 0..1; None: the classifier's own
    backend: str  # "embedding-head" (offline default), "profanity-check" or "transformers"
    model: Optional[str]  # transformers: folder or hub id; embedding-head: a retrained head (.npz)
    label: Optional[str]  # the transformers model's toxic label (None: detected)
    # The project's embedding model: callers pass the guard embeddings from it (serving does,
    # for retrieval); the head uses them only when it was trained on the same model.
    embedding_model: Optional[str] = dataclasses.field(default=None, metadata=setting("embedding_model"))

    def __post_init__(self):
        if self.threshold is not None and not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"toxicity threshold must be in 0..1, not {self.threshold}")

    @classmethod
    def from_settings(cls, settings: Optional[Settings] = None, **overrides) -> "ToxicityConfig":
        return stage_config(cls, "toxicity_", settings, **overrides)
