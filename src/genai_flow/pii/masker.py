"""Detect and mask PII: Presidio's analyzer (tuned registry, offline spaCy) and anonymizer.

The analyzer, with its spaCy model, is built once per process and shared by every masker
that uses the same model and phone regions; texts go through spaCy in batches
(``nlp.pipe`` through Presidio's ``BatchAnalyzerEngine``).
"""

from __future__ import annotations

import functools
import json
from typing import Iterable, Mapping, Optional, Sequence

from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine, RecognizerResult
from presidio_analyzer.nlp_engine import NlpEngineProvider
from presidio_anonymizer import AnonymizerEngine
from tqdm.auto import tqdm

from ..settings import get_settings
from .offline import OfflineSpacyNlpEngine, make_tldextract_offline
from .operators import OperatorSpec, operator_configs
from .resolve import resolve_overlaps, review_ner
from .registry import (
    NER_SCORE,
    SPACY_IGNORED_LABELS,
    SPACY_LABELS,
    SUPPORTED_ENTITIES,
    build_registry,
)

Entity = dict  # {"type": str, "start": int, "end": int, "score": float}, offsets in the input
Masked = tuple[str, list[Entity]]  # (masked text, entities)


@functools.lru_cache(maxsize=4)
def get_analyzer(spacy_model: str, phone_regions: tuple[str, ...]) -> AnalyzerEngine:
    """The analyzer for a spaCy model and phone regions, loaded once per process."""
    make_tldextract_offline()
    provider = NlpEngineProvider(
        nlp_engines=(OfflineSpacyNlpEngine,),
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": spacy_model}],
            "ner_model_configuration": {
                "model_to_presidio_entity_mapping": SPACY_LABELS,
                "labels_to_ignore": list(SPACY_IGNORED_LABELS),
                "low_score_entity_names": [],
                "default_score": NER_SCORE,
            },
        },
    )
    return AnalyzerEngine(
        registry=build_registry(phone_regions),
        nlp_engine=provider.create_engine(),
        supported_languages=["en"],
    )


def _as_entity(result: RecognizerResult) -> Entity:
    return {
        "type": result.entity_type,
        "start": result.start,
        "end": result.end,
        "score": round(float(result.score), 3),
    }


