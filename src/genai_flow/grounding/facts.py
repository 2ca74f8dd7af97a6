"""The concrete facts of a text: what a support answer must not make up.

Numbers (with their units' digits), prices, e-mail addresses, URLs and domains, menu paths
("Settings > Security"), product codes ("ORB-4221") and keyboard shortcuts ("Ctrl+K"). An
answer that states one of these which no retrieved passage contains is inventing it.
"""

from __future__ import annotations

import re

_SEGMENT = r"[A-Z][\w&'-]*(?: [a-z][\w&'-]*)?"  # "Settings", "Email address", "IP allowlist"
_PATTERNS = [
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail address
    r"https?://\S+|\b(?:[a-z0-9-]+\.)+(?:com|net|org|io|dev|app|co|ai)(?:/[\w./-]*)?",  # URL, domain
    rf"\b{_SEGMENT}(?: > {_SEGMENT})+",  # menu path: Settings > Profile > Email address
    r"\b[A-Z]{2,}-\d+\b",  # product or error code
    r"\b(?:Ctrl|Cmd|Alt|Shift|Option)(?:\s*\+\s*\w+)+",  # keyboard shortcut
    r"[$€£]\s?\d[\d,]*(?:\.\d+)?",  # price
    r"\b\d[\d,]*(?:\.\d+)?%?",  # number
]
_FACT = re.compile("|".join(f"(?:{pattern})" for pattern in _PATTERNS))
_MASK = re.compile(r"<[A-Z_]+>")  # PII placeholders are not facts


def concrete_facts(text: str) -> list[str]:
    """The concrete facts in ``text``, in order, without duplicates."""
    found = []
    for match in _FACT.finditer(_MASK.sub(" ", text or "")):
        fact = match.group(0).rstrip(".,;:)")
        if fact and fact not in found:
            found.append(fact)
    return found


def _normalized(text: str) -> str:
    # "1,000" and "1000" are the same number; case and spacing do not matter.
    return re.sub(r"(?<=\d),(?=\d{3})", "", re.sub(r"\s+", " ", text.lower()))


def unsupported_facts(answer: str, passages: list[str]) -> list[str]:
    """The answer's concrete facts that appear in none of ``passages``."""
    corpus = _normalized("\n".join(passages))
    return [fact for fact in concrete_facts(answer) if _normalized(fact) not in corpus]
