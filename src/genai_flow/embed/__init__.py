"""Retrieval: chunks embedded with MiniLM into a Chroma collection, and search over it.

- :func:`index_chunks`: embed the dataset rows the collection lacks (idempotent upserts);
- :func:`retrieve`: the passages closest to a question, for the serving graph;
- :func:`open_collection` / :func:`store_location`: where the vectors live (folder or server).
"""

from .indexing import IndexReport, content_key, index_chunks, select_chunks
from .search import retrieve
from .store import StoreLocation, get_client, open_collection, store_location

__all__ = [
    "IndexReport",
    "StoreLocation",
    "content_key",
    "get_client",
    "index_chunks",
    "open_collection",
    "retrieve",
    "select_chunks",
    "store_location",
]
