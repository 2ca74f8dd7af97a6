"""The CI retraining example (.github/workflows/retrain.yml): its triggers, and its command line
run through the real CLI up to the cluster boundary (no MLRun API here: `project.run` is the
mock, so those tests say mock_cluster)."""

from __future__ import annotations

import os
import subprocess
import sys
from types import SimpleNamespace

import mlrun
import pytest
import yaml
from click.testing import CliRunner

from genai_flow import cli, project as project_module

from ..helpers import REPO_ROOT, run_cli

RETRAIN = REPO_ROOT / ".github" / "workflows" / "retrain.yml"
GITHUB_ENV = {
    "GITHUB_SERVER_URL": "https://git.example.com",
    "GITHUB_REPOSITORY": "acme/genai-flow",
    "GITHUB_SHA": "0123abcd",
    "DATA_SOURCE": "s3://acme-data/support/raw",
    "MAX_STEPS": "200",
}


@pytest.fixture(scope="module")
def retrain() -> dict:
    return yaml.safe_load(RETRAIN.read_text())


def _run_step(retrain: dict) -> dict:
    steps = retrain["jobs"]["retrain"]["steps"]
    return next(step for step in steps if "genai-flow run" in step.get("run", ""))


def _command_line(retrain: dict) -> list[str]:
    """The step's command as the runner's shell expands it (bash, GitHub's variables set)."""
    command = _run_step(retrain)["run"]
    assert command.startswith(".venv/bin/genai-flow ")
    expanded = subprocess.run(
        ["bash", "-c", f"printf '%s\\0' {command.removeprefix('.venv/bin/genai-flow ')}"],
        capture_output=True, text=True, check=True, env={**os.environ, **GITHUB_ENV},
    ).stdout
    return expanded.rstrip("\0").split("\0")


def test_retrain_runs_on_a_schedule_on_data_changes_and_by_hand(retrain):
    triggers = retrain[True]  # YAML 1.1 reads the key `on` as a boolean
    assert triggers["schedule"][0]["cron"]
    assert triggers["push"]["paths"] == ["data/**"]
    assert "workflow_dispatch" in triggers
    env = retrain["jobs"]["retrain"]["env"]
    assert env["MLRUN_DBPATH"] == "${{ secrets.MLRUN_DBPATH }}"  # the cluster comes from a secret
    steps = [step.get("run", "") for step in retrain["jobs"]["retrain"]["steps"]]
    assert "make install" in steps


def test_retrain_command_line_is_a_remote_run_with_the_deployed_model_as_baseline(retrain):
    args = _command_line(retrain)
    assert args[:4] == ["run", "main", "--engine", "remote"]
    assert args[args.index("--source") + 1] == "git://git.example.com/acme/genai-flow.git#0123abcd"
    pairs = [args[i + 1] for i, arg in enumerate(args) if arg == "--arg"]
    assert cli._parse_args(pairs) == {
        "source": "s3://acme-data/support/raw", "deployed_model": "auto", "max_steps": 200
    }


def test_retrain_command_reaches_project_run_remote_mock_cluster(retrain, embedded_db, monkeypatch):
    """Everything up to the MLRun API call runs for real: argument parsing, project loading,
    the cluster source. `project.run` is where the cluster would take over."""
    calls = []

    def fake_run(project, name, **kwargs):
        calls.append((project, name, kwargs))
        return SimpleNamespace(run_id="kfp-run-1", state="Succeeded")

    monkeypatch.setattr(project_module, "is_local_mode", lambda: False)
    monkeypatch.setattr(mlrun.projects.MlrunProject, "run", fake_run)
    result = CliRunner().invoke(cli.main, _command_line(retrain), catch_exceptions=False)

    assert result.exit_code == 0, result.output
    assert "kfp-run-1" in result.output
    (project, name, kwargs), = calls
    assert name == "main"
    assert kwargs["engine"] == "remote" and kwargs["local"] is False and kwargs["dirty"] is False
    assert kwargs["arguments"] == {
        "source": "s3://acme-data/support/raw", "deployed_model": "auto", "max_steps": 200
    }
    # The cluster's pods pull this commit at run time into src/, where the package lives.
    assert project.spec.source == "git://git.example.com/acme/genai-flow.git#0123abcd"
    assert project.spec.load_source_on_run is True and project.spec.workdir == "src"
    # The serving graph survives the source change (set_source reloads the functions).
    assert project.get_function("serving").spec.graph["llm-server"] is not None


def test_retrain_command_without_a_cluster_fails_naming_mlrun_dbpath(retrain, embedded_db):
    result = run_cli(*_command_line(retrain), check=False)
    assert result.returncode == 1
    assert "MLRUN_DBPATH" in result.stderr and "Traceback" not in result.stderr


