"""The evaluate stage's settings: resolved once into typed configs, explicit values kept."""

from __future__ import annotations

import pytest

from genai_flow.evaluate.config import EvaluateConfig
from genai_flow.evaluate.judge import JudgeConfig
from genai_flow.settings import Settings, reload_settings


def test_evaluate_config_reads_the_evaluate_settings():
    settings = Settings(evaluate_max_examples=5, evaluate_max_new_tokens=7, evaluate_batch_size=3,
                        evaluate_max_length=99, evaluate_fact_questions=4, evaluate_calibrate=False,
                        evaluate_compare_fp32=False)
    assert EvaluateConfig.from_settings(settings) == EvaluateConfig(5, 7, 3, 99, None, 4, False, False)


def test_evaluate_config_reads_the_environment(monkeypatch):
    monkeypatch.setenv("GENAI_FLOW_EVALUATE_BATCH_SIZE", "3")
    reload_settings()
    try:
        assert EvaluateConfig.from_settings().batch_size == 3
    finally:
        monkeypatch.undo()
        reload_settings()


def test_explicit_max_examples_zero_means_all_and_is_not_replaced_by_the_default():
    assert Settings().evaluate_max_examples != 0  # the default scores a subset
    config = EvaluateConfig.from_settings(Settings(), max_examples=0, max_new_tokens=None, batch_size=None)
    assert config.max_examples == 0
    assert (config.max_new_tokens, config.batch_size) == (Settings().evaluate_max_new_tokens,
                                                          Settings().evaluate_batch_size)


@pytest.mark.parametrize("field", ["max_new_tokens", "batch_size", "max_length"])
def test_an_explicit_zero_length_or_batch_is_refused_by_its_setting_name_not_defaulted(field):
    with pytest.raises(ValueError, match=f"evaluate_{field} must be at least 1, not 0"):
        EvaluateConfig.from_settings(Settings(), **{field: 0})


def test_negative_max_examples_is_refused():
    with pytest.raises(ValueError, match="evaluate_max_examples must be 0 \\(all\\) or more, not -1"):
        EvaluateConfig.from_settings(Settings(), max_examples=-1)


def test_judge_config_reads_the_judge_settings_and_overrides_win():
    settings = Settings(judge="OpenAI", judge_model="m", judge_url="http://a/v1", judge_api_key="from-settings",
                        judge_max_retries=3, judge_timeout_s=5)
    config = JudgeConfig.from_settings(settings)
    assert (config.kind, config.model, config.url, config.api_key) == ("openai", "m", "http://a/v1", "from-settings")
    assert (config.max_retries, config.timeout_s) == (3, 5.0)
    # The handler passes the MLRun secret JUDGE_API_KEY as api_key: when set it wins.
    assert JudgeConfig.from_settings(settings, api_key="from-secret").api_key == "from-secret"
    assert JudgeConfig.from_settings(settings, api_key=None).api_key == "from-settings"
    assert JudgeConfig.from_settings(settings, max_retries=0).max_retries == 0  # 0: no retries, kept
    assert "from-settings" not in repr(config)  # keys stay out of logs


def test_judge_config_refuses_unknown_judges_and_bad_retry_settings():
    with pytest.raises(ValueError, match="judge must be 'none', 'local' or 'openai', not 'oracle'"):
        JudgeConfig.from_settings(Settings(), kind="oracle")
    with pytest.raises(ValueError, match="judge_max_retries must be 0 or more"):
        JudgeConfig.from_settings(Settings(), max_retries=-1)
    with pytest.raises(ValueError, match="judge_timeout_s must be positive"):
        JudgeConfig.from_settings(Settings(), timeout_s=0)
