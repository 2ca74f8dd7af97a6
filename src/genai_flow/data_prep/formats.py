"""Reading each format into records: tables (CSV, TSV, JSON Lines, JSON, Parquet) map their
columns onto the dataset schema; documents (Markdown, text, HTML, PDF) are one article each."""

from __future__ import annotations

import io
import json
import math
from pathlib import PurePosixPath
from typing import Any, Callable
from urllib.parse import urlparse

from .pdf import UnreadablePdf, pdf_text
from .records import Record, Rejection
from .sources import SourceError, SourceFile, is_url
from .text import decode_bytes, html_to_text, markdown_to_text, snippet, split_front_matter

# Schema field -> accepted column names, first match wins (compared case-insensitively).
COLUMN_ALIASES = {
    "text": ["text", "question", "body", "content"],
    "subject": ["subject", "title"],
    "answer": ["answer", "response", "reply"],
    "id": ["id"],
    "type": ["type"],
    "split": ["split"],
}
TABLE_FORMATS = {"csv", "tsv", "jsonl", "json", "parquet"}


def parse(file: SourceFile, data: bytes) -> tuple[list[Record], list[Rejection]]:
    """Records (and unparseable lines) of one file; raises SourceError if it can't be read."""
    if file.format in TABLE_FORMATS:
        if not data.strip():
            raise SourceError(f"{file.location} is empty")
        rows, rejected = _TABLE_READERS[file.format](file, data)
        if not rows and not rejected:
            raise SourceError(f"{file.location} has no rows")
        if not rows:
            raise SourceError(
                f"cannot parse {file.location}: none of its {len(rejected)} rows is a record "
                f"({rejected[0].origin}: {rejected[0].detail})"
            )
        return _map_rows(file, rows), rejected
    document = _DOCUMENT_READERS[file.format](file, data)
    return ([document], []) if isinstance(document, Record) else ([], [document])


