"""The toxicity head: logistic regression on a text's MiniLM sentence embedding.

The text is normalized first (:mod:`.normalize`: leetspeak, masking and spelled-out letters
undone), embedded with all-MiniLM-L6-v2 (``normalize_embeddings=True``) and scored as
``sigmoid(weights . features + bias)``, the features being the embedding and, with the
packaged head's fusion, alt-profanity-check's logit for the text. Trained by :mod:`.training` on
``data/toxicity/toxicity_train.jsonl`` (``genai-flow train-guard``).

Stored as plain coefficients, never a pickle (alt-profanity-check pins scikit-learn exactly,
so a pickled estimator would break on the next upgrade): ``toxicity_head.npz`` holds
``weights`` and ``bias``; ``toxicity_head.json`` the threshold chosen on the validation
split, the embedding model's name, the training set's sha256, the validation metrics and the
command that made it. Loading checks that the two agree and that the embedder is the one the
head was trained on: same dimension, and the same embedding of a fixed probe sentence (stored
as ``probe`` in the .npz), which no other model reproduces.

Fusion with alt-profanity-check (``fusion`` in the json; training measures all three by
cross-validation and keeps the best, see data/toxicity/README.md):
- ``embedding``: the embedding alone;
- ``embedding+profanity-feature``: one more input, the logit of alt-profanity-check's
  probability for the normalized text (the regression learns its weight);
- ``max(embedding, profanity)``: the larger of the head's and alt-profanity-check's scores.
The packaged head uses ``embedding+profanity-feature``: cross-validated partial AUC (false
positives up to 10%) 0.813, against 0.792 for the embedding alone and 0.795 for max() (the
profanity classifier flags benign look-alike words and quotes that the head scores low). The
profanity score needs no model call (TF-IDF and linear SVMs, well under a millisecond), so
precomputed embeddings still make the head free of model calls.

Long texts: MiniLM reads the first 256 word pieces, and mean pooling dilutes a toxic sentence
in a long benign text. Scoring sentence windows (max over windows) was measured and not kept:
it flagged more long benign texts than it caught toxic ones (data/toxicity/README.md).
"""

from __future__ import annotations

import dataclasses
import functools
import json
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from .normalize import normalize

HEAD_FILE = Path(__file__).resolve().parent / "toxicity_head.npz"
FORMAT = 1  # bump when the files' meaning changes; load() refuses other versions
EMBEDDING, PROFANITY_FEATURE, MAX_PROFANITY = "embedding", "embedding+profanity-feature", "max(embedding, profanity)"
FUSIONS = (EMBEDDING, PROFANITY_FEATURE, MAX_PROFANITY)
# Embedded at training and at load: another model (or a broken one) gives another vector.
PROBE_TEXT = "The quick brown fox checks which sentence embedding model it is talking to."
PROBE_MIN_COSINE = 0.999  # CPU and CUDA kernels differ in the last digits only


class HeadError(ValueError):
    """The head files are missing, inconsistent, or do not match the embedder."""


def metadata_path(head_file: Path) -> Path:
    return Path(head_file).with_suffix(".json")


def read_metadata(head_file: Optional[str | Path] = None) -> dict:
    """The head's json (threshold, model name, metrics) without loading any model."""
    path = metadata_path(resolve_head_file(head_file))
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise HeadError(f"cannot read the toxicity head's metadata {path}: {error}") from error
    if meta.get("format") != FORMAT:
        raise HeadError(f"{path} has format {meta.get('format')!r}, this code reads {FORMAT}")
    return meta


def resolve_head_file(head_file: Optional[str | Path] = None) -> Path:
    """``head_file`` (a .npz file, or a folder holding toxicity_head.npz); default: packaged."""
    if head_file is None:
        return HEAD_FILE
    path = Path(head_file).expanduser()
    return path / HEAD_FILE.name if path.is_dir() else path


