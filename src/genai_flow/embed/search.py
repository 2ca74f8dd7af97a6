"""Retrieve knowledge-base passages for a question (the serving graph's retrieval step)."""

from __future__ import annotations

import logging
from typing import Optional

import numpy as np
from chromadb.api.models.Collection import Collection

from .. import schema
from ..model_loading import ModelConfig
from . import lexical
from .config import RetrievalConfig
from .embedder import get_embedder, model_label
from .store import StoreLocation, open_collection

logger = logging.getLogger(__name__)

RRF_K = 60  # reciprocal-rank fusion's usual constant: damps the weight of the very first ranks


def retrieve(
    query: str,
    config: RetrievalConfig,
    location: StoreLocation,
    models: ModelConfig,
    where: Optional[dict] = None,
    vector: Optional[np.ndarray] = None,
) -> list[dict]:
    """The ``config.k`` best chunks for ``query``, best first (those whose cosine similarity
    is below ``config.min_score`` dropped).

    Dense only (``config.hybrid`` off): the chunks closest to the query's MiniLM vector.
    Hybrid: the ``config.candidates`` closest chunks and the ``config.candidates`` best by
    BM25 (see :mod:`.lexical`) are fused by reciprocal rank,
    ``1 / (60 + dense rank) + 1 / (60 + lexical rank)`` (a ranking a chunk is not in adds 0),
    so a chunk that shares a rare exact word with the query (an error code) rises.

    Each hit has ``id``, ``text``, ``subject``, ``source``, ``type``, ``split``, ``chunk``,
    ``key`` (its Chroma id), ``score`` (cosine similarity to the query, higher is closer, in
    both modes: an absolute relevance signal), ``distance`` (1 - score), ``rank_score`` (what
    the hits are ordered by: the fused score, or the cosine when dense only) and
    ``lexical_rank`` (1-based BM25 rank, None when not among the BM25 candidates or dense
    only). A collection that does not exist yet (nothing embedded) gives no hits; the
    embedder, the client and the BM25 index are loaded once per process.

    :param where: a Chroma metadata filter, e.g. ``{"split": "train"}`` (both rankings).
    :param vector: the query's normalized embedding by ``models.embedding_model``, when the
        caller already has it (serving embeds the question once, for the toxicity guard too).
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
    if vector is None:
        vector = get_embedder(models).encode([query], normalize_embeddings=True, convert_to_numpy=True)[0]
    wanted = config.candidates if config.hybrid else config.k
    found = store.query(
        query_embeddings=[vector.tolist()],
        n_results=min(wanted, size),  # Chroma warns when asked for more than it holds
        where=where,
        include=["documents", "metadatas", "distances"],
    )
    dense = [
        _hit(key, text, metadata, 1.0 - float(distance))
        for key, text, metadata, distance in zip(
            found["ids"][0], found["documents"][0], found["metadatas"][0], found["distances"][0]
        )
    ]
    if config.hybrid:
        hits = _fuse(dense, query, vector, store, location, size, config.candidates, where)
    else:
        hits = dense
    return [hit for hit in hits if hit["score"] >= config.min_score][: config.k]


def _hit(key: str, text: str, metadata: Optional[dict], score: float) -> dict:
    metadata = metadata or {}
    return {
        "id": metadata.get(schema.ID, key),
        "text": text,
        "subject": metadata.get(schema.SUBJECT, ""),
        "source": metadata.get(schema.SOURCE, ""),
        "type": metadata.get(schema.TYPE, ""),
        "split": metadata.get(schema.SPLIT, ""),
        "chunk": metadata.get(schema.CHUNK, 0),
        "score": round(score, 6),
        "distance": round(1.0 - score, 6),
        "key": key,
        "rank_score": round(score, 6),
        "lexical_rank": None,
    }


def _fuse(
    dense: list[dict],
    query: str,
    vector: np.ndarray,
    store: Collection,
    location: StoreLocation,
    size: int,
    candidates: int,
    where: Optional[dict],
) -> list[dict]:
    """The dense hits and the BM25 ranking fused by reciprocal rank, best first."""
    by_key = {hit["key"]: hit for hit in dense}
    lexical_ids = lexical.lexical_ranking(query, store, location, size, candidates, where, present=by_key)
    missing = [key for key in lexical_ids if key not in by_key]
    if missing:
        # BM25 found them, dense did not: read them (and their vectors, for the cosine).
        stored = store.get(ids=missing, include=["documents", "metadatas", "embeddings"])
        for key, text, metadata, embedding in zip(
            stored["ids"], stored["documents"], stored["metadatas"], stored["embeddings"]
        ):
            stored_vector = np.asarray(embedding, dtype=np.float64)
            cosine = float(stored_vector @ vector) / (float(np.linalg.norm(stored_vector)) or 1.0)
            by_key[key] = _hit(key, text, metadata, cosine)
        if len(stored["ids"]) < len(missing):
            # Deleted since the index was built (replaced, same count): rebuild it next time.
            lexical.forget(location, store.name)
            lexical_ids = [key for key in lexical_ids if key in by_key]

    fused = {hit["key"]: 1.0 / (RRF_K + rank) for rank, hit in enumerate(dense, 1)}
    for rank, key in enumerate(lexical_ids, 1):
        fused[key] = fused.get(key, 0.0) + 1.0 / (RRF_K + rank)
        by_key[key]["lexical_rank"] = rank
    for key, value in fused.items():
        by_key[key]["rank_score"] = round(value, 6)
    # Equal fused scores (a chunk first in one ranking, another first in the other): the
    # closer one by cosine goes first.
    return sorted(by_key.values(), key=lambda hit: (fused[hit["key"]], hit["score"]), reverse=True)
