"""The toxicity guard callers use: scores and flags from the `toxicity` measurement module.

Serving refuses toxic questions and replaces toxic answers with it, evaluation counts toxic
answers with it, and the `genai-flow guard` command screens files with it: one classifier,
loaded once per process. The guard fails closed: when the classifier cannot score, it raises
:class:`ToxicityUnavailable`, and never returns a made-up score.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Optional, Sequence

import evaluate

from .config import ToxicityConfig

MODULE_DIR = Path(__file__).resolve().parent / "toxicity"


class ToxicityUnavailable(RuntimeError):
    """The toxicity classifier could not load or score: withhold whatever it was to screen."""


@functools.lru_cache(maxsize=4)
def load_toxicity(
    backend: str = "profanity-check",
    model: Optional[str] = None,
    toxic_label: Optional[str] = None,
) -> evaluate.EvaluationModule:
    """``evaluate.load`` of the packaged `toxicity` module (offline), cached per process.

    :param backend: "profanity-check" (offline default) or "transformers".
    :param model: the transformers backend's text-classification model (folder or hub id).
    :param toxic_label: that model's toxic label (default: detected from its labels).
    """
    return evaluate.load(
        str(MODULE_DIR), backend, model=model, toxic_label=toxic_label, keep_in_memory=True
    )


class ToxicityGuard:
    """Toxicity scores (0..1) and flags at a threshold, for one text or many.

    Cheap to construct: the classifier itself is loaded once per process and shared.
    """

    def __init__(self, config: ToxicityConfig):
        self.config = config
        self.threshold = config.threshold
        self.backend = config.backend
        self._measurement: Optional[evaluate.EvaluationModule] = None

    @property
    def measurement(self) -> evaluate.EvaluationModule:
        """The loaded `toxicity` measurement (loads it on first use)."""
        if self._measurement is None:
            try:
                self._measurement = load_toxicity(self.backend, self.config.model, self.config.label)
            except Exception as error:
                raise ToxicityUnavailable(
                    f"cannot load the toxicity classifier ({self.backend}): {error}"
                ) from error
        return self._measurement

    def load(self) -> "ToxicityGuard":
        """Load the classifier now (e.g. at server start) instead of on the first call.

        :raises ToxicityUnavailable: it cannot be loaded.
        """
        self.measurement
        return self

    def score(self, texts: Sequence[str]) -> list[float]:
        """One toxicity score in 0..1 per text, in order.

        :raises TypeError: ``texts`` is a bare string or holds a non-string (a caller's bug).
        :raises ToxicityUnavailable: the classifier failed; the caller must fail closed.
        """
        if isinstance(texts, str):
            raise TypeError("score() takes a list of texts, not a single string")
        texts = list(texts)
        for index, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"text {index} is {type(text).__name__}, not str")
        measurement = self.measurement
        try:
            return measurement.score(texts)
        except Exception as error:
            raise ToxicityUnavailable(
                f"the toxicity classifier failed ({self.backend}): {error}"
            ) from error

    def flagged(self, texts: Sequence[str]) -> list[bool]:
        """True for each text scoring at or above the threshold (same errors as :meth:`score`)."""
        return [score >= self.threshold for score in self.score(texts)]
