"""From the analyzer's raw, overlapping results to the entities that get masked.

Presidio returns every recognizer's opinion; some overlap (an e-mail address that spaCy also
calls a PERSON), some contradict the text (spaCy's "Port 8080" LOCATION). The reported
entities are exactly the masked ones, so overlaps are settled here, before anonymizing.
"""

from __future__ import annotations

from typing import Iterable

from presidio_analyzer import RecognizerResult

from .cues import CALENDAR_WORDS, NOT_NAMES, ORGANISATION_WORDS, TITLE_BEFORE
from .registry import NER_RECOGNIZER


def _is_ner(result: RecognizerResult) -> bool:
    metadata = result.recognition_metadata or {}
    return metadata.get(RecognizerResult.RECOGNIZER_NAME_KEY) == NER_RECOGNIZER


def _overlaps(a: RecognizerResult, b: RecognizerResult) -> bool:
    return a.start < b.end and b.start < a.end


def _plausible_name(text: str, result: RecognizerResult) -> bool:
    value = text[result.start : result.end]
    words = [w.strip(".,!?") for w in value.split()]
    calendar_ok = bool(TITLE_BEFORE.search(text[max(0, result.start - 8) : result.start]))  # "Mr. May"
    return (
        not any(c.isdigit() or c in "@/\\<>[]{}=#" for c in value)  # no address, path or code
        and not all(w in NOT_NAMES or (w in CALENDAR_WORDS and not calendar_ok) for w in words)
        and words[-1] not in ORGANISATION_WORDS  # "Acme Support"
    )


def review_ner(results: list[RecognizerResult], text: str) -> list[RecognizerResult]:
    """Overrule the statistical model where the text says otherwise.

    - a name or place has no digits: "Port 8080", "Server 45.193.188.197" and a card number
      read as "Visa 6011..." are spaCy mistakes, and the pattern recognizers own numbers;
      nor is it a sign-off ("Cheers"), a month (but "Mr. May") or a department ("Acme Support");
    - a spaCy guess yields to a recognizer that matched a pattern of another type over the
      same characters (an e-mail address tagged PERSON, "Nadia" tagged LOCATION after "it's");
    - a "place" right next to a person's name is their surname ("Anneliese Raghunathan").
    """
    ner = [r for r in results if _is_ner(r) and _plausible_name(text, r)]
    rules = [r for r in results if not _is_ner(r)]
    ner = [
        r for r in ner
        if not any(_overlaps(r, p) and p.entity_type != r.entity_type for p in rules)
    ]
    people = [r for r in ner + rules if r.entity_type == "PERSON"]
    for result in ner:
        if result.entity_type == "LOCATION" and any(
            not text[min(p.end, result.end) : max(p.start, result.start)].strip(" ")
            for p in people
        ):
            result.entity_type = "PERSON"
    return ner + rules


def resolve_overlaps(results: Iterable[RecognizerResult], text: str) -> list[RecognizerResult]:
    """Non-overlapping results, sorted by position; what is reported is what gets masked.

    Same policy as Presidio's anonymizer: overlapping results of one type merge into their
    union; a result inside another one is dropped (an ADDRESS beats the LOCATION "Bristol"
    inside it); of two partly overlapping results the lower-scored one is trimmed. Same-type
    results separated only by spaces merge ("Jean" + "Moreau").
    """
    merged: list[RecognizerResult] = []
    for result in sorted(results, key=lambda r: (r.entity_type, r.start, r.end)):
        last = merged[-1] if merged else None
        if (
            last
            and last.entity_type == result.entity_type
            and (result.start < last.end or not text[last.end : result.start].strip(" "))
        ):
            last.end = max(last.end, result.end)
            last.score = max(last.score, result.score)
        else:
            merged.append(
                RecognizerResult(result.entity_type, result.start, result.end, result.score)
            )
    # Longest first: a contained result always meets its container before being kept.
    kept: list[RecognizerResult] = []
    for result in sorted(merged, key=lambda r: (-(r.end - r.start), -r.score, r.start)):
        if any(k.start <= result.start and result.end <= k.end for k in kept):
            continue
        kept.append(result)
    kept.sort(key=lambda r: (r.start, r.end))
    # Partial overlaps: the higher score keeps its characters.
    for left, right in zip(kept, kept[1:]):
        if left.end > right.start:
            if left.score >= right.score:
                right.start = left.end
            else:
                left.end = right.start
    return [r for r in kept if r.start < r.end]
