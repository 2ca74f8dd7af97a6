"""Where the vectors live: a Chroma server (HttpClient) or a folder (PersistentClient)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Optional

from ..settings import Settings


@dataclasses.dataclass(frozen=True)
class StoreLocation:
    """Where the vectors live: a server URL (HttpClient) or a folder (PersistentClient)."""

    url: Optional[str] = None
    path: Optional[Path] = None
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def kind(self) -> str:
        return "http" if self.url else "persistent"

    def __str__(self) -> str:
        return self.url or str(self.path)

    @classmethod
    def from_settings(cls, settings: Settings) -> "StoreLocation":
        """The configured store: the server ``chroma_url`` if set, else the folder."""
        return store_location(settings.chroma_url, settings.chroma_folder, settings.chroma_headers)

    def to_dict(self) -> dict:
        """JSON-ready (serving graph class arguments); ``store_location(**d)`` rebuilds it."""
        return {"url": self.url, "path": str(self.path) if self.path else None, "headers": dict(self.headers)}


def store_location(
    url: Optional[str] = None, path: Optional[str | Path] = None, headers: Optional[dict] = None
) -> StoreLocation:
    """A server ``url`` (HttpClient, with ``headers``) or else a folder ``path``."""
    if url:
        return StoreLocation(url=url.rstrip("/"), headers=tuple(sorted((headers or {}).items())))
    if not path:
        raise ValueError("a Chroma store needs a server URL or a folder")
    return StoreLocation(path=Path(path).expanduser().resolve())
