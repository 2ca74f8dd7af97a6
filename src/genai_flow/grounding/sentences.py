"""Sentences of answers and passages, by spaCy's rule-based sentencizer (no model to load)."""

from __future__ import annotations

import functools
import re

_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_TABLE_RULE = re.compile(r"^[\s|:-]+$")


@functools.lru_cache(maxsize=1)
def _sentencizer():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``: each line on its own (list items, table rows and paragraphs
    do not run into each other), list markers dropped, Markdown headings and table rules
    skipped."""
    sentences = []
    for line in (text or "").splitlines():
        line = _LIST_MARK.sub("", line.strip())
        if not line or line.startswith("#") or _TABLE_RULE.match(line):
            continue
        sentences.extend(span.text.strip() for span in _sentencizer()(line).sents if span.text.strip())
    return sentences
