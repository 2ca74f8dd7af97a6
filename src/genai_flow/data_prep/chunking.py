"""Splitting long documents into overlapping chunks, on paragraph, line and sentence boundaries
where possible (and on words, then characters, only when a piece is still too long)."""

from __future__ import annotations

import re

# Boundaries from the most to the least natural; each keeps the separator it splits on.
_BOUNDARIES = [
    re.compile(r"\n{2,}"),  # paragraphs
    re.compile(r"\n"),  # lines (list items, table rows)
    re.compile(r"(?<=[.!?;:])\s+"),  # sentences
    re.compile(r"\s+"),  # words
]


def _pieces(text: str, size: int, level: int = 0) -> list[tuple[str, str]]:
    """(piece, separator that followed it) pairs covering ``text``, each piece <= size."""
    if len(text) <= size:
        return [(text, "")]
    if level == len(_BOUNDARIES):  # one unbreakable run: cut it
        return [(text[i : i + size], "") for i in range(0, len(text), size)]
    pieces: list[tuple[str, str]] = []
    position = 0
    for match in list(_BOUNDARIES[level].finditer(text)) + [None]:
        end = match.start() if match else len(text)
        separator = match.group() if match else ""
        part = text[position:end]
        if part:
            subpieces = _pieces(part, size, level + 1)
            subpieces[-1] = (subpieces[-1][0], separator)
            pieces.extend(subpieces)
        elif pieces:  # a separator at the very start, or two in a row
            pieces[-1] = (pieces[-1][0], pieces[-1][1] + separator)
        position = match.end() if match else len(text)
    return pieces


def _render(units: list[tuple[str, str]]) -> str:
    return "".join(piece + separator for piece, separator in units).strip()


def _tail(units: list[tuple[str, str]], overlap: int) -> list[tuple[str, str]]:
    """The end of a chunk to repeat at the start of the next: whole pieces if they fit in
    ``overlap`` characters, else the last piece's tail from a word boundary."""
    tail, length = [], 0
    for piece, separator in reversed(units):
        if length + len(piece) + len(separator) > overlap:
            break
        tail.insert(0, (piece, separator))
        length += len(piece) + len(separator)
    if tail or overlap <= 0:
        return tail
    piece, separator = units[-1]
    cut = piece[-overlap:]
    space = cut.find(" ")
    if 0 <= space < len(cut) - 1:
        cut = cut[space + 1 :]
    return [(cut, separator)] if cut.strip() else []


def chunk_text(text: str, size: int, overlap: int) -> list[str]:
    """Chunks of at most ``size`` characters; each repeats up to ``overlap`` characters of the
    previous one so that a sentence cut at a boundary is still whole in one of them."""
    if size <= 0:
        raise ValueError(f"chunk_size must be positive, got {size}")
    if not 0 <= overlap < size:
        raise ValueError(f"chunk_overlap must be >= 0 and < chunk_size ({size}), got {overlap}")
    text = text.strip()
    if len(text) <= size:
        return [text]
    chunks, current = [], []
    for unit in _pieces(text, size):
        if current and len(_render(current + [unit])) > size:
            chunks.append(_render(current))
            current = _tail(current, overlap)
            while current and len(_render(current + [unit])) > size:
                current = current[1:]
        current.append(unit)
    if current:
        chunks.append(_render(current))
    return chunks
