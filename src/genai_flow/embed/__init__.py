"""MLRun function `embed`: chunks embedded with MiniLM into a Chroma collection, and search over it.

- ``handler.embed_chunks``: the MLRun handler;
- :func:`index_chunks`: embed the dataset rows the collection lacks (idempotent upserts);
- :func:`retrieve`: the passages closest to a question, for the serving graph;
- :func:`open_collection` / :class:`StoreLocation`: where the vectors live (folder or server);
- :class:`EmbedConfig` / :class:`RetrievalConfig`: the settings, resolved once.
"""

from .config import EmbedConfig, RetrievalConfig
from .location import StoreLocation, store_location

_LAZY = {  # Chroma and the embedder load on first use, not when the configs are imported
    "IndexReport": "indexing", "content_key": "indexing", "index_chunks": "indexing",
    "select_chunks": "indexing", "retrieve": "search", "get_client": "store",
    "open_collection": "store",
}
__all__ = ["EmbedConfig", "RetrievalConfig", "StoreLocation", "store_location", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
