"""data-prep as plain functions: collect -> clean and filter -> deduplicate -> label -> chunk.

:func:`prepare` runs them all and returns the dataset (the columns of genai_flow.schema), the
rejected rows (each with its reason) and the statistics. The MLRun handler only wires this up.
"""

from __future__ import annotations

import collections
import dataclasses
import hashlib
from pathlib import Path
from typing import Optional

import pandas as pd
from tqdm.auto import tqdm

from .. import schema
from . import formats, sources
from .chunking import chunk_text
from .dedup import NearDuplicateIndex, dedup_key
from .records import REASONS, Record, Rejection
from .text import html_to_text, looks_like_html, non_text_reason, normalize, normalize_line, snippet

REJECTED_COLUMNS = ["source", "origin", "id", "type", "reason", "detail", "snippet"]


@dataclasses.dataclass(frozen=True)
class PrepOptions:
    """The knobs of data-prep (defaults and environment overrides live in settings.py)."""

    min_chars: int = 20
    max_chars: int = 4000
    chunk_size: int = 1000
    chunk_overlap: int = 150
    near_dup_threshold: float = 0.85
    shingle_size: int = 5
    test_fraction: float = 0.15
    min_alpha_ratio: float = 0.5

    def __post_init__(self):
        problems = []
        if self.min_chars < 0:
            problems.append(f"min_chars must be >= 0, got {self.min_chars}")
        if self.max_chars <= self.min_chars:
            problems.append(f"max_chars ({self.max_chars}) must be > min_chars ({self.min_chars})")
        if self.chunk_size <= 0:
            problems.append(f"chunk_size must be positive, got {self.chunk_size}")
        if not 0 <= self.chunk_overlap < self.chunk_size:
            problems.append(
                f"chunk_overlap must be >= 0 and < chunk_size ({self.chunk_size}), "
                f"got {self.chunk_overlap}"
            )
        if not 0 < self.near_dup_threshold <= 1:
            problems.append(f"near_dup_threshold must be in (0, 1], got {self.near_dup_threshold}")
        if self.shingle_size < 1:
            problems.append(f"shingle_size must be >= 1, got {self.shingle_size}")
        if not 0 <= self.test_fraction < 1:
            problems.append(f"test_fraction must be in [0, 1), got {self.test_fraction}")
        if not 0 <= self.min_alpha_ratio <= 1:
            problems.append(f"min_alpha_ratio must be in [0, 1], got {self.min_alpha_ratio}")
        if problems:
            raise ValueError("invalid data-prep options: " + "; ".join(problems))

    @classmethod
    def from_settings(cls, settings) -> "PrepOptions":
        names = [field.name for field in dataclasses.fields(cls)]
        return cls(**{name: getattr(settings, name) for name in names})


@dataclasses.dataclass
class PrepResult:
    """What data-prep produced: the dataset, the rejected rows and the statistics."""

    dataset: pd.DataFrame
    rejected: pd.DataFrame
    stats: dict

    def results(self) -> dict:
        """Flat numbers for MLRun results: rows_in, rows_out, dropped_<reason>,
        rows_<type>_<split>..."""
        flat = {
            "rows_in": self.stats["rows_in"],
            "rows_out": self.stats["rows_out"],
            "rows_dropped": self.stats["rows_dropped"],
            "files_read": self.stats["files_read"],
            "files_skipped": len(self.stats["files_skipped"]),
        }
        flat.update({f"dropped_{reason}": count for reason, count in self.stats["dropped"].items()})
        for row_type, splits in self.stats["rows_by_type_split"].items():
            flat.update({f"rows_{row_type}_{split}": count for split, count in splits.items()})
        return flat


# --- collect ------------------------------------------------------------------------------------
def collect(source: str, progress: bool = True) -> tuple[list[Record], list[Rejection], dict]:
    """Every record of a source (folder, file or URL), the unparseable lines, and file counts."""
    files, skipped = sources.list_files(source)
    records, rejections = [], []
    for file in tqdm(files, desc="data-prep: read", unit="file", disable=not progress):
        file_records, file_rejections = formats.parse(file, file.read())
        records.extend(file_records)
        rejections.extend(file_rejections)
    return records, rejections, {"files_read": len(files), "files_skipped": skipped}


