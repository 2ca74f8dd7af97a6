"""Retrieve knowledge-base passages for a question (the serving graph's retrieval step)."""

from __future__ import annotations

import logging
from typing import Optional

from .. import schema
from ..settings import get_settings
from .embedder import get_embedder, model_label
from .store import StoreLocation, open_collection

logger = logging.getLogger(__name__)


def retrieve(
    query: str,
    k: Optional[int] = None,
    collection: Optional[str] = None,
    min_score: Optional[float] = None,
    where: Optional[dict] = None,
    location: Optional[StoreLocation] = None,
) -> list[dict]:
    """The ``k`` chunks closest to ``query``, best first.

    Each hit has ``id``, ``text``, ``subject``, ``source``, ``type``, ``split``, ``chunk``,
    ``score`` (cosine similarity, higher is closer) and ``distance`` (1 - score). A collection
    that does not exist yet (nothing embedded) gives no hits; the embedder and the client are
    loaded once per process.

    :param query: the question.
    :param k: number of hits (default: the ``retrieval_k`` setting).
    :param collection: collection name (default: the ``chroma_collection`` setting).
    :param min_score: drop hits scoring below this (default: ``retrieval_min_score``).
    :param where: a Chroma metadata filter, e.g. ``{"split": "train"}``.
    :param location: the store (default: the configured folder or server).
    """
    settings = get_settings()
    k = settings.retrieval_k if k is None else k
    min_score = settings.retrieval_min_score if min_score is None else min_score
    if not isinstance(query, str) or not query.strip():
        raise ValueError("retrieve() needs a non-empty query string")
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")

    label = model_label()
    store = open_collection(collection, label, location=location)
    if store is None:
        logger.debug("no collection %s yet: no passages", collection or settings.chroma_collection)
        return []
    size = store.count()
    if size == 0:
        return []
    vector = get_embedder(label).encode([query], normalize_embeddings=True, convert_to_numpy=True)[0]
    found = store.query(
        query_embeddings=[vector.tolist()],
        n_results=min(k, size),  # Chroma warns when asked for more than it holds
        where=where,
        include=["documents", "metadatas", "distances"],
    )
    hits = []
    for key, text, metadata, distance in zip(
        found["ids"][0], found["documents"][0], found["metadatas"][0], found["distances"][0]
    ):
        score = 1.0 - float(distance)
        if score < min_score:
            continue
        hits.append(
            {
                "id": metadata.get(schema.ID, key),
                "text": text,
                "subject": metadata.get(schema.SUBJECT, ""),
                "source": metadata.get(schema.SOURCE, ""),
                "type": metadata.get(schema.TYPE, ""),
                "split": metadata.get(schema.SPLIT, ""),
                "chunk": metadata.get(schema.CHUNK, 0),
                "score": round(score, 6),
                "distance": round(float(distance), 6),
                "key": key,
            }
        )
    return hits