@dataclasses.dataclass(frozen=True)
class ToxicityHead:
    """Plain coefficients: ``score = sigmoid(features @ weights + bias)``, the features being
    the embedding (plus the profanity logit for ``embedding+profanity-feature``)."""

    weights: np.ndarray  # (embedding dimension,), one more with the profanity feature
    bias: float
    threshold: float  # flagged at or above, chosen on the validation split
    embedding_model: str  # the sentence-transformers model the weights belong to
    fusion: str = EMBEDDING  # one of FUSIONS
    probe: Optional[np.ndarray] = None  # the embedder's embedding of PROBE_TEXT (None: not checked)

    @property
    def dimension(self) -> int:
        """The embedding dimension the head takes."""
        return self.weights.shape[0] - (self.fusion == PROFANITY_FEATURE)

    @property
    def uses_profanity(self) -> bool:
        return self.fusion != EMBEDDING

    @classmethod
    def load(cls, head_file: Optional[str | Path] = None) -> "ToxicityHead":
        """Read the .npz coefficients and their .json metadata (no pickle: ``allow_pickle=False``).

        :raises HeadError: a file is missing or unreadable, or they disagree.
        """
        path = resolve_head_file(head_file)
        meta = read_metadata(path)
        try:
            with np.load(path, allow_pickle=False) as arrays:
                weights, bias = np.asarray(arrays["weights"], float), float(arrays["bias"])
                probe = np.asarray(arrays["probe"], float) if "probe" in arrays.files else None
        except (OSError, KeyError, ValueError) as error:
            raise HeadError(f"cannot read the toxicity head {path}: {error}") from error
        fusion = meta.get("fusion", EMBEDDING)
        if fusion not in FUSIONS:
            raise HeadError(f"{path}: unknown fusion {fusion!r}, not one of {FUSIONS}")
        expected = meta.get("dimension", -1) + (fusion == PROFANITY_FEATURE)
        if weights.ndim != 1 or weights.shape[0] != expected or not np.isfinite(weights).all():
            raise HeadError(f"{path}: weights of shape {weights.shape} do not match its metadata")
        threshold = float(meta["threshold"])
        if not 0.0 <= threshold <= 1.0:
            raise HeadError(f"{path}: threshold {threshold} is not in 0..1")
        if probe is not None and probe.shape != (meta["dimension"],):
            raise HeadError(f"{path}: probe embedding of shape {probe.shape} does not match its metadata")
        return cls(weights, bias, threshold, str(meta["embedding_model"]), fusion, probe)

    def save(self, head_file: Path, metadata: dict) -> None:
        """Write the coefficients (.npz, float64 arrays only) and ``metadata`` plus what
        loading checks (.json)."""
        head_file = Path(head_file)
        if head_file.suffix != ".npz":
            raise ValueError(f"the head's file must end in .npz, not {head_file.name}")
        head_file.parent.mkdir(parents=True, exist_ok=True)
        # numpy dates every zip member 1980-01-01: equal weights give byte-identical files.
        arrays = {"weights": self.weights.astype(np.float64), "bias": np.float64(self.bias)}
        if self.probe is not None:
            arrays["probe"] = np.asarray(self.probe, dtype=np.float64)
        np.savez(head_file, **arrays)
        meta = {"format": FORMAT, "embedding_model": self.embedding_model, "dimension": self.dimension,
                "fusion": self.fusion, "threshold": self.threshold, "probe_text": PROBE_TEXT, **metadata}
        metadata_path(head_file).write_text(json.dumps(meta, indent=2, sort_keys=False) + "\n", encoding="utf-8")

    def check_embedder(self, embedder) -> None:
        """Raise :class:`HeadError` if ``embedder`` cannot be the model the head was trained on."""
        dimension = embedder.get_embedding_dimension()
        if dimension != self.dimension:
            raise HeadError(
                f"the toxicity head was trained on {self.embedding_model} ({self.dimension} "
                f"dimensions); this embedder gives {dimension}"
            )
        if self.probe is not None:
            cosine = float(embed(embedder, [PROBE_TEXT])[0] @ self.probe)  # both unit length
            if cosine < PROBE_MIN_COSINE:
                raise HeadError(
                    f"the toxicity head was trained on {self.embedding_model}; this embedder is "
                    f"another model (probe sentence cosine {cosine:.4f} < {PROBE_MIN_COSINE})"
                )

    def score_embeddings(self, embeddings, profanity=None) -> np.ndarray:
        """Scores in 0..1 for a (texts x dimension) matrix of normalized embeddings and, when
        the fusion uses it, alt-profanity-check's probability for each (normalized) text."""
        embeddings = np.asarray(embeddings, dtype=float)
        if embeddings.ndim != 2 or embeddings.shape[1] != self.dimension:
            raise ValueError(f"embeddings must be (texts x {self.dimension}), not {embeddings.shape}")
        if self.uses_profanity and (profanity is None or len(profanity) != len(embeddings)):
            raise ValueError(f"the {self.fusion} head needs one profanity score per text")
        features = embeddings
        if self.fusion == PROFANITY_FEATURE:
            features = np.hstack([embeddings, profanity_logit(profanity)[:, None]])
        scores = 1.0 / (1.0 + np.exp(-(features @ self.weights + self.bias)))
        return np.maximum(scores, profanity) if self.fusion == MAX_PROFANITY else scores


