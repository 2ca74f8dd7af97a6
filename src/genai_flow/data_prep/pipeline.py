"""data-prep as plain functions: collect -> clean and filter -> deduplicate -> label -> chunk.

:func:`prepare` runs them all and returns the dataset (the columns of genai_flow.schema), the
rejected rows (each with its reason) and the statistics. The MLRun handler resolves the
options and the chunker (the embedding model's tokenizer) once and only wires this up.
"""

from __future__ import annotations

import collections
import dataclasses
import hashlib
from typing import Optional

import pandas as pd
from tqdm.auto import tqdm

from .. import schema
from . import formats, sources
from .chunking import Chunker, SubjectTooLong
from .config import PrepOptions
from .dedup import NearDuplicateIndex, dedup_key
from .records import REASONS, Record, Rejection
from .text import html_to_text, looks_like_html, non_text_reason, normalize, normalize_line, snippet

REJECTED_COLUMNS = ["source", "origin", "id", "type", "reason", "detail", "snippet"]


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
        match, score, grams, minhash = indexes[record.type].find(record.text)
        if match is not None:
            rejections.append(_reject(
                record, "near_duplicate", f"{score:.0%} similar to {match}"
            ))
            continue
        indexes[record.type].add(record.id, grams, minhash)
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


def to_rows(record: Record, chunker: Chunker) -> list[dict]:
    """Dataset rows of a record: articles become chunks with ids ``<id>#<n>`` (n from 0), each
    small enough for the embedding model to read whole with its subject.

    :raises SubjectTooLong: an article's subject leaves too little room for its text.
    """
    base = {
        schema.SOURCE: record.source, schema.TYPE: record.type, schema.SPLIT: record.split,
        schema.SUBJECT: record.subject, schema.ANSWER: record.answer,
    }
    if record.type != schema.ARTICLE:
        return [{**base, schema.ID: record.id, schema.TEXT: record.text, schema.CHUNK: 0}]
    chunks = chunker.split(record.subject, record.text)
    return [
        {**base, schema.ID: f"{record.id}#{n}", schema.TEXT: chunk, schema.CHUNK: n}
        for n, chunk in enumerate(chunks)
    ]


# --- the whole step -----------------------------------------------------------------------------
def prepare(options: PrepOptions, chunker: Chunker, progress: bool = True) -> PrepResult:
    """Collect, clean, filter, deduplicate, label and chunk ``options.source`` into a dataset.

    The source is a folder, a file or a URL; a relative path is resolved against
    ``options.project_dir``. Raises :class:`sources.SourceError` when it can't be read.
    """
    resolved = sources.resolve(options.source, options.project_dir)
    records, rejections, file_stats = collect(resolved, progress)
    rows_in = len(records) + len(rejections)

    cleaned = []
    for record in tqdm(records, desc="data-prep: clean", unit="row", disable=not progress):
        rejection = clean(record, options)
        if rejection:
            rejections.append(rejection)
        else:
            cleaned.append(record)
    deduplicated, duplicates = deduplicate(cleaned, options, progress)
    rejections.extend(duplicates)
    kept, rows = [], []
    for record in tqdm(deduplicated, desc="data-prep: chunk", unit="row", disable=not progress):
        label(record, options)
        try:
            rows.extend(to_rows(record, chunker))
        except SubjectTooLong as exc:
            rejections.append(_reject(record, "too_long", str(exc)))
            continue
        kept.append(record)

    dataset = pd.DataFrame(rows, columns=schema.COLUMNS).astype({schema.CHUNK: "int64"})
    rejected = pd.DataFrame([dataclasses.asdict(r) for r in rejections], columns=REJECTED_COLUMNS)
    stats = _stats(options, resolved, chunker, rows_in, kept, dataset, rejected, file_stats)
    return PrepResult(dataset=dataset, rejected=rejected, stats=stats)


def _by_type_split(pairs) -> dict:
    counts: dict = {}
    for row_type, split in pairs:
        counts.setdefault(row_type, collections.Counter())[split] += 1
    return {row_type: dict(sorted(c.items())) for row_type, c in sorted(counts.items())}


def _spread(values) -> dict:
    values = list(values)
    if not values:
        return {"min": 0, "mean": 0.0, "max": 0}
    return {"min": int(min(values)), "mean": round(sum(values) / len(values), 1),
            "max": int(max(values))}


def _stats(options, resolved, chunker, rows_in, kept, dataset, rejected, file_stats) -> dict:
    dropped = collections.Counter(rejected["reason"])
    articles = dataset[dataset[schema.TYPE] == schema.ARTICLE]
    embedded = [chunker.embedded_tokens(subject, text)
                for subject, text in zip(articles[schema.SUBJECT], articles[schema.TEXT])]
    return {
        "source": options.source,
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
        "chunk_chars": _spread(articles[schema.TEXT].str.len()),
        # as the embed stage embeds them: subject, text and special tokens
        "chunk_tokens": {**_spread(embedded), "model_limit": chunker.model_limit,
                         "model": chunker.model_name},
        "options": dataclasses.asdict(options),
    }
