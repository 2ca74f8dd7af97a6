"""BM25 over a collection's chunks: the lexical half of hybrid retrieval.

Dense (MiniLM) vectors blur exact words such as error codes and menu names; BM25 ranks by
them. The index holds every chunk of the collection, tokenized from what the embedder sees
(subject and text). It is built on first use and kept per process, and rebuilt when the
collection's entry count (or the collection itself) changes, when a chunk the dense side just
returned is not in it (a chunk replaced at the same count), or after :func:`forget`.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Iterable
from typing import Optional

import numpy as np
from chromadb.api.models.Collection import Collection
from rank_bm25 import BM25Okapi

from .. import schema
from .location import StoreLocation

_WORD = re.compile(r"[a-z0-9]+")


def tokenize(text: str) -> list[str]:
    """Lower-case ASCII letter and digit runs: "ORB-4221" gives ["orb", "4221"]."""
    return _WORD.findall(text.lower())


@dataclasses.dataclass(frozen=True)
class LexicalIndex:
    """BM25 scores for the chunks ``ids`` (the collection's Chroma ids)."""

    key: tuple  # (collection id, entry count) when built
    ids: list[str]
    bm25: Optional[BM25Okapi]  # None when no chunk has a single word to match
    known: frozenset[str]  # the ids again, for look-ups

    def holds(self, keys: Iterable[str]) -> bool:
        """Whether every id of ``keys`` is indexed."""
        return all(key in self.known for key in keys)

    def rank(self, query: str, limit: int, allowed: Optional[set[str]] = None) -> list[str]:
        """Ids of the chunks sharing a word with ``query``, best first, at most ``limit``;
        only those in ``allowed`` when it is given."""
        words = tokenize(query)
        if self.bm25 is None or not words:
            return []
        scores = self.bm25.get_scores(words)
        order = np.argsort(-scores, kind="stable")  # ties keep the store's order: repeatable
        ranked = []
        for position in order:
            if scores[position] <= 0:  # no shared word: no lexical rank at all
                break
            if allowed is None or self.ids[position] in allowed:
                ranked.append(self.ids[position])
                if len(ranked) == limit:
                    break
        return ranked


_indexes: dict[tuple[StoreLocation, str], LexicalIndex] = {}
_lock = threading.Lock()  # serving may retrieve from several threads: build once


def build_index(collection: Collection, key: tuple = ()) -> LexicalIndex:
    """A BM25 index of every chunk in ``collection`` (read with one ``get``)."""
    stored = collection.get(include=["documents", "metadatas"])
    corpus = [
        tokenize(schema.embedding_text((metadata or {}).get(schema.SUBJECT, ""), document or ""))
        for document, metadata in zip(stored["documents"], stored["metadatas"])
    ]
    # BM25Okapi divides by the mean chunk length: an index without words would score NaN.
    bm25 = BM25Okapi(corpus) if any(corpus) else None
    ids = list(stored["ids"])
    return LexicalIndex(key=key, ids=ids, bm25=bm25, known=frozenset(ids))


def lexical_index(
    collection: Collection, location: StoreLocation, count: int, present: Iterable[str] = ()
) -> LexicalIndex:
    """The cached index of ``collection`` at ``location``, rebuilt when ``count`` (its entries
    now) or the collection's id differs from when it was built, or it lacks a key of
    ``present`` (chunks known to be stored now)."""
    key = (str(collection.id), count)
    with _lock:
        index = _indexes.get((location, collection.name))
        if index is None or index.key != key or not index.holds(present):
            index = _indexes[(location, collection.name)] = build_index(collection, key)
        return index


def forget(location: StoreLocation, name: str) -> None:
    """Drop the cached index of collection ``name``: the next query rebuilds it. For changes
    that keep the entry count (a chunk replaced by a new version)."""
    with _lock:
        _indexes.pop((location, name), None)


def lexical_ranking(
    query: str,
    collection: Collection,
    location: StoreLocation,
    count: int,
    limit: int,
    where: Optional[dict] = None,
    present: Iterable[str] = (),
) -> list[str]:
    """Ids of the ``limit`` chunks of ``collection`` that BM25 ranks best for ``query``.

    :param present: ids just read from the collection (the dense hits), to catch a stale index.
    :param where: a Chroma metadata filter; Chroma itself says which chunks match, so every
        operator it knows works the same on both sides of hybrid retrieval.
    """
    allowed = set(collection.get(where=where, include=[])["ids"]) if where else None
    return lexical_index(collection, location, count, present).rank(query, limit, allowed)
