"""The genai-flow command line (argument handling; the commands are exercised elsewhere)."""

from __future__ import annotations

import click
import pytest

from genai_flow.cli import _parse_args

from ..helpers import run_cli


def test_workflow_arguments_parse_as_json_or_text():
    parsed = _parse_args(["epochs=2", "lr=0.0002", "name=my model", "flag=true", "tags=[1, 2]"])
    assert parsed == {"epochs": 2, "lr": 0.0002, "name": "my model", "flag": True, "tags": [1, 2]}
    with pytest.raises(click.BadParameter, match="KEY=VALUE"):
        _parse_args(["no-equals-sign"])


def test_remote_engine_without_an_mlrun_api_fails_clearly(embedded_db):
    result = run_cli("run", "--engine", "remote", check=False)
    assert result.returncode == 1
    assert "MLRUN_DBPATH" in result.stderr


def test_help_lists_the_commands():
    out = run_cli("--help").stdout
    for command in ("runs", "artifacts", "run"):
        assert command in out
