"""What happens to each detected entity: replace (default), mask, hash, redact or keep.

An operator is given as a name (``"mask"``), as the hub ``pii-recognizer`` function's
``(name, params)`` pair (a 2-item list once it has passed through JSON), or as Presidio's
REST form ``{"type": "mask", "masking_char": "#"}``. Parameters left out get the defaults
below, so ``"mask"`` alone masks the whole value with ``*``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Optional, Union

if TYPE_CHECKING:  # Presidio loads when operators are built, not when they are checked
    from presidio_anonymizer.entities import OperatorConfig

OperatorSpec = Union[str, list, tuple, Mapping[str, Any], "OperatorConfig"]

OPERATOR_NAMES = ("replace", "mask", "hash", "redact", "keep", "encrypt")


def _defaults(name: str, entity: str, hash_salt: Optional[str]) -> dict[str, Any]:
    if name == "replace":
        return {"new_value": f"<{entity}>"}
    if name == "mask":
        # chars_to_mask beyond the value's length masks all of it.
        return {"masking_char": "*", "chars_to_mask": 10_000, "from_end": False}
    if name == "hash":
        # Without a salt Presidio salts every value at random: safe, but the same e-mail no
        # longer hashes to the same token. A configured salt (16+ chars) makes hashes stable.
        return {"hash_type": "sha256", **({"salt": hash_salt} if hash_salt else {})}
    return {}


def _parse(spec: OperatorSpec, entity: str) -> tuple[str, dict]:
    """``(name, params)`` of an operator in any accepted form; ValueError naming the entity."""
    if isinstance(spec, str):
        name, params = spec, {}
    elif isinstance(spec, (list, tuple)) and len(spec) in (1, 2) and isinstance(spec[0], str):
        name, params = spec[0], dict(spec[1]) if len(spec) == 2 and spec[1] else {}
    elif isinstance(spec, Mapping) and isinstance(spec.get("type"), str):
        name, params = spec["type"], {k: v for k, v in spec.items() if k != "type"}
    else:
        raise ValueError(
            f"operator for {entity} must be a name, [name, params] or {{'type': name, ...}}, "
            f"not {spec!r}"
        )
    name = name.strip().lower()
    if name not in OPERATOR_NAMES:
        raise ValueError(
            f"unknown operator {name!r} for {entity}: choose one of {', '.join(OPERATOR_NAMES)}"
        )
    return name, params


def operator_config(spec: OperatorSpec, entity: str = "DEFAULT", hash_salt: Optional[str] = None) -> "OperatorConfig":
    """A Presidio ``OperatorConfig`` for one entity from any accepted operator form."""
    from presidio_anonymizer.entities import OperatorConfig

    if isinstance(spec, OperatorConfig):
        return spec
    name, params = _parse(spec, entity)
    return OperatorConfig(name, {**_defaults(name, entity, hash_salt), **params})


def operator_specs(
    entities: list[str], default: OperatorSpec, per_entity: Optional[Mapping[str, OperatorSpec]]
) -> dict[str, OperatorSpec]:
    """The operator spec of each entity (``per_entity`` where given, ``default`` for the rest),
    checked: unknown entities or operator names raise ValueError. Presidio is not needed."""
    per_entity = dict(per_entity or {})
    unknown = set(per_entity) - set(entities) - {"DEFAULT"}
    if unknown:
        raise ValueError(
            "entity_operator_map names entities that are not detected: "
            f"{', '.join(sorted(unknown))} (detected: {', '.join(entities)})"
        )
    default = per_entity.pop("DEFAULT", default)
    specs = {entity: per_entity.get(entity, default) for entity in entities}
    for entity, spec in specs.items():
        if type(spec).__name__ != "OperatorConfig":  # already built: nothing to check
            _parse(spec, entity)
    return specs


def operator_configs(
    entities: list[str],
    default: OperatorSpec = "replace",
    per_entity: Optional[Mapping[str, OperatorSpec]] = None,
    hash_salt: Optional[str] = None,
) -> dict[str, "OperatorConfig"]:
    """One Presidio operator per entity: ``per_entity`` where given, ``default`` for the rest."""
    return {
        entity: operator_config(spec, entity, hash_salt)
        for entity, spec in operator_specs(entities, default, per_entity).items()
    }
