"""Input drift: how far a window's questions are from the questions the model was trained on.

Two measures on MiniLM embeddings (unit vectors), and drift needs both:
- **unlike share** (the score): the share of the window's questions less similar to every
  training question than 99% of training questions are to their nearest other training
  question (the floor is the 1st percentile of the reference's leave-one-out nearest-neighbour
  cosine). It says how much of the traffic is about things the model never saw; drifted at
  ``min_share`` (0.25) or more.
- **MMD with a permutation test**: the maximum mean discrepancy between the two sets (Gaussian
  kernel, median-distance bandwidth) against the MMDs of random splits of the pooled questions;
  the window must also be significantly different (``p <= alpha``).
MMD alone is not used as the verdict: with hundreds of training questions it finds any
difference significant, including harmless ones (measured: short on-topic questions against
the training set's e-mail-style tickets, p 0.005). A window smaller than ``MIN_WINDOW`` is never
called drifted.
"""

from __future__ import annotations

import dataclasses

import numpy as np

MIN_WINDOW = 20  # questions a window needs before drift is judged
FLOOR_PERCENTILE = 1.0  # of the reference's nearest-neighbour cosines: below it, "unlike"


@dataclasses.dataclass(frozen=True)
class DriftResult:
    score: float  # unlike share: window questions unlike every training question (0..1)
    threshold: float  # the share from which the window drifts
    drifted: bool
    mmd: float  # MMD between the window and the reference
    p_value: float  # permutation test of the MMD
    floor: float  # nearest-training-question cosine below which a question is "unlike"
    window: int  # questions compared
    reference: int

    def to_dict(self) -> dict:
        return {key: round(value, 6) if isinstance(value, float) else value
                for key, value in dataclasses.asdict(self).items()}


def _mmd(kernel: np.ndarray, first: np.ndarray) -> float:
    """The (biased) MMD between the rows marked ``first`` and the rest, from the pooled kernel."""
    a, b = first, ~first
    squared = kernel[np.ix_(a, a)].mean() + kernel[np.ix_(b, b)].mean() - 2 * kernel[np.ix_(a, b)].mean()
    return float(np.sqrt(max(squared, 0.0)))


def mmd_test(window: np.ndarray, reference: np.ndarray, permutations: int, rng) -> tuple[float, float]:
    """``(MMD, permutation p-value)`` of two embedding sets."""
    pooled = np.vstack([window, reference])
    norms = (pooled ** 2).sum(1)
    squared = np.maximum(norms[:, None] + norms[None, :] - 2 * pooled @ pooled.T, 0)
    bandwidth = float(np.median(squared[np.triu_indices(len(pooled), 1)])) or 1.0
    kernel = np.exp(-squared / bandwidth)
    first = np.arange(len(pooled)) < len(window)
    observed = _mmd(kernel, first)
    null = np.array([_mmd(kernel, rng.permutation(first)) for _ in range(permutations)])
    return observed, (1 + int((null >= observed).sum())) / (1 + permutations)


def nearest_similarity(window, reference) -> np.ndarray:
    """Each window question's cosine to its most similar reference question."""
    return (np.asarray(window) @ np.asarray(reference).T).max(1)


def unlike_floor(reference) -> float:
    """The cosine below which a question is unlike the reference: the 1st percentile of the
    reference's own leave-one-out nearest-neighbour cosines."""
    within = np.asarray(reference) @ np.asarray(reference).T
    np.fill_diagonal(within, -np.inf)
    return float(np.percentile(within.max(1), FLOOR_PERCENTILE))


def input_drift(window, reference, min_share: float = 0.25, alpha: float = 0.01, permutations: int = 200,
                max_reference: int = 500, seed: int = 0) -> DriftResult:
    """Compare ``window`` (questions x dimension, unit vectors) with ``reference`` embeddings (a
    sample of at most ``max_reference`` of them, drawn with ``seed``)."""
    window, reference = np.asarray(window, dtype=float), np.asarray(reference, dtype=float)
    rng = np.random.default_rng(seed)
    if len(reference) > max_reference:
        reference = reference[rng.choice(len(reference), max_reference, replace=False)]
    if len(window) < MIN_WINDOW or len(reference) < MIN_WINDOW:
        return DriftResult(0.0, min_share, False, 0.0, 1.0, float("nan"), len(window), len(reference))
    floor = unlike_floor(reference)
    share = float((nearest_similarity(window, reference) < floor).mean())
    mmd, p_value = mmd_test(window, reference, permutations, rng)
    drifted = share >= min_share and p_value <= alpha
    return DriftResult(share, min_share, drifted, mmd, p_value, floor, len(window), len(reference))
