"""IBANs checked against a current IBAN registry (``schwifty``), not a list frozen in code.

Presidio's IBAN recognizer carries its own table of country formats, which lags the SWIFT
registry: IBANs of countries added lately (Egypt, Ukraine, Iraq, Saint Lucia, Seychelles,
Libya, ...) were never found. ``schwifty`` ships the registry as data and validates the
country's length and structure and the mod-97 check digits.

A candidate is a country code, two check digits and groups of letters and digits (separated
by single spaces or dashes, or not at all). It is cut to its country's IBAN length, so that a
word or number after the IBAN ("... 8901 X in a sentence") is not swallowed, and must then
end at a group boundary ("IL15 0120 ... 3111 141" with extra digits is no IBAN).
"""

from __future__ import annotations

import functools
from typing import Optional

import regex
from presidio_analyzer import EntityRecognizer, LocalRecognizer
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from schwifty.registry import get_iban_spec

from .regex_recognizer import recognizer_result as _result

CANDIDATE = regex.compile(r"\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]){8,40}\b")
SEPARATORS = " -"


@functools.lru_cache(maxsize=None)
def iban_length(country: str) -> Optional[int]:
    """The IBAN length of ``country`` in the registry, None for a country without IBANs."""
    try:
        return get_iban_spec(country).iban_length
    except SchwiftyException:  # no such country, or one without IBANs
        return None


def iban_candidates(text: str) -> list[tuple[int, int, bool]]:
    """``(start, end, valid)`` for every IBAN-shaped value in ``text`` (a registry country's
    code, check digits, groups): the IBAN when schwifty accepts it, else the whole shaped
    span with ``valid`` False (an invalid IBAN is left alone, never read as something else).
    """
    found = []
    for match in CANDIDATE.finditer(text):
        end = _cut(text, match, iban_length(match.group()[:2]))
        if end is None:
            continue
        value = text[match.start() : end]
        separators = {c for c in value if c in SEPARATORS}
        valid = len(separators) <= 1 and _checks(value.replace(" ", "").replace("-", ""))
        found.append((match.start(), end if valid else match.end(), valid))
    return found


def _cut(text: str, match, length: Optional[int]) -> Optional[int]:
    """Where an IBAN of ``length`` letters and digits starting at ``match`` ends; None when
    the country has no IBANs. The whole match when it is shorter or runs on (invalid)."""
    if length is None:
        return None
    count = 0
    for end in range(match.start(), match.end()):
        if text[end] not in SEPARATORS:
            count += 1
            if count == length:
                end += 1
                # The value goes on right after (no separator): not an IBAN of this length.
                return match.end() if end < len(text) and text[end].isalnum() else end
    return match.end()


def _checks(compact: str) -> bool:
    try:
        IBAN(compact)
    except SchwiftyException:
        return False
    return True


class RegistryIbanRecognizer(LocalRecognizer):
    """IBAN_CODE: IBAN-shaped values that schwifty validates (score 1.0: the check digits
    leave one chance in 97 of a random match)."""

    SCORE = 1.0

    def __init__(self):
        super().__init__(supported_entities=["IBAN_CODE"], name="RegistryIbanRecognizer")

    def load(self) -> None:  # noqa: D102 (nothing to load: the registry is read on first use)
        pass

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
        if not any(c.isdigit() for c in text):
            return []
        results = [
            _result(self, start, end, self.SCORE, "a valid IBAN in the registry (schwifty)")
            for start, end, valid in iban_candidates(text)
            if valid
        ]
        return EntityRecognizer.remove_duplicates(results)
