"""Loading the MLRun project, and the setup hook MLRun runs when it loads it."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import mlrun
from mlrun.config import config as mlconf

from . import rundb
from .settings import get_settings

FUNCTION_NAMES = ("data-prep", "pii", "embed", "fine-tune", "evaluate", "deploy", "serving")


def is_local_mode() -> bool:
    """True when no MLRun API is configured: runs go to the embedded run DB."""
    return not rundb.is_api_url(mlconf.dbpath)


def load_project(project_dir: Optional[Path] = None) -> mlrun.projects.MlrunProject:
    """The genai-flow project from its project.yaml (and project_setup.py), recorded in the DB.

    ``mlrun.load_project(".")`` works too, but with a run DB configured MLRun also rewrites
    project.yaml from memory; this loader only records the project in the DB.
    """
    rundb.enable()
    project = mlrun.load_project(str(project_dir or get_settings().project_dir), save=False)
    project.save_to_db()
    return project


def setup(project: mlrun.projects.MlrunProject) -> mlrun.projects.MlrunProject:
    """MLRun's project-setup hook (called through project_setup.py on every load): the
    `serving` function gets its graph, built in code (genai_flow.serving.graph)."""
    from .serving.graph import build_graph

    if is_local_mode() and not project.spec.source:
        # Functions take their code from the project (with_repo); locally that is this folder.
        # On a cluster, project.set_source("git://...") says where pods fetch it.
        project.spec.source = "./"
    build_graph(project.get_function("serving"))
    return project


class WorkflowFailed(RuntimeError):
    """A workflow ended in any state but success; the message carries MLRun's reason."""


def default_workflow(project: mlrun.projects.MlrunProject) -> str:
    workflows = project.spec.workflows or []
    if not workflows:
        raise WorkflowFailed(f"project {project.name} defines no workflow in project.yaml")
    return workflows[0]["name"]


def run_workflow(
    name: Optional[str] = None,
    arguments: Optional[dict] = None,
    engine: str = "local",
    project: Optional[mlrun.projects.MlrunProject] = None,
):
    """Run a workflow and raise :class:`WorkflowFailed` unless it succeeds.

    MLRun's local runner reports a failed step in the returned status instead of raising;
    callers such as `make run`, CI and the CLI need a failure they cannot miss.
    """
    if engine != "local" and is_local_mode():
        raise WorkflowFailed(
            f"engine {engine!r} runs on an MLRun cluster: set MLRUN_DBPATH to its API URL "
            "(or use --engine local)"
        )
    project = project or load_project()
    name = name or default_workflow(project)
    local = engine == "local"
    status = project.run(
        # dirty: a local run uses the working tree as it is; a cluster run fetches the source
        # from git, so there uncommitted changes must stop it.
        name, arguments=arguments or {}, engine=engine, watch=True, local=local, dirty=local
    )
    state = str(status.state or "unknown")
    if state.lower() not in ("succeeded", "completed"):
        reason = getattr(status, "exc", None) or "see the step logs (genai-flow runs)"
        raise WorkflowFailed(f"workflow {name} ended {state}: {reason}")
    return status
