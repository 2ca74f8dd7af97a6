"""Mask PII in the text columns of a table (the dataset that flows between stages)."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Sequence

import pandas as pd

from .. import schema
from ..dataset_io import require_columns
from .masker import Entity, PiiMasker, get_masker


@dataclass
class Cell:
    """One masked text cell (only cells with text are listed)."""

    row: int  # position in the input table
    column: str
    text: str
    masked: str
    entities: list[Entity]


@dataclass
class MaskedTable:
    masked: pd.DataFrame  # the input's columns, text columns masked, rejected rows left out
    rejected: pd.DataFrame  # row, column, reason: rows that could not be masked
    cells: list[Cell] = field(default_factory=list)

    @property
    def entity_count(self) -> int:
        return sum(len(cell.entities) for cell in self.cells)

    @property
    def rows_with_pii(self) -> int:
        return len({cell.row for cell in self.cells if cell.entities})


def check_columns(frame: pd.DataFrame, columns: Sequence[str], source: str = "dataset") -> None:
    """Raise ``ValueError`` for an empty table or a text column it does not have."""
    if not columns:
        raise ValueError("no text columns to mask were given")
    require_columns(frame, columns, source)
    if frame.empty:
        raise ValueError(f"{source} has no rows: nothing to mask")


def _as_text(value) -> tuple[str | None, str | None]:
    """(text to mask, None), (None, None) for an empty cell, or (None, reason) when the value
    cannot be treated as text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None, None
    if isinstance(value, str):
        return value, None
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return str(value), None  # a phone number stored as a number is still a phone number
    return None, f"{type(value).__name__} value is not text"


def mask_table(
    frame: pd.DataFrame,
    columns: Sequence[str],
    masker: PiiMasker,
    progress: bool = True,
    source: str = "dataset",
) -> MaskedTable:
    """Mask ``columns`` of ``frame``; every other column passes through unchanged.

    Each cell is searched for the entity types its column and its row type allow (the
    config's ``column_entities`` and ``type_entities``; the row type is the ``type`` column
    when the table has one). A row whose text cell holds something that is not text (a list,
    a dict, bytes) cannot be checked for PII, so it is not passed on either: it is listed in
    ``rejected`` with the reason, never dropped silently.
    """
    check_columns(frame, columns, source)
    frame = frame.reset_index(drop=True)
    todo: list[tuple[int, str, str]] = []
    rejected: dict[int, list[str]] = {}
    for column in columns:
        for row, value in enumerate(frame[column].tolist()):
            text, reason = _as_text(value)
            if reason:
                rejected.setdefault(row, []).append(f"column {column!r}: {reason}")
            elif text is not None:
                todo.append((row, column, text))
    # Row by row (then column order), so reports read like the table.
    todo = sorted(
        (item for item in todo if item[0] not in rejected),
        key=lambda item: (item[0], list(columns).index(item[1])),
    )
    row_types = frame[schema.TYPE].tolist() if schema.TYPE in frame.columns else [None] * len(frame)
    scopes = [tuple(masker.config.entities_for(column, row_types[row])) for row, column, _ in todo]
    results: list = [None] * len(todo)
    for scope in dict.fromkeys(scopes):  # one batch per scope, in order of first use
        indices = [i for i, s in enumerate(scopes) if s == scope]
        if not scope:  # nothing to look for in these cells
            for i in indices:
                results[i] = (todo[i][2], [])
            continue
        scoped = masker if list(scope) == masker.entities else get_masker(masker.config.narrowed(list(scope)))
        for i, result in zip(indices, scoped.mask_batch([todo[i][2] for i in indices], progress=progress)):
            results[i] = result

    values = {column: frame[column].tolist() for column in columns}
    cells = []
    for (row, column, text), (masked_text, entities) in zip(todo, results):
        cells.append(Cell(row, column, text, masked_text, entities))
        values[column][row] = masked_text
    masked = frame.copy()
    for column in columns:
        masked[column] = pd.Series(values[column], dtype=object)
    rejected_rows = sorted(rejected)
    masked = masked.drop(index=rejected_rows).reset_index(drop=True)
    rejected_frame = pd.DataFrame(
        {"row": rejected_rows, "reason": ["; ".join(rejected[r]) for r in rejected_rows]},
        columns=["row", "reason"],
    )
    return MaskedTable(masked, rejected_frame, cells)
