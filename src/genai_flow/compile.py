"""Compile a project workflow to the Argo YAML that Kubeflow Pipelines would run, offline.

MLRun compiles a workflow by running its Python with the pipeline context set to the ``kfp``
engine: each ``mlrun.run_function`` becomes a Kubeflow step (a launcher pod running
``python -m mlrun run -f db://<project>/<function>@<hash>``), ``only_if`` becomes a
``dsl.Condition`` and the deploy becomes an ``mlrun deploy`` step that carries the whole serving
function spec. Job functions are saved to the configured run DB under those hashes: the embedded
SQLite DB locally (for review and tests), or your MLRun API when ``MLRUN_DBPATH`` points at one,
and then the YAML can be uploaded to that cluster's Kubeflow as it is.

:func:`describe_workflow` turns the YAML back into one row per step (dependencies, condition,
images, GPU limits), resolving each step's function spec through the run DB.
"""

from __future__ import annotations

import ast
import graphlib
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

import mlrun
import yaml
from mlrun.projects.pipelines import WorkflowSpec, get_workflow_engine, pipeline_context

from .project import default_workflow, load_project, set_cluster_source

GPU_RESOURCE = "nvidia.com/gpu"


class CompileError(ValueError):
    """The workflow cannot be compiled as asked (unknown workflow or argument, bad target)."""


def compile_workflow(
    out: Union[str, Path],
    workflow: Optional[str] = None,
    arguments: Optional[dict[str, Any]] = None,
    artifact_path: Optional[str] = None,
    source: Optional[str] = None,
    project: Optional[mlrun.projects.MlrunProject] = None,
) -> Path:
    """Write the Argo (Kubeflow Pipelines v1) YAML of ``workflow`` to ``out``; returns its path.

    :param out: target file, ``.yaml`` or ``.yml``.
    :param workflow: a workflow of the project (default: its first, ``main``).
    :param arguments: pipeline parameters to set as the run defaults, e.g. ``{"max_steps": 60}``;
        names must be parameters of the workflow.
    :param artifact_path: where the steps write artifacts on the cluster (e.g.
        ``v3io:///projects/{{run.project}}/artifacts``); default: the cluster's own setting.
    :param source: where the cluster's pods fetch this repository's code, e.g.
        ``git://github.com/acme/genai-flow.git#main`` (loaded at run time, workdir ``src``).
        Default: the project's source, which locally is this folder (``./``): fine for review,
        not for a cluster.
    :param project: the project to compile (default: this repository's, freshly loaded). It is
        copied first: compiling puts Kubeflow placeholders into the serving function.
    """
    out = Path(out)
    if out.suffix not in (".yaml", ".yml"):
        raise CompileError(f"--out must name a .yaml or .yml file, got {out}")
    project = (project or load_project()).copy()
    if source:
        set_cluster_source(project, source)
    name = workflow or default_workflow(project)
    declared = {item["name"]: item for item in project.spec.workflows or []}
    if name not in declared:
        raise CompileError(
            f"workflow {name!r} is not in project {project.name} "
            f"(it has: {', '.join(sorted(declared)) or 'none'})"
        )
    # The engine decides what run_function returns: with "kfp" in the pipeline context every
    # step becomes a Kubeflow op instead of running here.
    # An absolute path: a source's workdir (src) must not move where the workflow file is found.
    path = Path(project.spec.context or ".", declared[name]["path"]).resolve()
    spec = WorkflowSpec.from_dict({**declared[name], "path": str(path), "engine": "kfp"})
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        compiled = Path(scratch) / "workflow.yaml"
        try:
            get_workflow_engine("kfp").save(project, spec, str(compiled), artifact_path=artifact_path)
        finally:
            pipeline_context.clear()  # a failed compile must not leave later runs on "kfp"
        text = compiled.read_text()
    if arguments:
        text = _set_arguments(text, arguments)
    out.write_text(text)
    return out


def _set_arguments(text: str, arguments: dict[str, Any]) -> str:
    """Set run defaults for pipeline parameters in the Argo YAML (what a KFP run's arguments do)."""
    from kfp.components._yaml_utils import dump_yaml  # the writer KFP's compiler uses

    document = yaml.safe_load(text)
    parameters = document["spec"].get("arguments", {}).get("parameters", [])
    by_name = {parameter["name"]: parameter for parameter in parameters}
    unknown = sorted(set(arguments) - set(by_name))
    if unknown:
        raise CompileError(
            f"unknown workflow argument(s) {', '.join(unknown)}; "
            f"the workflow takes: {', '.join(by_name)}"
        )
    annotations = document["metadata"].setdefault("annotations", {})
    pipeline_spec = json.loads(annotations.get("pipelines.kubeflow.org/pipeline_spec", "{}"))
    inputs = {item["name"]: item for item in pipeline_spec.get("inputs", [])}
    for key, value in arguments.items():
        text_value = _kfp_value(key, value, inputs.get(key, {}).get("type"))
        by_name[key]["value"] = text_value
        if key in inputs:
            inputs[key]["default"] = text_value  # the KFP UI shows these as the defaults
    if inputs:
        annotations["pipelines.kubeflow.org/pipeline_spec"] = json.dumps(pipeline_spec, sort_keys=True)
    return dump_yaml(document)


