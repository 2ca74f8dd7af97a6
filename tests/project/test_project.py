"""The MLRun project spec: functions, cluster settings, settings precedence."""

from __future__ import annotations

import importlib

import pytest

from genai_flow.project import FUNCTION_NAMES, load_project
from genai_flow.settings import get_settings, reload_settings

from ..helpers import REPO_ROOT, locked_versions, package_key


@pytest.fixture
def project(embedded_db):
    return load_project(REPO_ROOT)


def test_project_loads_with_its_functions(project, embedded_db):
    names = sorted(f["name"] for f in project.spec.functions)
    assert names == sorted(FUNCTION_NAMES)
    # load_project saved the project in the embedded run DB.
    assert embedded_db.get_project("genai-flow").name == "genai-flow"


def test_job_handlers_are_documented_functions_of_the_package(project):
    for name in FUNCTION_NAMES:
        function = project.get_function(name)
        if function.kind == "serving":
            continue
        module_name, _, attribute = function.spec.default_handler.rpartition(".")
        handler = getattr(importlib.import_module(module_name), attribute)
        assert callable(handler) and handler.__doc__, name


def test_cluster_spec_gpu_limits_images_and_source(project):
    for name in FUNCTION_NAMES:
        function = project.get_function(name)
        limits = function.spec.resources.get("limits", {})
        wants_gpu = name in ("fine-tune", "fine-tune-distributed", "align", "serving")
        assert limits.get("nvidia.com/gpu") == (1 if wants_gpu else None), name
        assert function.spec.build.base_image == (
            "mlrun/mlrun-gpu:1.12.1" if wants_gpu else "mlrun/mlrun:1.12.1"
        )
        assert function.spec.build.source == "./"  # with_repo: this repository is the source
        assert function.spec.workdir == "src"
    assert project.get_function("serving").spec.readiness_timeout == 3000


def test_cluster_requirement_pins_match_the_lock(project):
    lock = locked_versions()
    for name in FUNCTION_NAMES:
        for requirement in project.get_function(name).spec.build.requirements:
            package, version = requirement.split("==")
            package = package_key(package)
            if package in lock:  # bitsandbytes is CUDA-only: not in the CPU lock
                assert lock[package] == version, f"{name}: {requirement} vs lock {lock[package]}"


def test_local_mode_keeps_artifacts_in_an_absolute_project_folder(project, tmp_path):
    from mlrun.config import config as mlconf

    assert not project.spec.artifact_path  # nothing machine-specific lands in project.yaml
    assert mlconf.artifact_path == str(tmp_path / "artifacts")


def test_settings_precedence_defaults_environment_overrides(monkeypatch):
    assert get_settings().llm_model == "SmolLM2-135M-Instruct"
    monkeypatch.setenv("GENAI_FLOW_LLM_MODEL", "/models/from-env")
    reload_settings()
    try:
        assert get_settings().llm_model == "/models/from-env"
        assert get_settings(llm_model="/models/from-args").llm_model == "/models/from-args"
        assert get_settings(llm_model=None).llm_model == "/models/from-env"
        with pytest.raises(ValueError, match="unknown settings: no_such_knob"):
            get_settings(no_such_knob=1)
    finally:
        monkeypatch.undo()
        reload_settings()
