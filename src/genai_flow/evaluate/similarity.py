"""Semantic similarity of generated answers to reference answers (MiniLM cosine)."""

from __future__ import annotations

import functools

from ..model_loading import ModelConfig, load_embedder


@functools.lru_cache(maxsize=2)
def _embedder(models: ModelConfig):
    # One encoder per process and config: every scored model (base, tuned, deployed) shares it.
    return load_embedder(models)


def semantic_similarity(predictions: list[str], references: list[str], models: ModelConfig) -> list[float]:
    """Cosine similarity per pair under ``models.embedding_model``, in [-1, 1] (in practice
    0..1 for sentences)."""
    if len(predictions) != len(references):
        raise ValueError(f"{len(predictions)} predictions but {len(references)} references")
    encoder = _embedder(models)
    predicted = encoder.encode(predictions, normalize_embeddings=True, convert_to_numpy=True)
    expected = encoder.encode(references, normalize_embeddings=True, convert_to_numpy=True)
    return [float(value) for value in (predicted * expected).sum(axis=1)]