# --- tables -------------------------------------------------------------------------------------
def _read_csv(file: SourceFile, data: bytes, sep: str = ",") -> tuple[list, list]:
    import pandas as pd

    try:
        frame = pd.read_csv(
            io.StringIO(decode_bytes(data)), sep=sep, dtype=str, keep_default_na=False
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise SourceError(f"cannot parse {file.location} as {file.format.upper()}: {exc}") from exc
    return _frame_rows(frame), []


def _read_parquet(file: SourceFile, data: bytes) -> tuple[list, list]:
    import pandas as pd

    try:
        frame = pd.read_parquet(io.BytesIO(data))
    except Exception as exc:  # pyarrow raises several types for corrupt files
        raise SourceError(f"cannot parse {file.location} as Parquet: {exc}") from exc
    return _frame_rows(frame), []


def _frame_rows(frame) -> list[tuple[str, dict]]:
    return [(f"row {n}", row) for n, row in enumerate(frame.to_dict(orient="records"), start=1)]


def _read_jsonl(file: SourceFile, data: bytes) -> tuple[list, list]:
    rows, rejected, errors = [], [], []
    for number, line in enumerate(decode_bytes(data).splitlines(), start=1):
        if not line.strip():
            continue
        origin = f"line {number}"
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{origin}: {exc.msg}")
            rejected.append(_unparseable(file, origin, f"invalid JSON: {exc.msg}", line))
            continue
        if not isinstance(value, dict):
            errors.append(f"{origin}: not a JSON object")
            rejected.append(_unparseable(file, origin, "not a JSON object", line))
            continue
        rows.append((origin, value))
    if not rows:
        raise SourceError(f"cannot parse {file.location} as JSON Lines: {errors[0]}")
    return rows, rejected


def _read_json(file: SourceFile, data: bytes) -> tuple[list, list]:
    try:
        value = json.loads(decode_bytes(data))
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # one object per line: JSON Lines with a .json name
            return _read_jsonl(file, data)
        raise SourceError(f"cannot parse {file.location} as JSON: {exc}") from exc
    if isinstance(value, dict):
        value = value.get("records", value.get("data"))
    if not isinstance(value, list):
        raise SourceError(
            f"cannot read {file.location}: expected a JSON list of objects "
            "(or an object with a 'records' list)"
        )
    rows, rejected = [], []
    for number, item in enumerate(value, start=1):
        origin = f"item {number}"
        if isinstance(item, dict):
            rows.append((origin, item))
        else:
            rejected.append(_unparseable(file, origin, "not a JSON object", json.dumps(item)))
    return rows, rejected


def _unparseable(file: SourceFile, origin: str, detail: str, raw: str) -> Rejection:
    return Rejection(file.name, origin, "", "", "unparseable", detail, snippet(raw))


def _value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _map_rows(file: SourceFile, rows: list[tuple[str, dict]]) -> list[Record]:
    """Schema records from table rows; a table without any text column is an error."""
    columns = {}
    for _origin, row in rows:
        for key in row:
            columns.setdefault(str(key).strip().lower(), key)
    found = {
        field: [columns[name] for name in aliases if name in columns]
        for field, aliases in COLUMN_ALIASES.items()
    }
    if not found["text"]:
        raise SourceError(
            f"{file.location} has no text column (expected one of: "
            f"{', '.join(COLUMN_ALIASES['text'])}); columns found: "
            f"{', '.join(map(str, columns.values())) or 'none'}"
        )
    records = []
    for origin, row in rows:
        values = {}
        for field, keys in found.items():
            candidates = (_value(row.get(key)) for key in keys)
            values[field] = next((value for value in candidates if value.strip()), "")
        records.append(Record(source=file.name, origin=origin, markup="auto", **values))
    return records


# --- documents ----------------------------------------------------------------------------------
def _doc_id(name: str) -> str:
    """A document's id: its name (relative path or URL) without the suffix or query."""
    if is_url(name):
        parsed = urlparse(name)
        path = PurePosixPath(parsed.path)
        return f"{parsed.scheme}://{parsed.netloc}{path.with_suffix('') if path.suffix else path}"
    return PurePosixPath(name).with_suffix("").as_posix()


def _name_subject(name: str) -> str:
    stem = PurePosixPath(urlparse(name).path if is_url(name) else name).stem
    return stem.replace("_", " ").replace("-", " ").strip()


def _document(file: SourceFile, subject: str, text: str, meta: dict | None = None) -> Record:
    meta = {str(k).lower(): v for k, v in (meta or {}).items()}
    return Record(
        source=file.name,
        origin="document",
        id=_value(meta.get("id")) or _doc_id(file.name),
        type=_value(meta.get("type")) or "article",
        split=_value(meta.get("split")),
        subject=_value(meta.get("title") or meta.get("subject"))
        or subject
        or _name_subject(file.name),
        text=text,
        markup="plain",
    )


def _read_markdown(file: SourceFile, data: bytes) -> Record:
    meta, body = split_front_matter(decode_bytes(data))
    heading, text = markdown_to_text(body)
    return _document(file, heading, text, meta)


def _read_text(file: SourceFile, data: bytes) -> Record:
    return _document(file, "", decode_bytes(data))


def _read_html(file: SourceFile, data: bytes) -> Record:
    title, text = html_to_text(decode_bytes(data))
    return _document(file, title, text)


def _read_pdf(file: SourceFile, data: bytes) -> Record | Rejection:
    """The pages' text; the title from the PDF's metadata, else the file name. A PDF without
    readable text is rejected here, where the reason is known."""
    try:
        title, text, pages = pdf_text(data)
    except UnreadablePdf as exc:
        return _document_rejection(file, "unparseable", str(exc))
    if not text.strip():
        return _document_rejection(
            file, "empty", f"no extractable text on its {pages} page(s) (a scan needs OCR first)"
        )
    return _document(file, title, text)


def _document_rejection(file: SourceFile, reason: str, detail: str) -> Rejection:
    return Rejection(file.name, "document", _doc_id(file.name), "article", reason, detail, "")


_TABLE_READERS: dict[str, Callable] = {
    "csv": _read_csv,
    "tsv": lambda file, data: _read_csv(file, data, sep="\t"),
    "jsonl": _read_jsonl,
    "json": _read_json,
    "parquet": _read_parquet,
}
# Each returns the document's Record, or a Rejection saying why it has no usable text.
_DOCUMENT_READERS: dict[str, Callable] = {
    "markdown": _read_markdown,
    "text": _read_text,
    "html": _read_html,
    "pdf": _read_pdf,
}