# --- clean and filter ---------------------------------------------------------------------------
def _reject(record: Record, reason: str, detail: str) -> Rejection:
    return Rejection(
        source=record.source, origin=record.origin, id=normalize_line(record.id),
        type=record.type, reason=reason, detail=detail,
        snippet=snippet(record.text or record.answer),
    )


def clean(record: Record, options: PrepOptions) -> Optional[Rejection]:
    """Normalize ``record`` in place; return a Rejection instead if it fails a row check."""
    record.type = normalize_line(record.type).lower()
    record.split = normalize_line(record.split).lower()
    if record.type not in ("", schema.ARTICLE, schema.TICKET):
        return _reject(record, "invalid_field", f"type {record.type!r} is not article or ticket")
    if record.split not in ("", schema.TRAIN, schema.TEST):
        return _reject(record, "invalid_field", f"split {record.split!r} is not train or test")
    if record.markup == "auto":  # table fields exported from help desks are often HTML
        if looks_like_html(record.text):
            record.text = html_to_text(record.text)[1]
        if looks_like_html(record.answer):
            record.answer = html_to_text(record.answer)[1]
    for field in ("text", "answer"):
        reason = non_text_reason(getattr(record, field), options.min_alpha_ratio)
        if reason:
            return _reject(record, "non_text", f"{field}: {reason}")
    record.text, record.answer = normalize(record.text), normalize(record.answer)
    record.subject, record.id = normalize_line(record.subject), normalize_line(record.id)
    if not record.text and not record.answer:
        return _reject(record, "empty", "no text and no answer")
    record.type = record.type or (schema.TICKET if record.answer else schema.ARTICLE)
    if not record.text:
        return _reject(record, "missing_field", "a ticket without a question (no text)")
    if record.type == schema.TICKET and not record.answer:
        return _reject(record, "missing_field", "a ticket without an answer")
    if record.type == schema.ARTICLE and record.answer:
        return _reject(record, "invalid_field", "an article with an answer (use type ticket)")
    for field in ("text", "answer") if record.type == schema.TICKET else ("text",):
        length = len(getattr(record, field))
        if length < options.min_chars:
            return _reject(record, "too_short", f"{field}: {length} chars < {options.min_chars}")
        if record.type == schema.TICKET and length > options.max_chars:
            return _reject(record, "too_long", f"{field}: {length} chars > {options.max_chars}")
    if not record.id:  # content-derived, so the same row gets the same id in every run
        digest = hashlib.sha1(f"{record.text}\x1f{record.answer}".encode()).hexdigest()[:12]
        record.id = f"{record.source}:{digest}"
    return None


def deduplicate(records: list[Record], options: PrepOptions, progress: bool = True
                ) -> tuple[list[Record], list[Rejection]]:
    """Drop exact duplicates, reused ids and near duplicates; the first occurrence is kept.

    Articles are compared with articles and tickets with tickets (a ticket by its question).
    """
    kept, rejections = [], []
    first_by_key: dict[tuple[str, str], str] = {}
    first_by_id: dict[str, str] = {}
    indexes = {
        kind: NearDuplicateIndex(options.near_dup_threshold, options.shingle_size)
        for kind in (schema.ARTICLE, schema.TICKET)
    }
    for record in tqdm(records, desc="data-prep: dedup", unit="row", disable=not progress):
        key = (record.type, dedup_key(record.text))
        if key in first_by_key:
            rejections.append(_reject(record, "duplicate", f"same text as {first_by_key[key]}"))
            continue
        if record.id in first_by_id:
            rejections.append(_reject(
                record, "duplicate_id", f"id already used by {first_by_id[record.id]}"
            ))
            continue
        match, score, hashed, signature = indexes[record.type].find(record.text)
        if match is not None:
            rejections.append(_reject(
                record, "near_duplicate", f"{score:.0%} similar to {match}"
            ))
            continue
        indexes[record.type].add(record.id, hashed, signature)
        first_by_key[key] = record.id
        first_by_id[record.id] = f"{record.id} ({record.source}, {record.origin})"
        kept.append(record)
    return kept, rejections