def profanity_logit(probabilities) -> np.ndarray:
    """The profanity feature: the logit of alt-profanity-check's probability, clipped to +-9."""
    p = np.clip(np.asarray(probabilities, dtype=float), 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def embed(embedder, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
    """The normalized embeddings of already-normalized ``texts`` (what the head expects)."""
    texts = list(texts)
    if len(texts) == 1 and _plain(embedder):
        # The serving case, one text: sentence-transformers' own preprocess and forward pass,
        # without encode()'s per-call bookkeeping (about 1 ms of 15 on one core); the same
        # vector to float precision.
        import torch

        if embedder.training:
            embedder.eval()  # what encode() does: no dropout
        with torch.inference_mode():
            features = embedder.preprocess(texts)
            features = {key: value.to(embedder.device) if isinstance(value, torch.Tensor) else value
                        for key, value in features.items()}
            vector = embedder(features)["sentence_embedding"]
            return torch.nn.functional.normalize(vector.float(), dim=-1).cpu().numpy()
    return embedder.encode(
        texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True,
        show_progress_bar=False,
    )


def _plain(embedder) -> bool:
    """True for a sentence-transformers model that encode() would run without prompts or
    truncation, so the direct path gives the same vector."""
    return (callable(getattr(embedder, "preprocess", None))
            and getattr(embedder, "default_prompt_name", None) is None
            and getattr(embedder, "truncate_dim", None) is None)


@functools.lru_cache(maxsize=2)
def load_embedder(name: str):
    """The sentence-transformers model ``name`` (packaged name, hub id or folder), once per process."""
    from .. import model_loading

    return model_loading.load_embedder(None, name)


class HeadScorer:
    """The head with its embedder: normalize, embed, score.

    The embedder loads (and is checked) on first use, so a caller that always passes its own
    embeddings never holds a second copy of the model; an ``embedder`` given here is checked now.
    """

    def __init__(self, head_file: Optional[str | Path] = None, embedder=None):
        self.head = ToxicityHead.load(head_file)
        self._embedder = None
        if embedder is not None:
            self.head.check_embedder(embedder)
            self._embedder = embedder
        self.threshold = self.head.threshold
        self.profanity = None
        if self.head.uses_profanity:
            from .profanity import profanity_scorer

            self.profanity = profanity_scorer()

    @property
    def embedder(self):
        """The sentence-transformers model the head was trained on (loaded and checked once)."""
        if self._embedder is None:
            embedder = load_embedder(self.head.embedding_model)
            self.head.check_embedder(embedder)
            self._embedder = embedder
        return self._embedder

    def __call__(self, texts: Sequence[str], embeddings=None) -> np.ndarray:
        normalized = [normalize(text) for text in texts]
        if embeddings is None:
            embeddings = embed(self.embedder, normalized)
        elif len(embeddings) != len(texts):
            raise ValueError(f"{len(embeddings)} embeddings for {len(texts)} texts")
        profanity = self.profanity(normalized) if self.profanity is not None else None
        return self.head.score_embeddings(embeddings, profanity)
