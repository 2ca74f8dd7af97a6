"""`genai-flow monitor`: on the embedded default, the recorded events of a window run through
the monitoring application as a local MLRun job, its summary read back from the run; with an
MLRun API configured, the same application as a job on the cluster (monitor.cluster)."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
import time
from pathlib import Path
from typing import Optional

import mlrun

from ..liveops.store import EventStore
from ..model_loading import ModelConfig
from ..settings import config_args
from .app import APPLICATION_NAME, DASHBOARD_KEY, SUMMARY_KEY, LiveOpsMonitor
from .config import MonitorConfig
from .reference import TRAINING_DATASET_KEY, training_dataset_uri
from .sample import sample_frame

APP_CLASS = "genai_flow.monitor.app.LiveOpsMonitor"
DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


class MonitorError(RuntimeError):
    """The monitor cannot run as asked; the message says why."""


def parse_duration(text: str) -> float:
    """'30m', '24h', '7d', '90s', '2w' -> seconds."""
    match = DURATION.match(text)
    if not match:
        raise MonitorError(f"cannot read the duration {text!r}: use a number and s, m, h, d or w, e.g. 24h")
    return float(match.group(1)) * SECONDS[match.group(2)]


def parse_time(text: str) -> float:
    """An ISO 8601 time (UTC when it names no zone) or epoch seconds -> epoch seconds."""
    import datetime

    try:
        return float(text)
    except ValueError:
        pass
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError as error:
        raise MonitorError(f"cannot read the time {text!r}: use ISO 8601, e.g. 2026-11-30T08:00") from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.timestamp()


def window_bounds(since: Optional[str], last: Optional[str], default_last: str, until: Optional[str] = None,
                  now: Optional[float] = None) -> tuple[float, float]:
    """(since, until) in epoch seconds: from --since (to --until, default now), else the --last
    duration (or the default) up to now."""
    if since and last:
        raise MonitorError("give --since or --last, not both")
    if until and not since:
        raise MonitorError("--until needs --since")
    end = parse_time(until) if until else time.time() if now is None else now
    start = parse_time(since) if since else end - parse_duration(last or default_last)
    if start >= end:
        raise MonitorError("the window is empty: it starts at or after its end")
    return start, end


def latest_training_dataset(project: mlrun.projects.MlrunProject) -> Optional[str]:
    """The newest masked training dataset in the run DB (store:// URI), or None."""
    items = project.list_artifacts(name=TRAINING_DATASET_KEY, tag="latest")
    return training_dataset_uri(project.name) if items else None


@contextlib.contextmanager
def _artifact_path(path: str):
    previous = mlrun.mlconf.artifact_path
    mlrun.mlconf.artifact_path = path
    try:
        yield
    finally:
        mlrun.mlconf.artifact_path = previous


@dataclasses.dataclass
class MonitorRun:
    summary: dict  # what `genai-flow monitor --json` prints; "run" holds the run's uid and dashboard

    @property
    def run_uid(self) -> str:
        return self.summary["run"]["uid"]

    @property
    def dashboard(self) -> Optional[str]:
        return self.summary["run"]["dashboard"]


def run_monitor(project: mlrun.projects.MlrunProject, store_file: Path, config: MonitorConfig,
                models: ModelConfig, since: float, until: float, reference: Optional[str] = "auto") -> MonitorRun:
    """Monitor the events recorded in ``since <= time < until`` as a local MLRun job.

    :param reference: the drift reference dataset; "auto": the newest masked training dataset in
        the run DB; None: no drift.
    """
    store = EventStore(store_file)
    events = store.events(since, until) if store_file.exists() else []
    feedback = store.feedback() if events else []
    sample = sample_frame(events, feedback)
    if reference == "auto":
        reference = latest_training_dataset(project)
    class_arguments = {
        "config": config.to_dict(),
        "models": config_args(models),
        "reference": reference,
        "window": {"since": since, "until": until},
    }
    # Each monitoring run keeps its own files (the sample, the summary, the dashboard): an
    # older run's dashboard stays readable.
    folder = f"{mlrun.mlconf.artifact_path}/{APPLICATION_NAME}/{time.strftime('%Y%m%d-%H%M%S')}"
    logged = sample.astype({"low_confidence": int, "corrected": int})  # MLRun's histograms take no bools
    sample_uri = project.log_dataset(f"{APPLICATION_NAME}-sample", logged, artifact_path=folder,
                                     format="parquet", index=False).uri
    with _artifact_path(folder):
        run = LiveOpsMonitor.evaluate(
            func_path=str(Path(__file__).with_name("app.py")), func_name=APPLICATION_NAME, class_handler=APP_CLASS,
            run_local=True, sample_data=sample_uri, class_arguments=class_arguments,
        )
    if run.state() != "completed":
        raise MonitorError(f"the monitoring run {run.uid()} ended {run.state()}: {run.error}")
    summary = json.loads(mlrun.get_dataitem(run.outputs[SUMMARY_KEY]).get())
    dashboard = mlrun.get_dataitem(run.outputs[DASHBOARD_KEY]).local()
    summary["run"] = {"uid": run.uid(), "dashboard": dashboard}
    return MonitorRun(summary)


def monitor_window(settings, since: Optional[str] = None, last: Optional[str] = None, until: Optional[str] = None,
                   project: Optional[mlrun.projects.MlrunProject] = None) -> MonitorRun:
    """`genai-flow monitor` as a function (for notebooks): the window from ``since`` (ISO time
    or epoch seconds) to ``until`` (default now), or the ``last`` duration (default: settings
    monitor_last), with ``settings``' thresholds and prices."""
    from ..local_mode import is_local_mode
    from ..project import load_project

    start, end = window_bounds(since, last, settings.monitor_last, until)
    project = project or load_project()
    config, models = MonitorConfig.from_settings(settings), ModelConfig.from_settings(settings)
    if not is_local_mode():  # an MLRun API is configured: monitor the cluster's endpoint there
        from .cluster import run_cluster_monitor

        summary = run_cluster_monitor(project, config.to_dict(), config_args(models),
                                      training_dataset_uri(project.name), start, end)
        return MonitorRun(summary)
    return run_monitor(project, settings.liveops_store_file, config, models, start, end)
