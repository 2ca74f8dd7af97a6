"""Values shaped like one identifier that fail its check: left alone, never relabelled.

A bad-checksum IBAN holds 16 digits that pass the Luhn check or read as a German phone
number, an out-of-range IP such as ``192.168.1.256`` reads as an Indian one, and an SSN that
the Social Security Administration never issues (``078-05-0000``) as a phone number. Masking
those as ``<CREDIT_CARD>`` or ``<PHONE_NUMBER>`` tells the reader something false about the
text. So the span of an IBAN-, IP-, SSN- or card-shaped value that fails its own validation
is claimed by its type: other types' detections that overlap it are dropped.
"""

from __future__ import annotations

import functools

import regex
from presidio_analyzer import RecognizerResult
from presidio_analyzer.predefined_recognizers import CreditCardRecognizer, UsSsnRecognizer

from .iban import iban_candidates
from .ip_address import ip_candidates

SSN_SHAPE = regex.compile(r"(?<![\d-])\d{3}([- ])\d{2}\1\d{4}(?![\d-])")  # 3-2-4, one separator
CARD_SHAPE = regex.compile(r"(?<![\d-])\d{4}([- ])\d{4}\1\d{4}\1\d{1,7}(?![\d-])")  # 4-4-4-n


@functools.lru_cache(maxsize=1)
def _ssn_checker() -> UsSsnRecognizer:
    return UsSsnRecognizer()


@functools.lru_cache(maxsize=1)
def _card_checker() -> CreditCardRecognizer:
    return CreditCardRecognizer()  # its validate_result is the Luhn check


def invalid_spans(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, type)`` of every value in ``text`` shaped like ``type`` but invalid."""
    spans = [(s, e, "IBAN_CODE") for s, e, valid in iban_candidates(text) if not valid]
    spans += [(s, e, "IP_ADDRESS") for s, e, valid in ip_candidates(text) if not valid]
    for match in SSN_SHAPE.finditer(text):
        if _ssn_checker().invalidate_result(match.group()):
            spans.append((match.start(), match.end(), "US_SSN"))
    for match in CARD_SHAPE.finditer(text):
        if not _card_checker().validate_result(match.group()):
            spans.append((match.start(), match.end(), "CREDIT_CARD"))
    return spans


def drop_relabelled(results: list[RecognizerResult], text: str) -> list[RecognizerResult]:
    """``results`` without detections that overlap an invalid value of another type (a
    detection around it stays: a valid IBAN holds card-shaped digit groups)."""
    if not results or not any(c.isdigit() for c in text):
        return results
    claims = invalid_spans(text)
    return [
        r for r in results
        if not any(
            r.start < end and start < r.end and kind != r.entity_type
            and not (r.start <= start and end <= r.end and (r.start, r.end) != (start, end))
            for start, end, kind in claims
        )
    ]
