"""Postal addresses as whole ADDRESS spans, in the formats of many countries.

An address is a *block*: a street line, then the comma- or newline-separated parts that
postal formats (UPU S42, the Faker locales) put after it, as long as they read as address
parts:

    street line  "42 Elm Street", "Kirchweg 46", "98 árpád fejedelem útja 45.",
                 "14 boulevard Gambetta", "Flat 842, 48 Linking Road", "52 Ibirapita 8057",
                 "PO Box 38", "USNS Comfort\nFPO AA 34090"          (:mod:`.address_lines`)
    parts        unit ("Apt. 614", "Piso 4"), city ("Salt Lake", "Ústí nad Labem 2"),
                 region ("GA", "VOV", "(TO)"), country (``pycountry``), postcode (US, UK,
                 Canadian, Irish, Dutch, Polish, Swedish, Indian ... shapes), a house number
                 ("Via Roma, 10"), "nan" (an empty field as pandas exports it)
                                                                      (:mod:`.address_parts`)

Street lines are found from their numbers and from street-type words in many languages
(:mod:`.address_words`); a text without a digit is not looked at (the cheap prefilter).
A part that runs into sentence text ("Canada for post mail?", "25033 in case of an issue")
ends the block after its last postcode, country or unit; a digit right after a postcode
("69 987 88 37 office") ends it before. Matching ignores case, since addresses are often
written in lower case: what keeps "I have 2 questions about road maps", "step 3 of the
guide" or "in 5 minutes" out is the grammar (function words and support vocabulary are no
street names, "road maps" uses "road" as a modifier, a line without a street type needs
more evidence), not capitalisation.

Each block is scored from its evidence (default threshold 0.4):

- a numbered street line with a street type and a capitalised name is an address by itself
  ("42 Elm Street", "Ziegelgasse 26": 0.5); the same line in lower case, or with a type
  that is also an everyday word ("3 Table View"), scores 0.3 and is masked only at a lower
  threshold;
- a line without a street type ("Školní 939") needs a cue right before it ("address:",
  "lives at", "located at", "ship to"), a postcode followed by its city, or three parts
  with a postcode or country ("Windows 10 Pro, Build 19045" is none of these);
- a street line with postcode, country, unit or city parts, or after a cue ("ship to",
  "moved to", "visit"), scores 0.75; so does a US military address;
- "ZIP: 11164" (a postcode field) scores 0.6, the postcode alone being masked.

Libraries measured and not used (on data/pii_eval, the tickets in data/raw and the external
acceptance cases, 2026-11): ``pyap`` 0.3.1 (regexes for US, Canadian and British
addresses) found none of the 69 labeled address and location substrings of the external
cases (international, lower-case, multi-line blocks) and 40 of the 73 addresses in
data/pii_eval (none of the Indian, German or French ones), at 0.8-1.8 ms per text for three
countries, ten times this recognizer's cost; ``usaddress`` 0.5.16 is a tagger, not a
detector: it reads any string as some address ("I have 2 questions about road maps", "step 3
of the guide" and "We have 3 main street teams" come back as "Street Address"), so it
cannot confirm a candidate that the grammar here does not already accept. Neither is a
dependency.

This is an ``EntityRecognizer`` (Presidio's ``LocalRecognizer``), not a
``PatternRecognizer``: a block's extent is decided by parsing its parts, which one regex
per pattern cannot express without either swallowing sentence text or dropping parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import regex
from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult

from .address_lines import HAS_DIGIT, Line, StreetLines, tokenize
from .address_parts import MAX_PARTS, POINTS, POSTCODE, SEP, SOFT, UNIT_BEFORE, parse_part

# An address cue before a block ("billing address:", "lives at", "ship to", "visit").
_CUE_BLOCK = regex.compile(
    r"(?i:\baddress(?:es)?\b|\baddr\b|\b(?:li(?:ve|ves|ved|ving)|resid(?:e|es|ed|ing)|"
    r"stay(?:s|ed|ing)?|located|situated|based)\s+(?:at|on|in)\b|"
    r"\b(?:ship(?:ped|ping)?|deliver(?:ed|y)?|mail(?:ed)?|post(?:ed)?|return(?:ed)?|"
    r"send|sent|forward(?:ed)?|move[ds]?|moving|relocat\w*)\s+(?:\w+\s+)?to\b|"
    r"\bvisit\b|\bmy\s+home\b)[^\d]{0,40}$"
)
# Only cues that announce an address itself make a line without a street type count.
_CUE_LINE = regex.compile(
    r"(?i:\baddress(?:es)?\b|\baddr\b|\b(?:li(?:ve|ves|ved|ving)|resid(?:e|es|ed|ing)|"
    r"located|situated)\s+(?:at|on)\b|\b(?:ship(?:ped|ping)?|deliver(?:ed|y)?)\s+to\b|"
    r"\bmy\s+home\s+is\b)[^\d.!?]{0,30}$"
)
# A postcode field: "ZIP: 11164", "postal code is SW1A 1AA" (the postcode is masked).
_FIELD = regex.compile(
    r"(?i:\b(?:zip(?:[ \t]*code)?|post(?:al)?[ \t]*code|postcode|plz|pin[ \t]*code|pincode)"
    r"[ \t]*(?:[:#]|\bis\b)[ \t]*)"
)


@dataclass
class Block:
    """One address: its span, score and how it was read ("street + unit, city, postcode")."""

    start: int
    end: int
    score: float
    explanation: str


def _score(points: int) -> float:
    """Evidence points -> score: 4+ a full block, 3 a capitalised street line, 2 a lower-case
    one (below the default threshold), fewer nothing."""
    return 0.75 if points >= 4 else 0.5 if points == 3 else 0.3 if points == 2 else 0.0


def _expand(kinds) -> list[str]:
    out = []
    for kind in kinds:
        out += kind.split("+")
    return out


def _block(text: str, line: Line) -> Optional[Block]:
    """The block that starts with ``line``: a unit before it, then its parts."""
    start, end = line.start, line.end
    parts: list[str] = []
    unit = UNIT_BEFORE.search(text, max(0, start - 30), start)
    if unit:
        start = unit.start()
        parts.append("unit")
    # same line, no separator: "... road suite 771", "Gürtel 92 Apt. 584 HEILIGENBRUNN France"
    # (a street name without a number takes its parts after a separator only)
    # An untyped line ("Jakobi 69") takes same-line parts only after an address cue: "we
    # migrated 12 345 678 rows" has no street, and no postcode or city either.
    untyped_without_cue = line.strength == 0 and not _CUE_LINE.search(text[max(0, start - 60) : start])
    soft = SOFT.match(text, end) if line.numbered and not untyped_without_cue else None
    if soft:
        parsed = parse_part(text, soft.end(), need_strong=True)
        if parsed:
            end, kinds, complete = parsed
            parts += _expand(kinds)
            if not complete:
                return _finish(text, line, start, end, parts)
    for _ in range(MAX_PARTS):
        sep = SEP.match(text, end)
        if not sep:
            break
        parsed = parse_part(text, sep.end(), need_strong=False)
        if not parsed:
            break
        end, kinds, complete = parsed
        parts += _expand(kinds)
        if not complete:
            break
    return _finish(text, line, start, end, parts)


def _finish(text: str, line: Line, start: int, end: int, parts: list[str]) -> Optional[Block]:
    """Score a block from its line, parts and a cue before it (None: not an address)."""
    if not line.numbered and not {"number", "postcode", "unit"} & set(parts):
        return None  # "Baker Street" alone is a street name, not an address
    if not line.numbered and line.strength < 2 and parts[:1] not in (["unit"], ["number"]):
        return None  # "Declan Tunnel" after "Flat 88Q", "Via Carli, 420"; else a name
    before = text[max(0, start - 60) : start]
    cue = bool(_CUE_BLOCK.search(before))
    points = line.strength + line.title + sum(POINTS[p] for p in parts)
    if line.strength == 0:
        # no street type ("Školní 939"): a cue right before, or a postcode or country in
        # three or more parts after ("Windows 10 Pro, Build 19045" has two)
        if _CUE_LINE.search(before):
            points += 3
        elif "postcode-city" in parts:
            points += 1  # the European order of a postcode and its city is evidence too
        elif not {"postcode", "country"} & set(parts) or \
                len([p for p in parts if p != "number"]) < 3:
            return None
        if points < 4:
            return None
    elif cue:
        points += 3
    score = _score(points)
    if not score:
        return None
    while end > start and text[end - 1] in " \t,":
        end -= 1
    shown = [p for p in parts if p in POINTS and p != "postcode-city"] or ["no parts"]
    explanation = f"{line.kind} + {', '.join(shown)}{' + cue' if cue else ''}"
    return Block(start, end, score, explanation)


def find_addresses(text: str) -> list[Block]:
    """The address blocks in ``text``, without overlaps (a higher score, then a longer block
    wins), in text order."""
    if not HAS_DIGIT.search(text):  # every address here has a number
        return []
    tokens = tokenize(text)
    blocks = []
    for line in StreetLines(text, tokens).candidates():
        block = _block(text, line)
        if block:
            blocks.append(block)
    for field in _FIELD.finditer(text):  # "ZIP: 11164"
        code = POSTCODE.match(text, field.end())
        if code:
            blocks.append(Block(code.start(), code.end(), 0.6, "postcode field"))
    kept: list[Block] = []
    for block in sorted(blocks, key=lambda b: (-b.score, -(b.end - b.start), b.start)):
        if all(block.end <= k.start or k.end <= block.start for k in kept):
            kept.append(block)
    return sorted(kept, key=lambda b: b.start)


class AddressRecognizer(LocalRecognizer):
    """Postal addresses (street line plus its unit, city, region, country and postcode
    parts) in many countries' formats, as one ADDRESS span."""

    def __init__(self):
        super().__init__(supported_entities=["ADDRESS"], name="AddressRecognizer",
                         supported_language="en")

    def load(self) -> None:  # noqa: D102 - nothing to load; country names load on first use
        pass

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
        if "ADDRESS" not in entities:
            return []
        results = []
        for block in find_addresses(text):
            results.append(RecognizerResult(
                "ADDRESS", block.start, block.end, block.score,
                analysis_explanation=AnalysisExplanation(
                    recognizer=self.name, original_score=block.score,
                    pattern_name="address block", textual_explanation=block.explanation,
                ),
                recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                },
            ))
        return results

