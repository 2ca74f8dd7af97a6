"""The unit data-prep works on (a record from a source), rejections, and the reason codes."""

from __future__ import annotations

import dataclasses

# Every reason a row can be rejected for, in the order the checks run. Stats and results list
# all of them (with 0 where nothing was dropped) so that their shape never changes.
REASONS = {
    "unparseable": "the line, row or document (a corrupt or encrypted PDF) could not be parsed",
    "invalid_field": "a field holds a value outside its allowed set (type, split)",
    "non_text": "binary data, control characters, an encoded blob or mostly non-letters",
    "empty": "no text and no answer (a PDF without extractable text, such as a scan)",
    "missing_field": "a required field is empty (a ticket without a question or an answer)",
    "too_short": "text (or a ticket answer) shorter than min_chars",
    "too_long": "a ticket question or answer longer than max_chars (tickets are not chunked), "
    "or an article subject taking more than half of chunk_tokens",
    "duplicate": "the same text as an earlier row of the same type, after normalization",
    "duplicate_id": "the same id as an earlier row with different text",
    "near_duplicate": "nearly the same text as an earlier row (Jaccard >= near_dup_threshold)",
}


@dataclasses.dataclass
class Record:
    """One article or ticket on its way through data-prep.

    ``origin`` says where in the source it came from ("line 4", "row 12", "document"), for
    reports; ``markup`` says how ``text`` is to be read ("html", "markdown" or "plain").
    """

    source: str
    origin: str
    id: str = ""
    type: str = ""
    split: str = ""
    subject: str = ""
    text: str = ""
    answer: str = ""
    markup: str = "plain"


@dataclasses.dataclass
class Rejection:
    """A row that was not kept, with the reason code and a human-readable detail."""

    source: str
    origin: str
    id: str
    type: str
    reason: str
    detail: str
    snippet: str

    def __post_init__(self):
        if self.reason not in REASONS:
            raise ValueError(f"unknown rejection reason {self.reason!r}")
