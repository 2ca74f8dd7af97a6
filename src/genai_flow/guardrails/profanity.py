"""alt-profanity-check's classifier, fast: the `profanity-check` backend, and a feature of the head."""

from __future__ import annotations

import functools

import numpy as np


class ProfanityCheckScorer:
    """alt-profanity-check's model, with its five calibrated SVMs fused into one matrix product.

    ``profanity_check.predict_prob`` runs scikit-learn's ``CalibratedClassifierCV`` (about 3 ms
    for one text here, mostly per-estimator overhead); the fused form computes the same
    probabilities (mean over folds of the sigmoid of each fold's linear decision) in well under
    a millisecond. Models of another shape fall back to ``predict_proba``.
    """

    def __init__(self):
        from profanity_check import profanity_check as packaged  # loads the joblib files

        self.vectorizer = packaged.vectorizer
        self.model = packaged.model
        self.fused = self._fuse(self.model)

    @staticmethod
    def _fuse(model):
        folds = getattr(model, "calibrated_classifiers_", None)
        if not folds or len(getattr(model, "classes_", ())) != 2:
            return None
        weights, intercepts, slopes, offsets = [], [], [], []
        for fold in folds:
            estimator = fold.estimator
            if fold.method != "sigmoid" or len(fold.calibrators) != 1 or not hasattr(estimator, "coef_"):
                return None
            if list(estimator.classes_) != list(model.classes_):
                return None
            weights.append(np.asarray(estimator.coef_).ravel())
            intercepts.append(float(np.ravel(estimator.intercept_)[0]))
            slopes.append(float(fold.calibrators[0].a_))
            offsets.append(float(fold.calibrators[0].b_))
        return (
            np.ascontiguousarray(np.stack(weights, axis=1)),  # features x folds
            np.array(intercepts),
            np.array(slopes),
            np.array(offsets),
        )

    def __call__(self, texts):
        features = self.vectorizer.transform(texts)
        if self.fused is None:
            return self.model.predict_proba(features)[:, 1]
        weights, intercepts, slopes, offsets = self.fused
        decisions = features @ weights + intercepts  # texts x folds
        return (1.0 / (1.0 + np.exp(slopes * decisions + offsets))).mean(axis=1)


@functools.lru_cache(maxsize=1)
def profanity_scorer() -> ProfanityCheckScorer:
    """The scorer, loaded once per process (the joblib files take about a second)."""
    return ProfanityCheckScorer()