def _kfp_value(key: str, value: Any, kfp_type: Optional[str]) -> str:
    """A parameter value as Argo carries it (a string), checked against the declared type."""
    checks = {"Integer": int, "Float": float}
    if kfp_type in checks:
        try:
            checks[kfp_type](value)
        except (TypeError, ValueError):
            raise CompileError(f"argument {key} must be {kfp_type.lower()}, got {value!r}") from None
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return str(value)


# --- reading a compiled workflow back ------------------------------------------------------

@dataclass
class CompiledStep:
    """One step of a compiled workflow, as a cluster would run it."""

    name: str  # the DAG task name, e.g. "fine-tune"
    kind: str  # MLRun's step type: "run" (a job), "deploy" (a Nuclio function), "build"
    depends_on: list[str] = field(default_factory=list)
    when: Optional[str] = None  # Argo condition, for steps inside a dsl.Condition
    launcher_image: str = ""  # the Kubeflow pod's image (MLRun's launcher)
    function_uri: str = ""  # db://project/name@hash for jobs; project/name for deploys
    function: dict = field(default_factory=dict)  # the function spec that runs (from the DB or the step)

    @property
    def image(self) -> str:
        """The function's image, or the base image it is built from (``build.base_image``)."""
        spec = self.function.get("spec", {})
        return spec.get("image") or spec.get("build", {}).get("base_image", "")

    @property
    def gpus(self) -> int:
        limits = (self.function.get("spec", {}).get("resources") or {}).get("limits") or {}
        return int(limits.get(GPU_RESOURCE, 0) or 0)


def load_workflow(path: Union[str, Path]) -> dict:
    """A compiled workflow file as a dict (a clear error if it is not an Argo workflow)."""
    path = Path(path)
    try:
        document = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as error:
        raise CompileError(f"cannot read workflow {path}: {error}") from None
    if not isinstance(document, dict) or document.get("kind") != "Workflow":
        raise CompileError(f"{path} is not an Argo Workflow (kind: Workflow)")
    return document


def describe_workflow(document: dict, run_db=None) -> list[CompiledStep]:
    """The compiled workflow's steps in a runnable order (each after its dependencies).

    Steps nested in a condition template are flattened: they inherit the condition's ``when`` and
    its dependencies. Job steps get their function spec from ``run_db`` (default: the configured
    one) by the ``db://...@hash`` reference; deploy steps carry theirs in the command line.
    """
    run_db = run_db or mlrun.get_run_db()
    templates = {template["name"]: template for template in document["spec"]["templates"]}
    steps: dict[str, CompiledStep] = {}

    def walk(dag_template: dict, inherited_deps: list[str], inherited_when: Optional[str]) -> None:
        for task in dag_template["dag"]["tasks"]:
            deps = list(inherited_deps) + list(task.get("dependencies", []))
            when = " and ".join(filter(None, [inherited_when, task.get("when")])) or None
            template = templates[task["template"]]
            if "dag" in template:  # a dsl.Condition (or other sub-DAG): its tasks run under it
                walk(template, deps, when)
                continue
            steps[task["name"]] = _step(task["name"], template, deps, when, run_db)

    walk(templates[document["spec"]["entrypoint"]], [], None)
    # Dependencies on a sub-DAG are dependencies on all of its steps; keep only real steps.
    for step in steps.values():
        step.depends_on = sorted({dep for dep in step.depends_on if dep in steps})
    return _topological(steps)


def _step(name: str, template: dict, deps: list[str], when: Optional[str], run_db) -> CompiledStep:
    container = template.get("container", {})
    command = container.get("command", [])
    annotations = template.get("metadata", {}).get("annotations", {})
    kind = annotations.get("mlrun/pipeline-step-type", "")
    step = CompiledStep(name, kind, deps, when, container.get("image", ""))
    if kind == "run" and "-f" in command:
        step.function_uri = command[command.index("-f") + 1]
        step.function = _function_from_db(step.function_uri, run_db)
    elif kind == "deploy":
        step.function_uri = annotations.get("mlrun/function-uri", "")
        # `mlrun deploy -p <project> <spec>`: the spec is a Python dict literal (str(dict)).
        step.function = ast.literal_eval(command[-1])
    return step


def _function_from_db(uri: str, run_db) -> dict:
    """The function saved under ``db://project/name@hash`` (or ``:tag``)."""
    path = uri.removeprefix("db://")
    project, _, rest = path.partition("/")
    name, _, hash_key = rest.partition("@")
    name, _, tag = name.partition(":")
    function = run_db.get_function(name, project, tag=tag, hash_key=hash_key)
    if not function:
        raise CompileError(f"{uri} is not in the run DB: compile with the same MLRUN_DBPATH")
    return function


def _topological(steps: dict[str, CompiledStep]) -> list[CompiledStep]:
    """Each step after its dependencies; steps ready together keep the workflow's order."""
    sorter = graphlib.TopologicalSorter({name: step.depends_on for name, step in steps.items()})
    try:
        sorter.prepare()
    except graphlib.CycleError as error:
        raise CompileError(f"the workflow's dependencies form a cycle: {' -> '.join(error.args[1])}") from None
    position = {name: index for index, name in enumerate(steps)}
    ordered = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=position.__getitem__)
        ordered.extend(steps[name] for name in ready)
        sorter.done(*ready)
    return ordered
