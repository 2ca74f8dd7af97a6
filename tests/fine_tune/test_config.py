"""FineTuneConfig: settings resolved once, explicit values (0, 0.0, []) kept, bad values named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from genai_flow.fine_tune import FineTuneConfig
from genai_flow.settings import get_settings, reload_settings

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "genai_flow" / "fine_tune"


def test_defaults_come_from_the_settings():
    s = get_settings()
    config = FineTuneConfig.from_settings()
    assert (config.lora_r, config.max_steps, config.lora_dropout, config.seed) == (
        s.finetune_lora_r, s.finetune_max_steps, s.finetune_lora_dropout, s.finetune_seed)
    assert config.target_modules == s.finetune_target_modules


def test_explicit_zero_values_reach_the_config(monkeypatch):
    monkeypatch.setenv("GENAI_FLOW_FINETUNE_MAX_STEPS", "7")
    monkeypatch.setenv("GENAI_FLOW_FINETUNE_SEED", "3")
    reload_settings()
    try:
        assert FineTuneConfig.from_settings().max_steps == 7  # the environment over the default
        config = FineTuneConfig.from_settings(max_steps=0, seed=0, lora_dropout=0.0, max_examples=0, epochs=0.5)
        assert (config.max_steps, config.seed, config.lora_dropout, config.max_examples, config.epochs) == (
            0, 0, 0.0, 0, 0.5)
        assert FineTuneConfig.from_settings(max_steps=None).max_steps == 7  # None: not given
    finally:
        monkeypatch.undo()
        reload_settings()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"lora_r": 0}, "lora_r must be at least 1, not 0"),
        ({"batch_size": 0}, "batch_size must be at least 1, not 0"),
        ({"target_modules": []}, "target_modules must name at least one module"),
        ({"quantization": "3bit"}, "quantization must be one of none, 8bit, 4bit, not '3bit'"),
        ({"max_steps": 0, "epochs": 0}, "epochs must be above 0 when max_steps is 0"),
        ({"lora_dropout": 1.0}, r"lora_dropout must be in \[0, 1\)"),
        ({"max_length": 8}, "max_length must be at least 16 tokens"),
    ],
)
def test_bad_values_are_refused_by_name(overrides, message):
    with pytest.raises(ValueError, match=message):
        FineTuneConfig.from_settings(**overrides)


def test_only_the_handler_reads_settings():
    readers = [p.name for p in PACKAGE.glob("*.py") if re.search(r"\bget_settings\b", p.read_text())]
    assert readers == ["handler.py"]
