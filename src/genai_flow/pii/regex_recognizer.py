"""A Presidio recognizer built from case-sensitive ``regex`` patterns.

Presidio's ``PatternRecognizer`` runs every pattern case-insensitively (the registry's
global flags), which would let "maple street" pass for "Maple Street"; here capitalisation
counts. A pattern's span is its named groups ``pii``, ``pii2``, ... (or the whole match), and
subclasses can trim or reject each span in :meth:`refine`.
"""

from __future__ import annotations

from typing import Iterable, Optional

import regex
from presidio_analyzer import (
    AnalysisExplanation,
    EntityRecognizer,
    LocalRecognizer,
    RecognizerResult,
)
from presidio_analyzer.nlp_engine import NlpArtifacts


class RegexRecognizer(LocalRecognizer):
    """Recognize one entity type with ``(name, regex, score)`` patterns."""

    def __init__(
        self,
        entity: str,
        patterns: Iterable[tuple[str, str, float]],
        context: Optional[list[str]] = None,
        name: Optional[str] = None,
    ):
        self.entity = entity
        self.patterns = [(label, regex.compile(expr), score) for label, expr, score in patterns]
        super().__init__(
            supported_entities=[entity], context=context, name=name or type(self).__name__
        )

    def load(self) -> None:  # noqa: D102 (patterns are compiled in __init__)
        pass

    def refine(self, text: str, start: int, end: int) -> Optional[tuple[int, int]]:
        """The span to report for a match (None: reject it). Default: as matched."""
        return start, end

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Optional[NlpArtifacts] = None
    ) -> list[RecognizerResult]:
        results = []
        for label, pattern, score in self.patterns:
            groups = [g for g in pattern.groupindex if g.startswith("pii")] or [0]
            for match in pattern.finditer(text):
                for group in groups:
                    if match.start(group) < 0:  # optional group that did not take part
                        continue
                    span = self.refine(text, match.start(group), match.end(group))
                    if span and span[0] < span[1]:
                        results.append(self._result(span, score, label))
        return EntityRecognizer.remove_duplicates(results)

    def _result(self, span: tuple[int, int], score: float, label: str) -> RecognizerResult:
        return RecognizerResult(
            self.entity,
            span[0],
            span[1],
            score,
            analysis_explanation=AnalysisExplanation(
                recognizer=self.name,
                original_score=score,
                pattern_name=label,
                textual_explanation=f"{self.name}: {label}",
            ),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )
