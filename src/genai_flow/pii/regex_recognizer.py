"""How this package's own patterns run, and the recognizer shapes Presidio lacks.

Pattern recognizers here are Presidio's ``PatternRecognizer`` (the ``regex`` module, so
``\\p{Lu}`` and variable-length lookbehind work) with :data:`CASE_SENSITIVE` flags instead of
Presidio's default ``IGNORECASE | MULTILINE | DOTALL``: with those, "hi support" would pass
for a greeting to a person. Patterns say ``(?i:...)`` and ``(?m:...)`` where they mean it.

:class:`GroupPatternRecognizer` exists for the cue recognizers (:mod:`.cues`), which need two
things ``PatternRecognizer`` cannot express: several entities from one match ("moving from
Pune to Glasgow" reports both cities; a lookbehind version of the second city would have to
repeat the first city's whole pattern) and trimming a span after the match ("Thanks Yuki
Team!" matches "Yuki Team", reported as "Yuki": the pattern must see "Team" to know that the
name ends there, so a lookahead cannot drop it). PatternRecognizer reports whole matches and
can only keep or reject them (``validate_result`` / ``invalidate_result``).

:func:`recognizer_result` builds a result the way Presidio's own recognizers do, for the
recognizers that check candidates in code (IBANs, IP addresses).
"""

from __future__ import annotations

from typing import Optional

import regex
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

CASE_SENSITIVE = 0  # regex flags: none (no IGNORECASE, MULTILINE or DOTALL)


class GroupPatternRecognizer(PatternRecognizer):
    """A ``PatternRecognizer`` that reports each match's named groups ``pii``, ``pii2``, ...
    (the whole match when a pattern has none), each passed through :meth:`refine`."""

    def __init__(self, entity: str, patterns: list[Pattern], context: Optional[list[str]] = None):
        super().__init__(
            entity, patterns=patterns, context=context, global_regex_flags=CASE_SENSITIVE
        )

    def refine(self, text: str, start: int, end: int) -> Optional[tuple[int, int]]:
        """The span to report for a group (None: reject it). Default: as matched."""
        return start, end

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: Optional[NlpArtifacts] = None,
        regex_flags: Optional[int] = None,
    ) -> list[RecognizerResult]:
        flags = self.global_regex_flags if regex_flags is None else regex_flags
        results = []
        for pattern in self.patterns:
            compiled = self._compiled(pattern, flags)
            groups = [g for g in compiled.groupindex if g.startswith("pii")] or [0]
            for match in compiled.finditer(text):
                for group in groups:
                    if match.start(group) < 0:  # an optional group that took no part
                        continue
                    span = self.refine(text, match.start(group), match.end(group))
                    if span and span[0] < span[1]:
                        results.append(self._result(span, pattern, flags))
        return EntityRecognizer.remove_duplicates(results)

    @staticmethod
    def _compiled(pattern: Pattern, flags: int):
        # Compiled once per pattern and flags, cached on the Pattern as PatternRecognizer does.
        if pattern.compiled_regex is None or pattern.compiled_with_flags != flags:
            pattern.compiled_regex = regex.compile(pattern.regex, flags=flags)
            pattern.compiled_with_flags = flags
        return pattern.compiled_regex

    def _result(self, span: tuple[int, int], pattern: Pattern, flags: int) -> RecognizerResult:
        explanation = self.build_regex_explanation(
            self.name, pattern.name, pattern.regex, pattern.score, None, flags
        )
        return RecognizerResult(
            self.supported_entities[0],
            span[0],
            span[1],
            pattern.score,
            analysis_explanation=explanation,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


def recognizer_result(
    recognizer: EntityRecognizer, start: int, end: int, score: float, why: str
) -> RecognizerResult:
    """A result as Presidio's own recognizers report it (with the explanation its context
    enhancer writes into), for recognizers that check candidates in code."""
    return RecognizerResult(
        recognizer.supported_entities[0],
        start,
        end,
        score,
        analysis_explanation=AnalysisExplanation(recognizer.name, score, textual_explanation=why),
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: recognizer.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
        },
    )
