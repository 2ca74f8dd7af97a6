"""Index dataset chunks in Chroma: validate rows, embed only what is not stored, upsert.

Each chunk is stored under a content key, a hash of its row id, subject and text. Indexing the
same data again finds every key already stored and embeds nothing; a chunk whose text changed
gets a new key (and, with ``prune_changed``, its older version is removed, so retrieval never
returns stale text).
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from typing import Iterator, Sequence

import pandas as pd
from tqdm.auto import tqdm

from .. import schema
from ..dataset_io import require_columns
from ..model_loading import ModelConfig
from .embedder import get_embedder, model_label
from .config import EmbedConfig
from .store import SPACE, StoreLocation, get_client, open_collection

METADATA_COLUMNS = [schema.ID, schema.SOURCE, schema.TYPE, schema.SPLIT, schema.SUBJECT, schema.CHUNK]
REQUIRED_COLUMNS = [*METADATA_COLUMNS, schema.TEXT]
LOOKUP_BATCH = 500  # ids per Chroma get(): stays under SQLite's variable limit


@dataclasses.dataclass
class IndexReport:
    """What one indexing pass did."""

    collection: str
    location: str
    client: str  # "persistent" or "http"
    embedding_model: str
    dimension: int
    selected: int  # valid rows of the requested types
    added: int  # embedded and stored now
    skipped: int  # already stored with the same content
    replaced: int  # older versions of changed chunks removed
    total: int  # entries in the collection afterwards
    seconds: float
    rejected: pd.DataFrame  # rows that could not be indexed, with a `reason` column
    # Ids of chunks longer than the model reads (it embeds only their beginning): data-prep
    # sizes chunks to fit, so any here came from elsewhere or grew in PII masking.
    truncated: list[str] = dataclasses.field(default_factory=list)

    def summary(self) -> dict:
        """The report as JSON-ready values (without the rejected rows)."""
        values = dataclasses.asdict(self)
        values.pop("rejected")
        values.update(distance=SPACE, rows_rejected=len(self.rejected), truncated=len(self.truncated))
        return values


def content_key(row_id: str, subject: str, text: str) -> str:
    """The Chroma id of a chunk: stable across runs, different when its content changes."""
    return hashlib.sha256(f"{row_id}\x1f{subject}\x1f{text}".encode("utf-8")).hexdigest()


def _clean(value, default=""):
    return default if value is None or (isinstance(value, float) and pd.isna(value)) else value


def select_chunks(
    frame: pd.DataFrame, types: Sequence[str], source: str = "dataset"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of ``types`` ready to index, and the rejected ones with a ``reason`` column.

    :raises ValueError: columns are missing, the dataset is empty, or holds none of ``types``.
    """
    require_columns(frame, REQUIRED_COLUMNS, source)
    if frame.empty:
        raise ValueError(f"{source} has no rows")
    wanted = frame[frame[schema.TYPE].isin(list(types))]
    if wanted.empty:
        present = sorted(map(str, frame[schema.TYPE].dropna().unique()))
        raise ValueError(
            f"{source} has no rows of type {', '.join(types)} (types present: {', '.join(present)})"
        )

    rows, rejected, first_row = [], [], {}
    for position, record in zip(wanted.index, wanted.to_dict("records")):
        row_id = str(_clean(record[schema.ID])).strip()
        text = _clean(record[schema.TEXT])
        reason = None
        if not row_id:
            reason = "empty id"
        elif not isinstance(text, str) or not text.strip():
            reason = "empty text" if not isinstance(text, str) or not text else "blank text"
        elif row_id in first_row:
            reason = f"duplicate id (first at row {first_row[row_id]})"
        try:
            chunk = int(_clean(record[schema.CHUNK], 0))
        except (TypeError, ValueError):
            reason = reason or f"chunk is not an integer: {record[schema.CHUNK]!r}"
        if reason:
            rejected.append({**record, "row": position, "reason": reason})
            continue
        first_row[row_id] = position
        metadata = {column: str(_clean(record[column])) for column in METADATA_COLUMNS}
        metadata.update({schema.ID: row_id, schema.CHUNK: chunk})
        key = content_key(row_id, metadata[schema.SUBJECT], text)
        rows.append({**metadata, schema.TEXT: text, "key": key})
    columns = [*METADATA_COLUMNS, schema.TEXT, "key"]
    if not rows:
        first = rejected[0]
        raise ValueError(
            f"{source}: all {len(rejected)} rows of type {', '.join(types)} were rejected "
            f"(first: row {first['row']}, {first['reason']})"
        )
    rejected_columns = [*frame.columns, "row", "reason"]
    return pd.DataFrame(rows, columns=columns), pd.DataFrame(rejected, columns=rejected_columns)


