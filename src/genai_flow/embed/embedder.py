"""The embedding model for indexing and queries, loaded once per process."""

from __future__ import annotations

import functools

from ..model_loading import PACKAGED_EMBEDDERS, ModelConfig, load_embedder


def model_label(name: str) -> str:
    """The name recorded with a collection: a packaged model's short name, else ``name``."""
    for model in PACKAGED_EMBEDDERS.values():
        if name in (model.name, model.hub_id):
            return model.name
    return name


@functools.lru_cache(maxsize=2)
def get_embedder(models: ModelConfig):
    """The sentence-transformers model for ``models.embedding_model`` (cached per process)."""
    return load_embedder(models)
