"""Loading the MLRun project, and the setup hook MLRun runs when it loads it."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import mlrun
import yaml

from . import local_mode
from .local_mode import is_local_mode
from .settings import get_settings

FUNCTION_NAMES = (
    "data-prep", "pii", "embed", "fine-tune", "fine-tune-distributed", "align", "evaluate", "deploy", "serving"
)


def load_project(project_dir: Optional[Path] = None) -> mlrun.projects.MlrunProject:
    """The genai-flow project from its project.yaml (and project_setup.py), recorded in the DB.

    ``mlrun.load_project(".")`` works too (and leaves project.yaml as it is, see
    :func:`setup`); this loader skips MLRun's export of the file altogether.
    """
    settings = get_settings()
    local_mode.enable(settings)
    project = mlrun.load_project(str(project_dir or settings.project_dir), save=False)
    project.save_to_db()
    return project


def setup(project: mlrun.projects.MlrunProject) -> mlrun.projects.MlrunProject:
    """MLRun's project-setup hook (called through project_setup.py on every load): the
    `serving` function gets its graph, built in code (genai_flow.serving.graph)."""
    from .serving.graph import build_graph

    if is_local_mode() and _source_is_derived(project):
        # Functions take their code from the project (with_repo); locally that is this folder.
        # MLRun derives a source (and an origin_url) from the clone's git remote, which can be
        # any path or URL (a CI checkout's local mirror is not even a valid source); local runs
        # use the files here. Putting both back as project.yaml has them also means that a
        # plain mlrun.load_project(".") re-exports project.yaml unchanged.
        # On a cluster, set_cluster_source() says where pods fetch the code.
        project.spec.source = "./"
        project.spec.origin_url = None
    _write_project_yaml_in_a_stable_order(project)
    pin_launcher_image()
    build_graph(project.get_function("serving"))
    if not is_local_mode():
        register_monitoring(project)
    return project


def pin_launcher_image() -> None:
    """Give MLRun's Kubeflow launcher image its version tag. Job steps get it tagged, but a
    deploy step takes ``mlconf.kfp_image`` as it is: untagged, that is ``latest``."""
    from mlrun.utils import enrich_image_url
    from mlrun.utils.version import Version

    if ":" not in mlrun.mlconf.kfp_image.rsplit("/", 1)[-1]:
        mlrun.mlconf.kfp_image = enrich_image_url(mlrun.mlconf.kfp_image, mlrun.get_version(),
                                                  str(Version().get_python_version()))


def register_monitoring(project: mlrun.projects.MlrunProject) -> mlrun.runtimes.ServingRuntime:
    """The LiveOps monitoring application as the project's model monitoring function, with the
    thresholds and prices of the settings and the pipeline's masked dataset as drift reference
    (a cluster's setup does this; ``project.enable_model_monitoring()`` and a deploy start it)."""
    from .model_loading import ModelConfig
    from .monitor.cluster import register_monitoring_app
    from .monitor.config import MonitorConfig
    from .monitor.reference import training_dataset_uri
    from .settings import config_args

    settings = get_settings()
    return register_monitoring_app(
        project, MonitorConfig.from_settings(settings).to_dict(), config_args(ModelConfig.from_settings(settings)),
        reference=training_dataset_uri(project.name),
    )


def stable_yaml(project_dict: dict) -> str:
    """A project as YAML with its keys sorted: the form project.yaml is kept in."""
    return yaml.safe_dump(project_dict, default_flow_style=False, sort_keys=True)


def _write_project_yaml_in_a_stable_order(project: mlrun.projects.MlrunProject) -> None:
    """MLRun builds a project's dict from a set of field names, so each process exports
    project.yaml with its keys in another order, and `load_project` (which saves) would leave
    the checkout dirty. This project's `export` writes the same YAML with sorted keys."""
    mlrun_export = project.export

    def export(filepath=None, include_files=None):
        if filepath and (str(filepath).endswith(".zip") or "://" in str(filepath)):
            return mlrun_export(filepath, include_files)  # archives: MLRun's own
        path = Path(filepath or Path(project.spec.context or ".") / (project.spec.subpath or "") / "project.yaml")
        path.write_text(stable_yaml(project.to_dict()))

    project.export = export


def _source_is_derived(project: mlrun.projects.MlrunProject) -> bool:
    """True when the project's source is unset or the one MLRun took from the git remote."""
    from mlrun.utils.clones import get_repo_url

    source = project.spec.source
    return source in ("", "./") or (
        project.spec.repo is not None and source == get_repo_url(project.spec.repo)
    )


def set_cluster_source(project: mlrun.projects.MlrunProject, source: str) -> None:
    """Where a cluster's pods fetch this repository's code, e.g. ``git://host/org/repo.git#main``.

    Pulled at run time into the project's workdir (``src``, where the package lives), so a new
    commit needs no image rebuild.
    """
    project.set_source(source, pull_at_runtime=True, workdir=project.spec.workdir or "src")
    setup(project)  # set_source reloads the functions: give the serving function its graph again


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
    source: Optional[str] = None,
):
    """Run a workflow and raise :class:`WorkflowFailed` unless it succeeds.

    MLRun's local runner reports a failed step in the returned status instead of raising;
    callers such as `make run`, CI and the CLI need a failure they cannot miss.

    :param source: for ``kfp``/``remote``: where the cluster fetches the code (see
        :func:`set_cluster_source`); default: the source MLRun derives from the git remote.
    """
    if engine != "local" and is_local_mode():
        raise WorkflowFailed(
            f"engine {engine!r} runs on an MLRun cluster: set MLRUN_DBPATH to its API URL "
            "(or use --engine local)"
        )
    if source and engine == "local":
        raise WorkflowFailed("--source is for cluster runs; a local run uses this folder")
    project = project or load_project()
    if source:
        set_cluster_source(project, source)
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
