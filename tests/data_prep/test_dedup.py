"""Near-duplicate detection: datasketch MinHash + LSH proposes, the exact Jaccard decides."""

from __future__ import annotations

import random

from genai_flow.data_prep.dedup import NearDuplicateIndex, jaccard, lsh_params, shingles

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_VOCABULARY = ["".join(random.Random(n).choices(_LETTERS, k=3 + n % 7)) for n in range(3000)]


def _text(rng: random.Random, words: int = 80) -> str:
    return " ".join(rng.choices(_VOCABULARY, k=words))


def _variant(rng: random.Random, text: str, low: float, high: float) -> str:
    """``text`` with words replaced until its Jaccard similarity falls within [low, high]."""
    original = shingles(text, 5)
    while True:
        words = text.split()
        score = 1.0
        while score > high:
            words[rng.randrange(len(words))] = rng.choice(_VOCABULARY)
            score = jaccard(original, shingles(" ".join(words), 5))
        if score >= low:
            return " ".join(words)


def test_the_closest_earlier_text_is_reported_with_its_exact_score():
    index = NearDuplicateIndex(threshold=0.85, shingle_size=5)
    rng = random.Random(3)
    first, other = _text(rng), _text(rng)
    for key, text in (("first", first), ("other", other)):
        match, _score, grams, minhash = index.find(text)
        assert match is None
        index.add(key, grams, minhash)
    near = _variant(rng, first, 0.86, 0.95)
    match, score, _grams, _minhash = index.find(near)
    assert match == "first"
    assert score == jaccard(shingles(first, 5), shingles(near, 5))
    below = _variant(rng, first, 0.6, 0.8)  # similar, but under the threshold
    assert index.find(below)[0] is None
    assert index.find(first.upper() + "!")[0] == "first"  # case and punctuation don't count


def test_pairs_just_above_the_threshold_are_not_missed():
    """datasketch's own banding for 0.85 misses about half of the pairs at the threshold; the
    generous banding must find every one of 150."""
    rng = random.Random(11)
    index = NearDuplicateIndex(threshold=0.85, shingle_size=5)
    bases = [_text(rng) for _ in range(150)]
    for number, base in enumerate(bases):
        _match, _score, grams, minhash = index.find(base)
        index.add(f"base-{number}", grams, minhash)
    missed = [number for number, base in enumerate(bases)
              if index.find(_variant(rng, base, 0.85, 0.87))[0] is None]
    assert not missed
    bands, rows = lsh_params(0.85)
    assert bands * rows <= 128 and (1 - 0.85**rows) ** bands <= 1e-3
