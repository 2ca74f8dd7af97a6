"""Score PII detection against labeled texts (the format of ``data/pii_eval/``).

A labeled text is one JSON object per line: ``{"text": ..., "entities": [{"type", "start",
"end"}, ...]}`` with character offsets into ``text``.

Matching is about masking, so it works on characters rather than exact boundaries:
- a labeled entity is *found* when detections of the same type cover at least
  ``min_coverage`` (default 80%) of its characters ("Dr. Anna Schmidt" for "Anna Schmidt"
  counts; "Jean-Luc" alone for "Jean-Luc Moreau" does not);
- a detection is *correct* when it overlaps a labeled entity of the same type.
Recall = found / labeled, precision = correct / detected, per type and overall.
``leaked_chars`` is the share of labeled PII characters that no detection (of any type)
covers: what would survive masking.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence, Union


@dataclass
class LabeledText:
    text: str
    entities: list[dict]
    id: Optional[str] = None


def parse_labeled(line: str, where: str) -> LabeledText:
    """One labeled record; ``ValueError`` naming ``where`` (file:line) when it is malformed."""
    try:
        record = json.loads(line)
    except ValueError as exc:
        raise ValueError(f"{where}: not valid JSON ({exc})") from None
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise ValueError(f"{where}: expected an object with a string 'text'")
    entities = record.get("entities", [])
    if not isinstance(entities, list):
        raise ValueError(f"{where}: 'entities' must be a list")
    text = record["text"]
    for entity in entities:
        if not (
            isinstance(entity, dict)
            and isinstance(entity.get("type"), str)
            and isinstance(entity.get("start"), int)
            and isinstance(entity.get("end"), int)
            and 0 <= entity["start"] < entity["end"] <= len(text)
        ):
            raise ValueError(
                f"{where}: bad entity {entity!r} (needs type, and 0 <= start < end <= "
                f"{len(text)})"
            )
    return LabeledText(text, entities, record.get("id"))


def load_labeled(path: Union[str, Path]) -> list[LabeledText]:
    """Every labeled text in a JSONL file; a malformed line fails with its line number."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"labeled PII set {path} does not exist")
    records = []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if line.strip():
                records.append(parse_labeled(line, f"{path}:{number}"))
    if not records:
        raise ValueError(f"labeled PII set {path} has no records")
    return records


@dataclass
class Counts:
    labeled: int = 0
    found: int = 0
    detected: int = 0
    correct: int = 0

    def metrics(self) -> dict:
        precision = self.correct / self.detected if self.detected else 1.0
        recall = self.found / self.labeled if self.labeled else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "labeled": self.labeled,
            "detected": self.detected,
        }


@dataclass
class Score:
    overall: dict
    per_type: dict[str, dict]
    leaked_chars: float
    misses: list[dict] = field(default_factory=list)  # labeled entities not found
    false_positives: list[dict] = field(default_factory=list)  # detections not labeled


def _covered(span: tuple[int, int], others: Iterable[dict]) -> int:
    start, end = span
    chars = set()
    for other in others:
        chars.update(range(max(start, other["start"]), min(end, other["end"])))
    return len(chars)


def score(
    labeled: Sequence[LabeledText],
    detected: Sequence[Sequence[dict]],
    entity_types: Optional[Iterable[str]] = None,
    min_coverage: float = 0.8,
) -> Score:
    """Precision and recall of ``detected`` (entity dicts per text) against ``labeled``.

    ``entity_types`` limits scoring to those types (e.g. the ones a masker was asked for).
    """
    if len(labeled) != len(detected):
        raise ValueError(f"{len(labeled)} labeled texts but {len(detected)} detection lists")
    types = set(entity_types) if entity_types is not None else None
    per_type: dict[str, Counts] = {}
    pii_chars = leaked = 0
    misses, false_positives = [], []
    for record, found in zip(labeled, detected):
        gold = [e for e in record.entities if types is None or e["type"] in types]
        found = [e for e in found if types is None or e["type"] in types]
        for entity in gold:
            counts = per_type.setdefault(entity["type"], Counts())
            counts.labeled += 1
            span = (entity["start"], entity["end"])
            same_type = [f for f in found if f["type"] == entity["type"]]
            if _covered(span, same_type) >= min_coverage * (span[1] - span[0]):
                counts.found += 1
            else:
                misses.append({"id": record.id, "text": record.text[span[0] : span[1]], **entity})
            pii_chars += span[1] - span[0]
            leaked += (span[1] - span[0]) - _covered(span, found)
        for entity in found:
            counts = per_type.setdefault(entity["type"], Counts())
            counts.detected += 1
            same_type = [g for g in gold if g["type"] == entity["type"]]
            if _covered((entity["start"], entity["end"]), same_type) > 0:
                counts.correct += 1
            else:
                value = record.text[entity["start"] : entity["end"]]
                false_positives.append({"id": record.id, "text": value, **entity})
    total = Counts()
    for counts in per_type.values():
        total.labeled += counts.labeled
        total.found += counts.found
        total.detected += counts.detected
        total.correct += counts.correct
    return Score(
        overall=total.metrics(),
        per_type={name: counts.metrics() for name, counts in sorted(per_type.items())},
        leaked_chars=round(leaked / pii_chars, 4) if pii_chars else 0.0,
        misses=misses,
        false_positives=false_positives,
    )