class PiiMasker:
    """Find PII in texts and mask it. Options left as None come from the settings.

    :param entities:            entity types to detect (default ``pii_entities``)
    :param score_threshold:     minimum score of a detection (default ``pii_score_threshold``)
    :param default_operator:    operator for every entity: replace, mask, hash, redact, keep
    :param entity_operator_map: per-entity operators, e.g. ``{"PERSON": "hash",
                                "CREDIT_CARD": ["mask", {"chars_to_mask": 12}]}``
    :param spacy_model:         installed spaCy package or model folder
    :param phone_regions:       regions whose national phone formats are recognised
    :param batch_size:          texts per spaCy batch
    :param hash_salt:           salt for the hash operator (stable hashes); None: random
    :param allow_list:          words never masked, case-insensitive (product and plan names)
    """

    def __init__(
        self,
        entities: Optional[Sequence[str]] = None,
        score_threshold: Optional[float] = None,
        default_operator: Optional[OperatorSpec] = None,
        entity_operator_map: Optional[Mapping[str, OperatorSpec]] = None,
        spacy_model: Optional[str] = None,
        phone_regions: Optional[Sequence[str]] = None,
        batch_size: Optional[int] = None,
        hash_salt: Optional[str] = None,
        allow_list: Optional[Iterable[str]] = None,
    ):
        settings = get_settings()
        allowed = settings.pii_allow_list if allow_list is None else allow_list
        self.allow_list = {word.strip().lower() for word in allowed}
        self.entities = [e.strip().upper() for e in (entities or settings.pii_entities)]
        unknown = sorted(set(self.entities) - set(SUPPORTED_ENTITIES))
        if unknown:
            raise ValueError(
                f"unknown PII entities: {', '.join(unknown)} "
                f"(supported: {', '.join(SUPPORTED_ENTITIES)})"
            )
        self.score_threshold = (
            settings.pii_score_threshold if score_threshold is None else float(score_threshold)
        )
        if not 0.0 <= self.score_threshold <= 1.0:
            raise ValueError(f"score_threshold must be within [0, 1], not {self.score_threshold}")
        self.batch_size = int(batch_size or settings.pii_batch_size)
        operators = (
            settings.pii_entity_operators if entity_operator_map is None else entity_operator_map
        )
        self.operators = operator_configs(
            self.entities,
            default=default_operator or settings.pii_operator,
            per_entity={str(k).upper(): v for k, v in operators.items()},
            hash_salt=hash_salt or settings.pii_hash_salt,
        )
        self.analyzer = get_analyzer(
            spacy_model or settings.pii_spacy_model,
            tuple(phone_regions or settings.pii_phone_regions),
        )
        self._batch = BatchAnalyzerEngine(self.analyzer)
        self._anonymizer = AnonymizerEngine()

    # ------------------------------------------------------------------------- detection
    def analyze(self, texts: Sequence[str], progress: bool = False) -> list[list[RecognizerResult]]:
        """Resolved (non-overlapping) detections for every text, in order."""
        texts = list(texts)
        for index, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"text {index} is {type(text).__name__}, not str")
        found: list[list[RecognizerResult]] = [[] for _ in texts]
        todo = [i for i, text in enumerate(texts) if text.strip()]  # blank: nothing to find
        chunk = max(self.batch_size * 4, 1)
        with tqdm(total=len(todo), desc="pii", unit="text", disable=not progress) as bar:
            for begin in range(0, len(todo), chunk):
                indices = todo[begin : begin + chunk]
                batch = self._batch.analyze_iterator(
                    [texts[i] for i in indices],
                    language="en",
                    batch_size=self.batch_size,
                    entities=self.entities,
                    score_threshold=self.score_threshold,
                )
                for index, results in zip(indices, batch):
                    found[index] = self.resolve(results, texts[index])
                bar.update(len(indices))
        return found

    def resolve(self, results: list[RecognizerResult], text: str) -> list[RecognizerResult]:
        """Raw analyzer results -> the entities to mask (allow list, NER review, overlaps)."""
        if self.allow_list:
            results = [
                r for r in results
                if text[r.start : r.end].strip().lower() not in self.allow_list
            ]
        return resolve_overlaps(review_ner(results, text), text)

    # --------------------------------------------------------------------------- masking
    def apply(self, text: str, results: list[RecognizerResult]) -> str:
        """``text`` with the given (resolved) detections replaced by their operators."""
        if not results:
            return text
        return self._anonymizer.anonymize(
            text, results, operators=dict(self.operators), merge_entities_with_spaces=False
        ).text

    def mask_batch(self, texts: Sequence[str], progress: bool = False) -> list[Masked]:
        """``(masked_text, entities)`` for every text, in order (entities: offsets in the
        original text)."""
        texts = list(texts)
        return [
            (self.apply(text, results), [_as_entity(r) for r in results])
            for text, results in zip(texts, self.analyze(texts, progress=progress))
        ]

    def mask(self, text: str) -> Masked:
        """``(masked_text, entities)`` for one text."""
        return self.mask_batch([text])[0]


# ------------------------------------------------------------------------ shared maskers
_maskers: dict[str, PiiMasker] = {}


def get_masker(**options) -> PiiMasker:
    """A :class:`PiiMasker` for these options, built once per process and then reused."""
    key = json.dumps(options, sort_keys=True, default=str)
    if key not in _maskers:
        _maskers[key] = PiiMasker(**options)
    return _maskers[key]


def mask_text(text: str, **options) -> Masked:
    """Mask PII in one text: ``(masked_text, entities)``, each entity a dict with ``type``,
    ``start``, ``end`` (offsets in ``text``) and ``score``. Options: see :class:`PiiMasker`."""
    return get_masker(**options).mask(text)


def mask_texts(texts: Sequence[str], progress: bool = False, **options) -> list[Masked]:
    """:func:`mask_text` for many texts at once (batched through spaCy)."""
    return get_masker(**options).mask_batch(texts, progress=progress)
