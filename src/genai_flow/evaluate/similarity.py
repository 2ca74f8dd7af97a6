"""Semantic similarity of generated answers to reference answers (MiniLM cosine)."""

from __future__ import annotations

import functools

from ..model_loading import load_embedder


@functools.lru_cache(maxsize=2)
def _embedder(name: str | None):
    return load_embedder(name)


def semantic_similarity(predictions: list[str], references: list[str], model: str | None = None) -> list[float]:
    """Cosine similarity per pair, in [-1, 1] (in practice 0..1 for sentences)."""
    encoder = _embedder(model)
    predicted = encoder.encode(predictions, normalize_embeddings=True, convert_to_numpy=True)
    expected = encoder.encode(references, normalize_embeddings=True, convert_to_numpy=True)
    return [float(value) for value in (predicted * expected).sum(axis=1)]
