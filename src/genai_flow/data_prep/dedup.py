"""Duplicate detection: exact duplicates by a normalized key, near duplicates by the Jaccard
similarity of character shingles, with MinHash + LSH banding to find candidate pairs fast.

Candidates from LSH are always verified with the exact Jaccard similarity, so the banding only
has to be generous (few misses); it never decides on its own.
"""

from __future__ import annotations

import hashlib
import re
from typing import Optional

import numpy as np

NUM_PERM = 128
_PRIME = np.uint64(4294967311)  # the first prime above 2**32
_MISS_TOLERANCE = 1e-3  # chance that a pair exactly at the threshold is never compared


def dedup_key(text: str) -> str:
    """Casefolded words only: punctuation, case and spacing don't make a text different."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def shingles(text: str, size: int) -> set[int]:
    """Hashed character ``size``-grams of the normalized text (the whole text if shorter)."""
    key = dedup_key(text)
    grams = {key[i : i + size] for i in range(max(1, len(key) - size + 1))}
    return {
        int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=4).digest(), "big")
        for gram in grams
    }


def jaccard(a: set, b: set) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def lsh_bands(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows): the most selective banding that still compares a pair at ``threshold``
    with probability >= 1 - _MISS_TOLERANCE."""
    best = (num_perm, 1)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        miss = (1 - threshold**rows) ** bands
        if miss <= _MISS_TOLERANCE:
            best = (bands, rows)
    return best


class NearDuplicateIndex:
    """Add texts one by one; each is checked against everything added before it."""

    def __init__(self, threshold: float, shingle_size: int, seed: int = 7):
        if not 0 < threshold <= 1:
            raise ValueError(f"near_dup_threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self.shingle_size = shingle_size
        self.bands, self.rows = lsh_bands(threshold)
        rng = np.random.default_rng(seed)
        self._a = rng.integers(1, 2**31, size=NUM_PERM, dtype=np.uint64)
        self._b = rng.integers(0, 2**32, size=NUM_PERM, dtype=np.uint64)
        self._buckets: list[dict] = [{} for _ in range(self.bands)]
        self._sets: list[set[int]] = []
        self._keys: list[str] = []

    def _signature(self, hashed: set[int]) -> np.ndarray:
        values = np.fromiter(hashed, dtype=np.uint64, count=len(hashed))
        # (a * h + b) mod p for every permutation at once; a < 2**31 and h < 2**32 never overflow
        permuted = (np.outer(self._a, values) + self._b[:, None]) % _PRIME
        return permuted.min(axis=1)

    def find(self, text: str) -> tuple[Optional[str], float, set[int], np.ndarray]:
        """The key of the most similar earlier text at or above the threshold, and the score."""
        hashed = shingles(text, self.shingle_size)
        signature = self._signature(hashed)
        candidates = set()
        for band in range(self.bands):
            chunk = signature[band * self.rows : (band + 1) * self.rows].tobytes()
            candidates.update(self._buckets[band].get(chunk, ()))
        best_key, best_score = None, 0.0
        for index in sorted(candidates):
            score = jaccard(hashed, self._sets[index])
            if score >= self.threshold and score > best_score:
                best_key, best_score = self._keys[index], score
        return best_key, best_score, hashed, signature

    def add(self, key: str, hashed: set[int], signature: np.ndarray) -> None:
        index = len(self._sets)
        self._sets.append(hashed)
        self._keys.append(key)
        for band in range(self.bands):
            chunk = signature[band * self.rows : (band + 1) * self.rows].tobytes()
            self._buckets[band].setdefault(chunk, []).append(index)
