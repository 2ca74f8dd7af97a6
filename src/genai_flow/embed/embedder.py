"""The embedding model for indexing and queries, loaded once per process."""

from __future__ import annotations

import functools
from typing import Optional

from ..model_loading import PACKAGED_EMBEDDERS, load_embedder
from ..settings import get_settings


def model_label(name: Optional[str] = None) -> str:
    """The name recorded with a collection: a packaged model's short name, else the setting."""
    name = name or get_settings().embedding_model
    for model in PACKAGED_EMBEDDERS.values():
        if name in (model.name, model.hub_id):
            return model.name
    return name


@functools.lru_cache(maxsize=2)
def _load(label: str):
    return load_embedder(label)


def get_embedder(name: Optional[str] = None):
    """The sentence-transformers model for the ``embedding_model`` setting (cached)."""
    return _load(model_label(name))
