"""The toxicity guard callers use: scores and flags from the `toxicity` measurement module.

Serving refuses toxic questions and replaces toxic answers with it, evaluation counts toxic
answers with it, and the `genai-flow guard` command screens files with it: one classifier,
loaded once per process. The guard fails closed: when the classifier cannot score, it raises
:class:`ToxicityUnavailable`, and never returns a made-up score.

The default backend, ``embedding-head``, scores the MiniLM embedding of the normalized text.
A caller that embeds the text anyway (serving, for retrieval) can embed
``ToxicityGuard.normalize(text)`` with the same model and pass the matrix to :meth:`score`:
the guard then costs no model call.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Optional, Sequence

import evaluate

from .config import ALIASES, DEFAULT_THRESHOLDS, EMBEDDING_HEAD, ToxicityConfig
from .normalize import normalize as _normalize

MODULE_DIR = Path(__file__).resolve().parent / "toxicity"
log = logging.getLogger(__name__)


class ToxicityUnavailable(RuntimeError):
    """The toxicity classifier could not load or score: withhold whatever it was to screen."""


@functools.lru_cache(maxsize=4)
def load_toxicity(
    backend: str = EMBEDDING_HEAD,
    model: Optional[str] = None,
    toxic_label: Optional[str] = None,
) -> evaluate.EvaluationModule:
    """``evaluate.load`` of the packaged `toxicity` module (offline), cached per process.

    :param backend: "embedding-head" (offline default), "profanity-check" or "transformers".
    :param model: transformers: the text-classification model (folder or hub id);
        embedding-head: a retrained head's .npz (default: the packaged one).
    :param toxic_label: the transformers model's toxic label (default: detected from its labels).
    """
    return evaluate.load(
        str(MODULE_DIR), backend, model=model, toxic_label=toxic_label, keep_in_memory=True
    )


class ToxicityGuard:
    """Toxicity scores (0..1) and flags at a threshold, for one text or many.

    Cheap to construct: the classifier itself is loaded once per process and shared.
    ``threshold`` is the configured one, else the classifier's own (the embedding head's
    validated threshold, read from its json without loading a model).
    """

    normalize = staticmethod(_normalize)  # what the embedding head embeds: see score()

    def __init__(self, config: ToxicityConfig):
        self.config = config
        self.backend = ALIASES.get(config.backend, config.backend)
        self._threshold = config.threshold
        self._measurement: Optional[evaluate.EvaluationModule] = None

    @property
    def threshold(self) -> float:
        """Flagged at or above this score.

        :raises ToxicityUnavailable: the embedding head's metadata cannot be read.
        """
        if self._threshold is None:
            if self.backend == EMBEDDING_HEAD:
                from .head import HeadError, read_metadata

                try:
                    self._threshold = float(read_metadata(self.config.model)["threshold"])
                except HeadError as error:
                    raise ToxicityUnavailable(
                        f"cannot load the toxicity classifier ({self.backend}): {error}"
                    ) from error
            else:
                self._threshold = DEFAULT_THRESHOLDS.get(self.backend, 0.5)
        return self._threshold

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

    @property
    def embedding_model(self) -> Optional[str]:
        """The embedding model whose embeddings :meth:`score` takes (None: it takes none).

        Read from the head's json: no model loads.

        :raises ToxicityUnavailable: the head's metadata cannot be read.
        """
        if self.backend != EMBEDDING_HEAD:
            return None
        from .head import HeadError, read_metadata

        try:
            return read_metadata(self.config.model)["embedding_model"]
        except HeadError as error:
            raise ToxicityUnavailable(
                f"cannot load the toxicity classifier ({self.backend}): {error}"
            ) from error

    def accepts_embeddings(self) -> bool:
        """True when embeddings from the project's embedding model (the config's
        ``embedding_model``) are what the head expects: then pass them to :meth:`score`."""
        if self.backend != EMBEDDING_HEAD or not self.config.embedding_model:
            return False
        from ..embed.embedder import model_label

        return model_label(self.config.embedding_model) == self.embedding_model

    def load(self) -> "ToxicityGuard":
        """Load the classifier now (e.g. at server start) instead of on the first call; the
        embedding head's embedder too (it otherwise loads on the first text given no embedding).

        :raises ToxicityUnavailable: it cannot be loaded.
        """
        measurement = self.measurement
        self.threshold
        if self.backend == EMBEDDING_HEAD:
            try:
                measurement.scorer.embedder
            except Exception as error:
                raise ToxicityUnavailable(
                    f"cannot load the toxicity classifier ({self.backend}): {error}"
                ) from error
        return self

    def score(self, texts: Sequence[str], embeddings=None) -> list[float]:
        """One toxicity score in 0..1 per text, in order.

        :param embeddings: embedding-head only (other backends ignore it): a (texts x 384)
            matrix of normalized all-MiniLM-L6-v2 embeddings of ``[self.normalize(t) for t in
            texts]``, computed by the caller; the guard then makes no model call. Used only
            when :meth:`accepts_embeddings`; otherwise the guard embeds the texts itself.
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
        if embeddings is not None and not self.accepts_embeddings():
            if self.backend == EMBEDDING_HEAD:
                log.warning("toxicity guard: ignoring embeddings from %s, the head was trained on %s",
                            self.config.embedding_model, self.embedding_model)
            embeddings = None
        try:
            return measurement.score(texts, embeddings=embeddings)
        except Exception as error:
            raise ToxicityUnavailable(
                f"the toxicity classifier failed ({self.backend}): {error}"
            ) from error

    def flagged(self, texts: Sequence[str], embeddings=None) -> list[bool]:
        """True for each text scoring at or above the threshold (same errors as :meth:`score`)."""
        return [score >= self.threshold for score in self.score(texts, embeddings)]
