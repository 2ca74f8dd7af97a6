"""Fitting the serving thresholds on held-out answers, and how well each signal separates.

Each signal is judged by its AUROC against answer quality (did the answer carry its fact?);
one that separates no better than ``MIN_AUROC`` is dropped (its threshold None: serving then
ignores it). Thresholds are fitted for what the user gets:
- groundedness and confidence: the threshold below which the answer is replaced (by the
  quoted passage sentences, or the fallback) that maximizes the share of correct answers
  served, ties going to the lower threshold (keep the model's answer); a dropped signal leaves
  the better policy that needs none (keep every answer, or replace every one);
- off-topic: the best-passage score that best separates the fact questions from the off-topic
  ones (Youden's J), ties going to the lower threshold (decline less).
"""

from __future__ import annotations

import dataclasses
from typing import Optional, Sequence

import numpy as np
from sklearn.metrics import roc_auc_score, roc_curve

MIN_AUROC = 0.6  # below this a signal tells good answers from bad barely better than chance
MIN_PER_CLASS = 5  # fewer good (or bad) answers than this: an AUROC would be noise
ALWAYS = 1.0  # groundedness and confidence are 0..1: below 1.0 replaces all but full support


@dataclasses.dataclass(frozen=True)
class SignalFit:
    name: str
    auroc: Optional[float]  # None: one class only, nothing to separate
    threshold: Optional[float]  # None: dropped
    served_rate: Optional[float]  # share served correctly (or classified right) at the threshold
    kept: bool
    reason: str

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def auroc(scores: Sequence[float], labels: Sequence[bool]) -> Optional[float]:
    """The AUROC of ``scores`` for ``labels``; None with too few of either class to tell."""
    labels = np.asarray(labels, dtype=bool)
    if min(labels.sum(), (~labels).sum()) < MIN_PER_CLASS:
        return None
    return round(float(roc_auc_score(labels, np.asarray(scores, dtype=float))), 4)


def _dropped(name: str, area: Optional[float]) -> Optional[SignalFit]:
    reason = _weak(area)
    return SignalFit(name, area, None, None, False, reason) if reason else None


def _weak(area: Optional[float]) -> Optional[str]:
    """Why a signal with this AUROC cannot be used (None: it can)."""
    if area is None:
        return f"fewer than {MIN_PER_CLASS} good or bad answers: too few to fit a threshold"
    if area < MIN_AUROC:
        return f"AUROC {area:.3f} < {MIN_AUROC}: does not separate good answers from bad"
    return None


def fit_replacement(
    name: str, scores: Sequence[float], model_correct: Sequence[bool], replacement_correct: Sequence[bool]
) -> SignalFit:
    """The threshold on ``scores`` (0..1) below which answers are replaced, maximizing correct
    answers served when replaced ones count as ``replacement_correct``.

    A signal too weak to separate (see :func:`_weak`) is dropped, and the better of the two
    policies that need no signal is kept: never replace (threshold None), or replace every
    answer short of full support (threshold ``ALWAYS``), when the replacement carries the fact
    more often than the model does."""
    scores = np.asarray(scores, dtype=float)
    model_correct = np.asarray(model_correct, dtype=bool)
    replacement_correct = np.asarray(replacement_correct, dtype=bool)
    if not len(scores):  # e.g. confidence when groundedness already replaces every answer
        return SignalFit(name, None, None, None, False, "no answers left to fit on")
    area = auroc(scores, model_correct)
    weak = _weak(area)
    if weak:
        never, always = float(model_correct.mean()), float(replacement_correct.mean())
        if always > never:
            return SignalFit(name, area, ALWAYS, round(always, 4), False,
                             f"{weak}; the replacement carries the fact more often than the model "
                             f"({always:.1%} vs {never:.1%}): every answer is replaced")
        return SignalFit(name, area, None, round(never, 4), False, f"{weak}; answers are kept")
    candidates = np.unique(np.concatenate([[0.0], scores, [ALWAYS]]))
    served = [np.where(scores >= t, model_correct, replacement_correct).mean() for t in candidates]
    best = int(np.argmax(served))  # the first maximum: the lowest threshold
    threshold = float(candidates[best])
    return SignalFit(name, area, round(threshold, 4) if threshold > 0 else None, round(float(served[best]), 4),
                     True, f"AUROC {area:.3f}; replacing answers below {threshold:.3f} serves "
                           f"{served[best]:.1%} correct")


def fit_off_topic(on_topic: Sequence[float], off_topic: Sequence[float]) -> SignalFit:
    """The best-passage score below which a question is declined."""
    scores = np.concatenate([np.asarray(on_topic, float), np.asarray(off_topic, float)])
    labels = np.concatenate([np.ones(len(on_topic), bool), np.zeros(len(off_topic), bool)])
    area = auroc(scores, labels)
    dropped = _dropped("off_topic_score", area)
    if dropped:
        return dropped
    fpr, tpr, thresholds = roc_curve(labels, scores)
    j = tpr - fpr
    best = max(i for i in range(len(j)) if j[i] == j.max())  # the last maximum: lowest threshold
    threshold = float(min(thresholds[best], scores.max()))
    accuracy = float(((scores >= threshold) == labels).mean())
    return SignalFit("off_topic_score", area, round(threshold, 4), round(accuracy, 4), True,
                     f"AUROC {area:.3f}; {accuracy:.1%} of questions classified right")


def calibration_plot(fits: Sequence[SignalFit], samples: dict):
    """One panel per signal: its scores for good (correct / on-topic) and bad answers, the
    fitted threshold, the AUROC. ``samples`` maps a fit's name to ``(scores, labels)``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, len(fits), figsize=(5 * len(fits), 3.6), squeeze=False)
    for axis, fit in zip(axes[0], fits):
        scores, labels = (np.asarray(v) for v in samples[fit.name])
        axis.set_xlabel("score")
        if not len(scores):
            axis.set_title(f"{fit.name}: no answers")
            continue
        bins = np.linspace(min(scores.min(), 0.0), max(scores.max(), 1.0), 21)
        axis.hist(scores[labels.astype(bool)], bins=bins, alpha=0.6, label="good", color="tab:green")
        axis.hist(scores[~labels.astype(bool)], bins=bins, alpha=0.6, label="bad", color="tab:red")
        if fit.threshold is not None:
            axis.axvline(fit.threshold, color="black", linestyle="--", label=f"threshold {fit.threshold:.3f}")
        area = "n/a" if fit.auroc is None else f"{fit.auroc:.3f}"
        axis.set_title(f"{fit.name}: AUROC {area}" + ("" if fit.kept else " (dropped)"))
        axis.legend(fontsize=8)
    axes[0][0].set_ylabel("answers")
    figure.tight_layout()
    return figure
