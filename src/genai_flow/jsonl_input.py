"""The `--jsonl` input of the CLI's pii and guard commands: numbered text records in batches.

A bad line is kept in its place as an error record, so the output can answer every input line
in order and the command can still process the good ones.
"""

from __future__ import annotations

import itertools
import json
from typing import Iterable, Iterator


def text_records(lines: Iterable[str]) -> Iterator[dict]:
    """Each non-blank line as ``{"line": N, **record}`` when it is a JSON object with a string
    ``text``, else ``{"line": N, "error": "line N: ..."}``."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as error:
            yield {"line": number, "error": f"line {number}: not valid JSON ({error})"}
            continue
        if not isinstance(record, dict):
            yield {"line": number, "error": f"line {number}: is not a JSON object"}
        elif not isinstance(record.get("text"), str):
            yield {"line": number, "error": f'line {number}: has no string "text"'}
        else:
            yield {**record, "line": number}


def batches(records: Iterable[dict], size: int) -> Iterator[list[dict]]:
    """``records`` in lists of at most ``size`` (the last may be shorter)."""
    iterator = iter(records)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
