"""Retrieve knowledge-base passages for a question (the serving graph's retrieval step)."""

from __future__ import annotations

import logging
from typing import Optional

from .. import schema
from ..model_loading import ModelConfig
from .config import RetrievalConfig
from .embedder import get_embedder, model_label
from .store import StoreLocation, open_collection

logger = logging.getLogger(__name__)


def retrieve(
    query: str,
    config: RetrievalConfig,
    location: StoreLocation,
    models: ModelConfig,
    where: Optional[dict] = None,
) -> list[dict]:
    """The ``config.k`` chunks closest to ``query``, best first (those scoring below
    ``config.min_score`` dropped).

    Each hit has ``id``, ``text``, ``subject``, ``source``, ``type``, ``split``, ``chunk``,
    ``score`` (cosine similarity, higher is closer) and ``distance`` (1 - score). A collection
    that does not exist yet (nothing embedded) gives no hits; the embedder and the client are
    loaded once per process.

    :param where: a Chroma metadata filter, e.g. ``{"split": "train"}``.
    """
    if not isinstance(query, str) or not query.strip():
        raise ValueError("retrieve() needs a non-empty query string")

    label = model_label(models.embedding_model)
    store = open_collection(location, config.collection, label)
    if store is None:
        logger.debug("no collection %s yet: no passages", config.collection)
        return []
    size = store.count()
    if size == 0:
        return []
    vector = get_embedder(models).encode([query], normalize_embeddings=True, convert_to_numpy=True)[0]
    found = store.query(
        query_embeddings=[vector.tolist()],
        n_results=min(config.k, size),  # Chroma warns when asked for more than it holds
        where=where,
        include=["documents", "metadatas", "distances"],
    )
    hits = []
    for key, text, metadata, distance in zip(
        found["ids"][0], found["documents"][0], found["metadatas"][0], found["distances"][0]
    ):
        score = 1.0 - float(distance)
        if score < config.min_score:
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
