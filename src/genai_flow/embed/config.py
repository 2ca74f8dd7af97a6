"""The embed stage's settings, resolved once by its handler (and by the serving graph)."""

from __future__ import annotations

import dataclasses
from typing import Optional

from ..settings import Settings, setting, stage_config


@dataclasses.dataclass(frozen=True)
class EmbedConfig:
    """What the embed step indexes."""

    collection: str = dataclasses.field(metadata=setting("chroma_collection"))
    types: list[str] = dataclasses.field(metadata=setting("embed_types"))  # dataset row types
    batch_size: int = dataclasses.field(metadata=setting("embed_batch_size"))  # chunks per step

    def __post_init__(self):
        if self.batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {self.batch_size}")
        if not self.types:
            raise ValueError("types must name at least one dataset row type, e.g. ['article']")

    @classmethod
    def from_settings(cls, settings: Optional[Settings] = None, **overrides) -> "EmbedConfig":
        return stage_config(cls, settings=settings, **overrides)


@dataclasses.dataclass(frozen=True)
class RetrievalConfig:
    """How the serving graph retrieves passages for a question."""

    collection: str = dataclasses.field(metadata=setting("chroma_collection"))
    k: int = dataclasses.field(metadata=setting("retrieval_k"))  # hits per question
    min_score: float = dataclasses.field(metadata=setting("retrieval_min_score"))  # cosine
    hybrid: bool = dataclasses.field(metadata=setting("retrieval_hybrid"))  # fuse dense with BM25
    candidates: int = dataclasses.field(metadata=setting("retrieval_candidates"))  # per ranking

    def __post_init__(self):
        if self.k < 1:
            raise ValueError(f"k must be at least 1, not {self.k}")
        if self.candidates < self.k:
            raise ValueError(f"candidates must be at least k ({self.k}), not {self.candidates}")

    @classmethod
    def from_settings(cls, settings: Optional[Settings] = None, **overrides) -> "RetrievalConfig":
        return stage_config(cls, settings=settings, **overrides)
