"""The monitoring application as a cluster would receive it (a spec check: no cluster here):
registered with project.set_model_monitoring_function by the project's setup on a cluster,
the LiveOpsMonitor class with the settings' thresholds, prices and drift reference."""

from __future__ import annotations

from genai_flow.monitor.app import APPLICATION_NAME
from genai_flow.monitor.cluster import REQUIREMENTS
from genai_flow.monitor.config import MonitorConfig
from genai_flow.project import load_project, register_monitoring

from ..helpers import REPO_ROOT, locked_versions, package_key


def test_cluster_spec_monitoring_application(embedded_db, monkeypatch):
    monkeypatch.setenv("GENAI_FLOW_MONITOR_REFUSAL_RATE", "[0.05, 0.2]")  # a cluster owner's own levels
    from genai_flow.settings import reload_settings

    reload_settings()
    project = load_project(REPO_ROOT)
    register_monitoring(project)
    function = project.get_function(APPLICATION_NAME)
    spec = function.to_dict()
    assert function.kind == "serving"
    assert spec["metadata"]["labels"]["mlrun__type"] == "mlrun__model-monitoring-application"
    steps = spec["spec"]["graph"]["steps"]
    app = steps["LiveOpsMonitor"]
    assert app["class_name"] == "genai_flow.monitor.app.LiveOpsMonitor" and app["kind"] == "monitoring_application"
    assert app["after"] == ["PrepareMonitoringEvent"] and steps["PushToMonitoringWriter"]["after"] == ["LiveOpsMonitor"]
    config = MonitorConfig.from_dict(app["class_args"]["config"])
    assert config.refusal_rate == (0.05, 0.2)
    assert app["class_args"]["reference"] == "store://datasets/genai-flow/pii-mask-pii_masked"
    assert app["class_args"]["models"]["embedding_model"] == "all-MiniLM-L6-v2"
    # Code from the project's source (with_repo, workdir src) like every other function; no local path.
    assert spec["spec"]["build"]["source"] == "./" and spec["spec"]["workdir"] == "src"
    assert "/work" not in str(spec["spec"].get("filename")) and spec["spec"]["image"] == "mlrun/mlrun:1.12.1"
    monkeypatch.delenv("GENAI_FLOW_MONITOR_REFUSAL_RATE")
    reload_settings()


def test_monitoring_requirements_match_the_lock():
    lock = locked_versions()
    for requirement in REQUIREMENTS:
        package, version = requirement.split("==")
        assert lock[package_key(package)] == version, requirement


def test_the_local_project_has_no_monitoring_function(embedded_db):
    # Locally `genai-flow monitor` runs the application as a job; nothing is registered.
    names = [f["name"] for f in load_project(REPO_ROOT).spec.functions]
    assert APPLICATION_NAME not in names
