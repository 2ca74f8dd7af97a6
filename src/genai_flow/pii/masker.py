"""Detect and mask PII: Presidio's analyzer (tuned registry, offline spaCy) and anonymizer.

The analyzer, with its spaCy model, is built once per process and shared by every masker
that uses the same model and phone regions; texts go through spaCy in batches
(``nlp.pipe`` through Presidio's ``BatchAnalyzerEngine``).
"""

from __future__ import annotations

import dataclasses
import functools
import json
from typing import Sequence

from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine, RecognizerResult
from presidio_analyzer.nlp_engine import NlpEngineProvider
from presidio_anonymizer import AnonymizerEngine
from tqdm.auto import tqdm

from .config import PiiConfig
from .offline import OfflineSpacyNlpEngine, make_tldextract_offline
from .invalid import drop_relabelled
from .resolve import resolve_overlaps, review_ner
from .registry import NER_SCORE, SPACY_IGNORED_LABELS, SPACY_LABELS, build_registry

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
    """Find PII in texts and mask it, as ``config`` says (see :class:`PiiConfig`).

    Cheap to construct once the analyzer for the config's spaCy model and phone regions is
    loaded: maskers that differ only in entities, threshold, operators or allow list share it.
    """

    def __init__(self, config: PiiConfig):
        if not isinstance(config, PiiConfig):
            raise TypeError(
                f"PiiMasker takes a PiiConfig (PiiConfig.from_settings(...)), not "
                f"{type(config).__name__}"
            )
        self.config = config
        self.entities = list(config.entities)
        self.score_threshold = float(config.score_threshold)
        self.batch_size = config.batch_size
        self.allow_list = {word.strip().lower() for word in config.allow_list}
        self.operators = config.operator_configs()
        self.analyzer = get_analyzer(config.spacy_model, tuple(config.phone_regions))
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
        """Raw analyzer results -> the entities to mask (allow list, NER review, invalid
        values left alone, overlaps)."""
        if self.allow_list:
            results = [
                r for r in results
                if text[r.start : r.end].strip().lower() not in self.allow_list
            ]
        return resolve_overlaps(drop_relabelled(review_ner(results, text), text), text)

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


def get_masker(config: PiiConfig) -> PiiMasker:
    """The :class:`PiiMasker` for ``config``, built once per process and then reused (equal
    configs, e.g. one rebuilt from JSON, share it)."""
    key = json.dumps(dataclasses.asdict(config), sort_keys=True, default=str)
    if key not in _maskers:
        _maskers[key] = PiiMasker(config)
    return _maskers[key]


def mask_text(text: str, config: PiiConfig) -> Masked:
    """Mask PII in one text: ``(masked_text, entities)``, each entity a dict with ``type``,
    ``start``, ``end`` (offsets in ``text``) and ``score``."""
    return get_masker(config).mask(text)


def mask_texts(texts: Sequence[str], config: PiiConfig, progress: bool = False) -> list[Masked]:
    """:func:`mask_text` for many texts at once (batched through spaCy)."""
    return get_masker(config).mask_batch(texts, progress=progress)
