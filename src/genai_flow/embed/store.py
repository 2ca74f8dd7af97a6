"""The Chroma vector store: a folder on this machine, or a Chroma server when a URL is set.

Local mode keeps the collection in ``<project_dir>/.chroma`` (``chromadb.PersistentClient``);
cluster mode sets ``GENAI_FLOW_CHROMA_URL`` and every pod talks to one server
(``chromadb.HttpClient``). Collections use cosine distance and remember the embedding model
that filled them, so a query is never embedded with another model. Telemetry is off.
"""

from __future__ import annotations

import functools
import threading
from typing import Optional
from urllib.parse import urlparse

import chromadb
from chromadb.api import API
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings
from chromadb.telemetry import Telemetry, TelemetryEvent
from overrides import override

from .location import StoreLocation

SPACE = "cosine"
MODEL_KEY = "embedding_model"  # collection metadata: the model whose vectors it holds


class NoTelemetry(Telemetry):
    """Chroma's telemetry component, doing nothing: no events, no user-id file, no network."""

    @override  # Chroma's components insist on the marker
    def capture(self, event: TelemetryEvent) -> None:
        pass


def chroma_settings() -> ChromaSettings:
    """Chroma client settings with telemetry off (a fresh object: Chroma's clients mutate it)."""
    return ChromaSettings(
        anonymized_telemetry=False,
        chroma_telemetry_impl=f"{NoTelemetry.__module__}.{NoTelemetry.__qualname__}",
    )


_client_lock = threading.Lock()


@functools.lru_cache(maxsize=8)
def _client(location: StoreLocation) -> API:
    if location.url:
        parsed = urlparse(location.url if "://" in location.url else f"http://{location.url}")
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError(f"chroma_url must look like http://host:port, not {location.url!r}")
        port = parsed.port or (443 if parsed.scheme == "https" else 8000)
        return chromadb.HttpClient(
            host=parsed.hostname,
            port=str(port),
            ssl=parsed.scheme == "https",
            headers=dict(location.headers),
            settings=chroma_settings(),
        )
    location.path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(location.path), settings=chroma_settings())


def get_client(location: StoreLocation) -> API:
    """The Chroma client for ``location``, one per process.

    One client per folder matters: two Chroma systems on the same folder in one process keep
    separate in-memory indexes and would not see each other's writes.
    """
    # lru_cache lets two first callers both build a client: two Chroma systems migrating one new
    # folder at once fail ("table collections already exists"), as concurrent first requests did.
    with _client_lock:
        return _client(location)


def collection_name(name: str) -> str:
    """``name``, checked against Chroma 0.4's 3-63 character rule early."""
    if not 3 <= len(name) <= 63:
        raise ValueError(f"Chroma collection names need 3 to 63 characters, got {name!r}")
    return name


def open_collection(
    location: StoreLocation,
    name: str,
    embedding_model: Optional[str] = None,
    create: bool = False,
) -> Optional[Collection]:
    """The collection ``name`` (cosine space); None if it does not exist and ``create`` is off.

    :raises ValueError: the collection holds vectors of another embedding model than
        ``embedding_model`` (mixing models makes distances meaningless).
    """
    client = get_client(location)
    name = collection_name(name)
    # embedding_function=None: vectors always come from our embedder; Chroma's default
    # function would download an ONNX model.
    if any(existing.name == name for existing in client.list_collections()):
        collection = client.get_collection(name, embedding_function=None)
    elif create:
        metadata = {"hnsw:space": SPACE}
        if embedding_model:
            metadata[MODEL_KEY] = embedding_model
        collection = client.create_collection(name, metadata=metadata, embedding_function=None)
    else:
        return None
    stored = (collection.metadata or {}).get(MODEL_KEY)
    if embedding_model and stored and stored != embedding_model:
        raise ValueError(
            f"collection {name!r} at {location} holds {stored} embeddings, "
            f"not {embedding_model}: use another collection name or delete this one"
        )
    return collection
