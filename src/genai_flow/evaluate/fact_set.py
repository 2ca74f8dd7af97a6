"""The fact set: held-out questions whose correct answer must contain given facts, and
off-topic questions the endpoint must decline (data/fact_set/, never used for training)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path


@dataclasses.dataclass(frozen=True)
class FactSet:
    questions: list[dict]  # {"id", "question", "subject"?, "facts", "article"}
    off_topic: list[dict]  # {"id", "question", "off_topic": true}


def load_fact_set(path: Path, max_questions: int = 0) -> FactSet:
    """The fact set at ``path`` (JSON lines); ``max_questions`` > 0 keeps the first N of each kind."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no fact set at {path} (setting evaluate_fact_set)")
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}:{number}: not JSON ({error})") from error
        if not isinstance(case.get("question"), str) or not (case.get("off_topic") or case.get("facts")):
            raise ValueError(f"{path}:{number}: needs 'question' and either 'facts' or 'off_topic'")
        cases.append(case)
    questions = [case for case in cases if not case.get("off_topic")]
    off_topic = [case for case in cases if case.get("off_topic")]
    if max_questions:
        questions, off_topic = questions[:max_questions], off_topic[:max_questions]
    return FactSet(questions, off_topic)


def contains_facts(answer: str, facts: list[str]) -> bool:
    """Whether ``answer`` states every fact (case-insensitive substring, as the set's README says)."""
    text = (answer or "").lower()
    return all(fact.lower() in text for fact in facts)
