"""Settings are resolved once into typed per-stage configs; explicit values always win."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Optional

import pytest

from genai_flow.settings import Settings, get_settings, reload_settings, setting, stage_config


@dataclasses.dataclass(frozen=True)
class _Stage:
    max_steps: int
    learning_rate: float
    target_modules: list[str]
    quantization: str
    seed: int
    project: Path = dataclasses.field(metadata=setting("project_dir"))


def test_unset_fields_take_the_settings_values():
    config = stage_config(_Stage, "finetune_")
    defaults = Settings()
    assert config.max_steps == defaults.finetune_max_steps == 30
    assert config.target_modules == ["q_proj", "v_proj"]
    assert config.project == defaults.project_dir  # read through the field's `setting` metadata


@pytest.mark.parametrize(
    "field, value",
    [("max_steps", 0), ("learning_rate", 0.0), ("target_modules", []), ("quantization", ""), ("seed", 0)],
)
def test_an_explicit_zero_false_or_empty_value_is_honoured(field, value):
    assert getattr(stage_config(_Stage, "finetune_", **{field: value}), field) == value


def test_none_means_not_given():
    assert stage_config(_Stage, "finetune_", max_steps=None).max_steps == get_settings().finetune_max_steps


def test_overrides_are_validated_like_the_environment():
    assert stage_config(_Stage, "finetune_", max_steps="12").max_steps == 12  # pydantic coerces
    with pytest.raises(ValueError, match="finetune_max_steps"):
        stage_config(_Stage, "finetune_", max_steps="many")
    with pytest.raises(ValueError, match="no field"):
        stage_config(_Stage, "finetune_", epochs=2)


def test_environment_variables_sit_between_defaults_and_overrides(monkeypatch):
    monkeypatch.setenv("GENAI_FLOW_FINETUNE_MAX_STEPS", "7")
    reload_settings()
    try:
        assert stage_config(_Stage, "finetune_").max_steps == 7
        assert stage_config(_Stage, "finetune_", max_steps=0).max_steps == 0
    finally:
        monkeypatch.undo()
        reload_settings()


def test_a_false_boolean_setting_is_honoured():
    @dataclasses.dataclass(frozen=True)
    class Serving:
        mask_pii: bool
        auth_token: Optional[str]

    assert stage_config(Serving, "serving_", mask_pii=False).mask_pii is False
    assert stage_config(Serving, "serving_").mask_pii is True


def test_only_entry_points_read_the_settings():
    """Logic modules take a config; only handlers, the CLI, local mode's switch, the project
    loader and the serving graph builder resolve settings."""
    package = Path(__file__).resolve().parents[2] / "src" / "genai_flow"
    readers = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "get_settings(" in path.read_text() and path.name != "settings.py"
    )
    allowed = {"cli.py", "project.py", "local_mode/__init__.py", "serving/graph.py"}
    assert [r for r in readers if r not in allowed and not r.endswith("/handler.py")] == []
