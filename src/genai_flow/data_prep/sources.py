"""Where raw data comes from: a folder (recursively), one file, an http(s) URL, or any URL
MLRun can read (s3://, v3io://, store://...). Everything becomes (name, format, bytes)."""

from __future__ import annotations

import dataclasses
import mimetypes
from pathlib import Path, PurePosixPath
from typing import Iterator, Optional
from urllib.parse import urlparse

# File suffix -> format name understood by formats.parse
SUFFIX_FORMATS = {
    ".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".parquet": "parquet", ".pq": "parquet", ".md": "markdown", ".markdown": "markdown",
    ".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".pdf": "pdf",
}
CONTENT_TYPE_FORMATS = {
    "text/csv": "csv", "text/tab-separated-values": "tsv", "application/jsonl": "jsonl",
    "application/x-ndjson": "jsonl", "application/x-jsonlines": "jsonl",
    "application/json": "json", "application/vnd.apache.parquet": "parquet",
    "application/x-parquet": "parquet", "text/markdown": "markdown", "text/x-markdown": "markdown",
    "text/plain": "text", "text/html": "html", "application/xhtml+xml": "html",
    "application/pdf": "pdf",
}
HTTP_TIMEOUT_S = 30


class SourceError(RuntimeError):
    """A source that cannot be read; the message names it and says why."""


@dataclasses.dataclass
class SourceFile:
    """One readable unit: ``name`` is the path relative to the source root, or the URL."""

    name: str
    format: str
    location: str  # a local path or a URL, for reading and for messages
    body: Optional[bytes] = dataclasses.field(default=None, repr=False)  # fetched URLs

    def read(self) -> bytes:
        if self.body is not None:
            return self.body
        if not is_url(self.location):
            try:
                return Path(self.location).read_bytes()
            except OSError as exc:
                raise SourceError(f"cannot read {self.location}: {exc.strerror or exc}") from exc
        return _read_url(self.location)[0]


def is_url(source: str) -> bool:
    return "://" in source


def format_of(name: str) -> Optional[str]:
    """The format of a file name or URL path, from its suffix (None if unknown)."""
    path = PurePosixPath(urlparse(name).path if is_url(name) else name)
    return SUFFIX_FORMATS.get(path.suffix.lower())


def _read_url(url: str) -> tuple[bytes, str]:
    """(body, content type) of a URL; http(s) through requests, anything else through MLRun."""
    scheme = urlparse(url).scheme.lower()
    if scheme in ("http", "https"):
        import requests

        try:
            response = requests.get(url, timeout=HTTP_TIMEOUT_S)
        except requests.RequestException as exc:
            raise SourceError(f"cannot fetch {url}: {_short_reason(exc)}") from exc
        if response.status_code >= 400:
            raise SourceError(f"cannot fetch {url}: HTTP {response.status_code} {response.reason}")
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        return response.content, content_type
    import mlrun

    try:
        return mlrun.get_dataitem(url).get(), ""
    except Exception as exc:  # MLRun raises store-specific errors; name the URL in all cases
        raise SourceError(f"cannot read {url}: {exc}") from exc


def _short_reason(exc: Exception) -> str:
    """The useful words of a requests error (its full text nests three exceptions deep)."""
    text = str(exc)
    for marker in ("Connection refused", "Name or service not known", "timed out",
                   "No route to host", "Temporary failure in name resolution"):
        if marker in text:
            return marker.lower()
    return text


def _url_file(url: str) -> SourceFile:
    body, content_type = _read_url(url)
    fmt = format_of(url) or CONTENT_TYPE_FORMATS.get(content_type)
    if fmt is None and content_type:
        guessed = mimetypes.guess_extension(content_type) or ""
        fmt = SUFFIX_FORMATS.get(guessed)
    if fmt is None:
        raise SourceError(
            f"cannot tell the format of {url} (content type {content_type or 'unknown'}); "
            f"use a URL ending in one of {', '.join(sorted(SUFFIX_FORMATS))}"
        )
    return SourceFile(name=url, format=fmt, location=url, body=body)


def resolve(source: str, base_dir: Path) -> str:
    """A URL as is; a relative path against ``base_dir`` (the project folder)."""
    if is_url(source):
        return source
    path = Path(source).expanduser()
    return str(path if path.is_absolute() else Path(base_dir) / path)


def list_files(source: str) -> tuple[list[SourceFile], list[dict]]:
    """The readable files of a source, and the files skipped (with why).

    A folder is walked recursively in sorted order; hidden files and folders are ignored and
    files of unknown formats are reported as skipped. A URL is fetched here, once.
    """
    if is_url(source):
        return [_url_file(source)], []
    path = Path(source)
    if not path.exists():
        raise SourceError(f"source not found: {path}")
    if path.is_file():
        fmt = format_of(path.name)
        if fmt is None:
            raise SourceError(
                f"unsupported file type: {path} (supported: {', '.join(sorted(SUFFIX_FORMATS))})"
            )
        return [SourceFile(name=path.name, format=fmt, location=str(path))], []
    files, skipped = [], []
    for child in sorted(_walk(path)):
        name = child.relative_to(path).as_posix()
        fmt = format_of(child.name)
        if fmt is None:
            why = f"unsupported file type {child.suffix or '(none)'}"
            skipped.append({"path": name, "reason": why})
        else:
            files.append(SourceFile(name=name, format=fmt, location=str(child)))
    if not files:
        raise SourceError(
            f"no readable files in {path} (supported: {', '.join(sorted(SUFFIX_FORMATS))})"
        )
    return files, skipped


def _walk(folder: Path) -> Iterator[Path]:
    for child in folder.iterdir():
        if child.name.startswith("."):
            continue
        if child.is_dir():
            yield from _walk(child)
        elif child.is_file():
            yield child