def test_a_local_run_refuses_a_cluster_source(embedded_db):
    result = run_cli("run", "--source", "git://git.example.com/acme/genai-flow.git", check=False)
    assert result.returncode == 1 and "--source is for cluster runs" in result.stderr


# --- the scheduled monitor that decides whether to retrain ---------------------------------------
def test_the_schedule_monitors_first_and_retrains_only_on_its_recommendation(retrain):
    jobs = retrain["jobs"]
    assert jobs["monitor"]["if"] == "github.event_name == 'schedule'"
    assert jobs["monitor"]["outputs"]["recommended"] == "${{ steps.monitor.outputs.recommended }}"
    assert jobs["monitor"]["env"]["MLRUN_DBPATH"] == "${{ secrets.MLRUN_DBPATH }}"
    assert jobs["retrain"]["needs"] == "monitor"
    condition = jobs["retrain"]["if"]
    assert "github.event_name != 'schedule'" in condition and "needs.monitor.outputs.recommended == 'true'" in condition
    assert "!cancelled()" in condition  # a push or a manual run retrains although the monitor job was skipped


def _monitor_step(retrain) -> list[str]:
    step = next(step for step in retrain["jobs"]["monitor"]["steps"] if step.get("id") == "monitor")
    return step["run"].strip().splitlines()


@pytest.mark.parametrize("drifted", [True, False])
def test_the_monitor_step_reaches_the_cluster_and_sets_the_verdict_mock_cluster(
        retrain, embedded_db, monkeypatch, tmp_path, drifted):
    """The monitor step's command through the real CLI up to the cluster: the application is
    sent to run there (`LiveOpsMonitor.evaluate`, the mock) over the serving endpoint's last
    day, and the step's verdict script turns the summary into the retrain job's condition."""
    import datetime
    import json
    import shlex

    from genai_flow import local_mode
    from genai_flow.monitor import app as app_module
    from genai_flow.monitor.analysis import analyse_window
    from genai_flow.monitor.config import MonitorConfig
    from genai_flow.monitor.sample import sample_frame
    from genai_flow.settings import Settings

    # What the cluster's run would have logged: a summary of a window that drifted (or not).
    drift = {"score": 0.9 if drifted else 0.0, "threshold": 0.25, "drifted": drifted, "mmd": 0.4, "p_value": 0.005,
             "floor": 0.4, "window": 60, "reference": 400}
    sample = sample_frame([{"request_id": f"r{i}", "time": 1.0 + i, "question": "q"} for i in range(60)])
    analysis = analyse_window(sample, MonitorConfig.from_settings(Settings()), None, None)
    summary = {**analysis.summary, "drift": drift}
    summary["retrain"] = {"recommended": drifted, "reasons": ["input drift: 90%"] if drifted else [], "corrections": 0}
    logged = tmp_path / "liveops_summary.json"
    logged.write_text(json.dumps(summary))
    calls = []

    def fake_evaluate(**kwargs):
        calls.append(kwargs)
        return SimpleNamespace(state=lambda: "completed", uid=lambda: "cluster-run-1", error=None,
                               outputs={"liveops_summary-ep1": str(logged), "liveops_dashboard-ep1": "v3io:///d.html"})

    monkeypatch.setattr(app_module.LiveOpsMonitor, "evaluate", staticmethod(fake_evaluate))
    monkeypatch.setattr(local_mode, "is_local_mode", lambda: False)
    monkeypatch.setattr(project_module, "is_local_mode", lambda: False)

    monitor_line, verdict_line = _monitor_step(retrain)
    args = shlex.split(monitor_line)
    assert args[0] == ".venv/bin/genai-flow" and args[-2:] == [">", "monitor.json"]
    result = CliRunner().invoke(cli.main, args[1:-2], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    (kwargs,) = calls
    assert kwargs["run_local"] is False and kwargs["endpoints"] == ["llm-server"]
    assert kwargs["end"] - kwargs["start"] == datetime.timedelta(hours=24)
    assert kwargs["class_handler"] == "genai_flow.monitor.app.LiveOpsMonitor"
    assert kwargs["class_arguments"]["reference"] == "store://datasets/genai-flow/pii-mask-pii_masked"
    assert kwargs["image"] == "mlrun/mlrun:1.12.1" and kwargs["with_repo"] is True

    printed = json.loads(result.stdout)
    assert printed["retrain"]["recommended"] is drifted and printed["run"]["uid"] == "cluster-run-1"
    (tmp_path / "monitor.json").write_text(result.stdout)
    python, script, summary_file = shlex.split(verdict_line.split(">>")[0])
    assert python == ".venv/bin/python" and summary_file == "monitor.json"
    output = subprocess.run([sys.executable, str(REPO_ROOT / script), summary_file], cwd=tmp_path,
                            capture_output=True, text=True, check=True)
    assert output.stdout.strip() == f"recommended={'true' if drifted else 'false'}"
