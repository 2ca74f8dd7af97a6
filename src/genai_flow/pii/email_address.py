"""E-mail addresses on any syntactically valid domain.

Presidio's recognizer accepts a domain only when its suffix is on the public-suffix list, so
addresses on internationalized domains written in punycode (``xn--...``), on new suffixes the
bundled list predates, and on reserved or internal names (``.example``, ``.test``, ``.local``,
``.internal``, ``.corp``) leaked. Any of those is somebody's mailbox: the shape decides
(RFC 5322's dot-atom local part, RFC 1035 labels, a final label of letters or punycode).
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from .regex_recognizer import CASE_SENSITIVE

_ATOM = r"[\w!#$%&'*+/=?^`{|}~-]+"
_LABEL = r"(?:[^\W_](?:[\w-]{0,61}[^\W_])?)"  # letters/digits, inner hyphens; no "_" at the ends
_TOP = r"(?:[^\W\d_]{2,63}|xn--[a-zA-Z0-9-]{2,59})"  # letters (any script) or punycode
EMAIL = rf"(?<![\w.@+-]){_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+{_TOP}(?![\w-]|\.[^\W_])"


class EmailAddressRecognizer(PatternRecognizer):
    """EMAIL_ADDRESS by syntax alone (no suffix list, nothing to download)."""

    SCORE = 0.9  # an @ between a local part and a dotted domain is seldom anything else
    CONTEXT = ["email", "e-mail", "mail", "mailbox", "address", "contact"]

    def __init__(self):
        super().__init__(
            "EMAIL_ADDRESS",
            patterns=[Pattern("e-mail address", EMAIL, self.SCORE)],
            context=self.CONTEXT,
            global_regex_flags=CASE_SENSITIVE,
        )

    def validate_result(self, pattern_text: str) -> bool:  # noqa: D102
        domain = pattern_text.rsplit("@", 1)[1]
        return len(pattern_text) <= 254 and len(domain) <= 253
