"""The pii stage's settings (``pii_*``), resolved once by its handler, the CLI and the serving
graph, then handed to :class:`~genai_flow.pii.masker.PiiMasker`.

The config is plain JSON data (lists, dicts, strings, numbers), so it travels as a serving
step's class arguments: ``PiiConfig(**dataclasses.asdict(config))`` rebuilds it.
"""

from __future__ import annotations

import dataclasses
from typing import Optional

from ..settings import Settings, stage_config
from .operators import operator_configs, operator_specs

# Every entity the registry (registry.py) produces, in the order reports list them.
SUPPORTED_ENTITIES = (
    "PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "ADDRESS", "LOCATION",
    "CREDIT_CARD", "IBAN_CODE", "US_SSN", "IP_ADDRESS",
)


@dataclasses.dataclass(frozen=True)
class PiiConfig:
    """What is detected and how it is masked (settings ``pii_*``)."""

    entities: list[str]  # entity types to detect (upper case); never empty
    score_threshold: float  # minimum detection score, 0..1
    operator: str  # for every entity not in entity_operators: replace, mask, hash, redact, keep
    entity_operators: dict  # per-entity operator, e.g. {"PERSON": "hash", "CREDIT_CARD":
    #                         ["mask", {"chars_to_mask": 12}]}; "DEFAULT" replaces `operator`
    hash_salt: Optional[str]  # hash operator salt; None or "": random per value
    phone_regions: list[str]  # regions whose national phone formats are recognised
    allow_list: list[str]  # words never masked (whole detected span, any case)
    spacy_model: str  # installed spaCy package or model folder
    batch_size: int  # texts per spaCy nlp.pipe batch
    columns: list[str]  # dataset text columns the pii step masks
    # Narrower scopes for a table's cells (a cell gets the types of `entities` that both its
    # column's and its row type's lists allow): e.g. {"article": [...]} keeps the names
    # that knowledge-base articles use for products while tickets are fully masked.
    column_entities: dict  # column -> entity types
    type_entities: dict  # row type (schema column "type": "article", "ticket") -> entity types

    def __post_init__(self):
        # Canonical forms, so that equal configurations compare (and cache) as equal.
        entities = [str(e).strip().upper() for e in self.entities]
        object.__setattr__(self, "entities", entities)
        for name in ("column_entities", "type_entities"):
            scoped = {str(k): [str(e).strip().upper() for e in v] for k, v in getattr(self, name).items()}
            object.__setattr__(self, name, scoped)
            for key, types in scoped.items():
                unknown = sorted(set(types) - set(SUPPORTED_ENTITIES))
                if unknown:
                    raise ValueError(
                        f"pii {name}[{key!r}] names unknown entities: {', '.join(unknown)} "
                        f"(supported: {', '.join(SUPPORTED_ENTITIES)})"
                    )
        operators = {str(k).strip().upper(): v for k, v in self.entity_operators.items()}
        object.__setattr__(self, "entity_operators", operators)
        if not entities:
            raise ValueError(
                f"pii entities is empty: name the entity types to detect "
                f"(supported: {', '.join(SUPPORTED_ENTITIES)})"
            )
        unknown = sorted(set(entities) - set(SUPPORTED_ENTITIES))
        if unknown:
            raise ValueError(
                f"unknown PII entities: {', '.join(unknown)} "
                f"(supported: {', '.join(SUPPORTED_ENTITIES)})"
            )
        if not 0.0 <= self.score_threshold <= 1.0:
            raise ValueError(f"score_threshold must be within [0, 1], not {self.score_threshold}")
        if "PHONE_NUMBER" in entities and not self.phone_regions:
            raise ValueError(
                "pii phone_regions is empty, so no phone number would be found: name at least "
                "one region, e.g. ['US'] (numbers written with + are found for any region)"
            )
        if self.batch_size < 1:
            raise ValueError(f"pii batch_size must be at least 1, not {self.batch_size}")
        # Unknown operator names or entities fail here, early (without loading Presidio: the
        # serving graph builds this config on every project load).
        operator_specs(self.entities, self.operator, self.entity_operators)

    def entities_for(self, column: str, row_type: Optional[str] = None) -> list[str]:
        """The entity types to detect in one cell: those both its column's and its row type's
        scopes allow (``entities`` where neither has one), in ``entities`` order."""
        allowed = set(self.column_entities.get(column, self.entities))
        allowed &= set(self.type_entities.get(row_type, self.entities))
        return [entity for entity in self.entities if entity in allowed]

    def narrowed(self, entities: list[str]) -> "PiiConfig":
        """This config detecting only ``entities`` (scopes and other entities' operators
        dropped): what one scope of a table is masked with."""
        operators = {k: v for k, v in self.entity_operators.items() if k in entities or k == "DEFAULT"}
        return dataclasses.replace(
            self, entities=list(entities), entity_operators=operators, column_entities={}, type_entities={}
        )

    def operator_configs(self) -> dict:
        """One Presidio ``OperatorConfig`` per detected entity."""
        return operator_configs(
            self.entities, default=self.operator, per_entity=self.entity_operators,
            hash_salt=self.hash_salt,
        )

    @classmethod
    def from_settings(cls, settings: Optional[Settings] = None, **overrides) -> "PiiConfig":
        return stage_config(cls, "pii_", settings, **overrides)