def _batches(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def stored_keys(collection, keys: Sequence[str]) -> set[str]:
    """Which of ``keys`` the collection already holds."""
    found: set[str] = set()
    for batch in _batches(list(keys), LOOKUP_BATCH):
        found.update(collection.get(ids=list(batch), include=[])["ids"])
    return found


def outdated_keys(collection, chunks: pd.DataFrame) -> list[str]:
    """Stored entries of these chunk ids whose content key is not the current one."""
    current = set(chunks["key"])
    outdated: list[str] = []
    for batch in _batches(chunks[schema.ID].tolist(), LOOKUP_BATCH):
        stored = collection.get(where={schema.ID: {"$in": list(batch)}}, include=[])["ids"]
        outdated.extend(key for key in stored if key not in current)
    return outdated


def index_chunks(
    frame: pd.DataFrame,
    config: EmbedConfig,
    location: StoreLocation,
    models: ModelConfig,
    prune_changed: bool = True,
    progress: bool = True,
    source: str = "dataset",
) -> IndexReport:
    """Embed the chunks of ``frame`` that the collection lacks and upsert them.

    :param frame: rows with the dataset columns (see :mod:`genai_flow.schema`).
    :param config: the collection, the row types to index and the batch size.
    :param location: where the store is (a folder or a Chroma server).
    :param models: the embedding model (``models.embedding_model``).
    :param prune_changed: remove stored versions of these chunk ids whose content changed.
    :param progress: show a progress bar.
    :param source: how to name the data in error messages.
    """
    batch_size = config.batch_size
    started = time.perf_counter()

    chunks, rejected = select_chunks(frame, config.types, source)
    label = model_label(models.embedding_model)
    store = open_collection(location, config.collection, label, create=True)
    encoder = get_embedder(models)

    replaced = 0
    if prune_changed and len(chunks):
        outdated = outdated_keys(store, chunks)
        for batch in _batches(outdated, LOOKUP_BATCH):
            store.delete(ids=list(batch))
        replaced = len(outdated)
    existing = stored_keys(store, chunks["key"].tolist())
    todo = chunks[~chunks["key"].isin(existing)]
    # Longest first, as sentence-transformers orders one encode() call: batches of similar
    # length pad little, so encoding batch by batch costs no more than one big call.
    lengths = todo[schema.SUBJECT].str.len() + todo[schema.TEXT].str.len()
    todo = todo.iloc[(-lengths).argsort(kind="stable")]

    write_batch = min(batch_size, get_client(location).max_batch_size)
    truncated: list[str] = []
    bar = tqdm(total=len(todo), desc=f"embedding into {store.name}", unit="chunk", disable=not progress)
    with bar:
        for start in range(0, len(todo), write_batch):
            batch = todo.iloc[start : start + write_batch]
            texts = [schema.embedding_text(s, t) for s, t in zip(batch[schema.SUBJECT], batch[schema.TEXT])]
            token_counts = map(len, encoder.tokenizer(texts)["input_ids"])
            truncated += [i for i, n in zip(batch[schema.ID], token_counts) if n > encoder.max_seq_length]
            vectors = encoder.encode(
                texts, batch_size=write_batch, normalize_embeddings=True, convert_to_numpy=True,
                show_progress_bar=False,
            )
            store.upsert(
                ids=batch["key"].tolist(),
                embeddings=vectors.tolist(),
                documents=batch[schema.TEXT].tolist(),
                metadatas=batch[METADATA_COLUMNS].to_dict("records"),
            )
            bar.update(len(batch))

    return IndexReport(
        collection=store.name,
        location=str(location),
        client=location.kind,
        embedding_model=label,
        dimension=encoder.get_embedding_dimension(),
        selected=len(chunks),
        added=len(todo),
        skipped=len(chunks) - len(todo),
        replaced=replaced,
        total=store.count(),
        seconds=round(time.perf_counter() - started, 3),
        rejected=rejected,
        truncated=truncated,
    )
