"""What a knowledge-base topic is, and filling ticket templates while tracking the PII planted."""

from __future__ import annotations

import dataclasses
import re
import textwrap

# Placeholders a ticket template may use, and the PII entity each one plants (None: not PII).
# Entity names follow Presidio where it has one; postal addresses are "ADDRESS".
PLACEHOLDER_ENTITIES = {
    "first": "PERSON",
    "full": "PERSON",
    "colleague": "PERSON",
    "email": "EMAIL_ADDRESS",
    "colleague_email": "EMAIL_ADDRESS",
    "phone": "PHONE_NUMBER",
    "address": "ADDRESS",
    "card": "CREDIT_CARD",
    "iban": "IBAN_CODE",
    "ip": "IP_ADDRESS",
    "ip6": "IP_ADDRESS",
    "ssn": "US_SSN",
    "company": None,
    "workspace": None,
    "task_key": None,
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def md(text: str) -> str:
    """Hand-written Markdown from an indented triple-quoted string."""
    return textwrap.dedent(text).strip() + "\n"


@dataclasses.dataclass(frozen=True)
class Topic:
    """One knowledge-base article, and (for ticket topics) how customers ask about it.

    ``answer`` is the fact the support team answers with, without the greeting and sign-off
    (the house style adds those). ``questions`` are different paraphrases of the same question;
    ``details`` are optional extra sentences a customer adds (often with PII placeholders).
    """

    slug: str
    category: str
    title: str
    body: str
    subjects: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    details: tuple[str, ...] = ()
    answer: str = ""
    html: bool = False  # published as an HTML page instead of Markdown

    @property
    def has_tickets(self) -> bool:
        return bool(self.questions)


def topic(slug, category, title, body, subjects=(), questions=(), details=(), answer="",
          html=False):
    """A :class:`Topic` with its texts dedented and stripped."""
    return Topic(
        slug=slug,
        category=category,
        title=title,
        body=md(body),
        subjects=tuple(subjects),
        questions=tuple(q.strip() for q in questions),
        details=tuple(d.strip() for d in details),
        answer=" ".join(answer.split()),
        html=html,
    )


@dataclasses.dataclass
class Filled:
    """Text with the PII spans planted in it: (entity, start, end) over ``text``."""

    text: str = ""
    spans: list = dataclasses.field(default_factory=list)

    def __add__(self, other: "Filled") -> "Filled":
        shift = len(self.text)
        moved = [(entity, start + shift, end + shift) for entity, start, end in other.spans]
        return Filled(self.text + other.text, self.spans + moved)

    @staticmethod
    def join(parts: list["Filled"], separator: str) -> "Filled":
        result = Filled()
        for index, part in enumerate(parts):
            if index:
                result = result + Filled(separator)
            result = result + part
        return result


def fill(template: str, values: dict) -> Filled:
    """Substitute ``{placeholder}`` values, recording where each PII value landed."""
    result = Filled()
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        name = match.group(1)
        if name not in PLACEHOLDER_ENTITIES:
            raise KeyError(f"unknown placeholder {{{name}}} in {template!r}")
        result = result + Filled(template[position : match.start()])
        value = values[name]
        entity = PLACEHOLDER_ENTITIES[name]
        result = result + Filled(value, [(entity, 0, len(value))] if entity else [])
        position = match.end()
    return result + Filled(template[position:])