# --- label and chunk ----------------------------------------------------------------------------
def hash_split(record_id: str, test_fraction: float) -> str:
    """A deterministic split from the id: the same id lands in the same split in every run."""
    bucket = int(hashlib.sha256(record_id.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return schema.TEST if bucket < test_fraction else schema.TRAIN


def label(record: Record, options: PrepOptions) -> None:
    """Records without a split: articles go to train, tickets to a hash-based split."""
    if not record.split:
        record.split = (
            schema.TRAIN if record.type == schema.ARTICLE
            else hash_split(record.id, options.test_fraction)
        )


def to_rows(record: Record, options: PrepOptions) -> list[dict]:
    """Dataset rows of a record: articles become chunks with ids ``<id>#<n>``."""
    base = {
        schema.SOURCE: record.source, schema.TYPE: record.type, schema.SPLIT: record.split,
        schema.SUBJECT: record.subject, schema.ANSWER: record.answer,
    }
    if record.type != schema.ARTICLE:
        return [{**base, schema.ID: record.id, schema.TEXT: record.text, schema.CHUNK: 0}]
    chunks = chunk_text(record.text, options.chunk_size, options.chunk_overlap)
    return [
        {**base, schema.ID: f"{record.id}#{n}", schema.TEXT: chunk, schema.CHUNK: n}
        for n, chunk in enumerate(chunks)
    ]


# --- the whole step -----------------------------------------------------------------------------
def prepare(source: str, options: Optional[PrepOptions] = None, base_dir: Optional[Path] = None,
            progress: bool = True) -> PrepResult:
    """Collect, clean, filter, deduplicate, label and chunk ``source`` into a dataset.

    ``source`` is a folder, a file or a URL; a relative path is resolved against ``base_dir``
    (default: the working directory). Raises :class:`sources.SourceError` when the source
    can't be read.
    """
    options = options or PrepOptions()
    resolved = sources.resolve(source, base_dir or Path.cwd())
    records, rejections, file_stats = collect(resolved, progress)
    rows_in = len(records) + len(rejections)

    cleaned = []
    for record in tqdm(records, desc="data-prep: clean", unit="row", disable=not progress):
        rejection = clean(record, options)
        if rejection:
            rejections.append(rejection)
        else:
            cleaned.append(record)
    kept, duplicates = deduplicate(cleaned, options, progress)
    rejections.extend(duplicates)
    for record in kept:
        label(record, options)
    rows = [row for record in kept for row in to_rows(record, options)]

    dataset = pd.DataFrame(rows, columns=schema.COLUMNS).astype({schema.CHUNK: "int64"})
    rejected = pd.DataFrame([dataclasses.asdict(r) for r in rejections], columns=REJECTED_COLUMNS)
    stats = _stats(source, resolved, options, rows_in, kept, dataset, rejected, file_stats)
    return PrepResult(dataset=dataset, rejected=rejected, stats=stats)


def _by_type_split(pairs) -> dict:
    counts: dict = {}
    for row_type, split in pairs:
        counts.setdefault(row_type, collections.Counter())[split] += 1
    return {row_type: dict(sorted(c.items())) for row_type, c in sorted(counts.items())}


def _stats(source, resolved, options, rows_in, kept, dataset, rejected, file_stats) -> dict:
    dropped = collections.Counter(rejected["reason"])
    articles = dataset[dataset[schema.TYPE] == schema.ARTICLE]
    lengths = articles[schema.TEXT].str.len()
    return {
        "source": source,
        "resolved_source": resolved,
        **file_stats,
        "rows_in": rows_in,
        "records_kept": len(kept),
        "rows_out": len(dataset),
        "rows_dropped": len(rejected),
        "dropped": {reason: dropped.get(reason, 0) for reason in REASONS},
        "records_by_type_split": _by_type_split((r.type, r.split) for r in kept),
        "rows_by_type_split": _by_type_split(zip(dataset[schema.TYPE], dataset[schema.SPLIT])),
        "articles_chunked": int((articles[schema.CHUNK] == 1).sum()),  # each has one chunk 1
        "chunk_chars": {
            "min": int(lengths.min()) if len(lengths) else 0,
            "mean": round(float(lengths.mean()), 1) if len(lengths) else 0.0,
            "max": int(lengths.max()) if len(lengths) else 0,
        },
        "options": dataclasses.asdict(options),
    }
