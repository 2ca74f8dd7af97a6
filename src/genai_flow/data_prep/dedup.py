"""Duplicate detection: exact duplicates by a normalized key, near duplicates by the Jaccard
similarity of character shingles, with datasketch's MinHash + LSH to find candidate pairs fast.

Candidates from LSH are always verified with the exact Jaccard similarity, so the LSH only has
to be generous (few misses); it never decides on its own.
"""

from __future__ import annotations

import re
from typing import Optional

from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SEED = 7  # the same permutations in every run, so the same rows are compared
_MISS_TOLERANCE = 1e-3  # chance that a pair exactly at the threshold is never compared


def dedup_key(text: str) -> str:
    """Casefolded words only: punctuation, case and spacing don't make a text different."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def shingles(text: str, size: int) -> set[str]:
    """Character ``size``-grams of the normalized text (the whole text if shorter)."""
    key = dedup_key(text)
    return {key[i : i + size] for i in range(max(1, len(key) - size + 1))}


def jaccard(a: set, b: set) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def lsh_params(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows) for MinHashLSH: the most selective banding that still makes a pair at
    ``threshold`` a candidate with probability >= 1 - _MISS_TOLERANCE.

    datasketch's own choice balances false positives against misses, and at 0.85 it misses
    about half of the pairs exactly at the threshold; here false positives are cheap (the exact
    check removes them) and misses are not.
    """
    best = (num_perm, 1)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if (1 - threshold**rows) ** bands <= _MISS_TOLERANCE:
            best = (bands, rows)
    return best


class NearDuplicateIndex:
    """Add texts one by one; each is checked against everything added before it."""

    def __init__(self, threshold: float, shingle_size: int):
        if not 0 < threshold <= 1:
            raise ValueError(f"near_dup_threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self.shingle_size = shingle_size
        self._lsh = MinHashLSH(num_perm=NUM_PERM, params=lsh_params(threshold))
        # Drawing the permutations is a good part of a MinHash's cost: draw them once.
        template = MinHash(num_perm=NUM_PERM, seed=SEED)
        self._permutations, self._scheme = template.permutations, template.scheme
        self._sets: list[set[str]] = []
        self._keys: list[str] = []

    def find(self, text: str) -> tuple[Optional[str], float, set[str], MinHash]:
        """The key of the most similar earlier text at or above the threshold (None if there is
        none) and its score, plus the text's shingles and MinHash for :meth:`add`."""
        grams = shingles(text, self.shingle_size)
        minhash = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=self._permutations,
                          scheme=self._scheme)
        minhash.update_batch([gram.encode("utf-8") for gram in grams])
        best_key, best_score = None, 0.0
        for index in sorted(self._lsh.query(minhash)):
            score = jaccard(grams, self._sets[index])
            if score >= self.threshold and score > best_score:
                best_key, best_score = self._keys[index], score
        return best_key, best_score, grams, minhash

    def add(self, key: str, grams: set[str], minhash: MinHash) -> None:
        index = len(self._sets)
        self._sets.append(grams)
        self._keys.append(key)
        self._lsh.insert(index, minhash)
