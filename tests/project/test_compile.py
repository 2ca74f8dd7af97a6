"""The cluster spec: the main workflow compiled to Argo (Kubeflow) YAML, offline.

A cluster is not reachable here; these tests read what Kubeflow would run: the DAG, the
condition around deploy, the GPU limits and the images. Job steps name their function spec by
hash (db://project/name@hash), so their limits and images are read from the run DB the compile
saved them to, as the cluster's launcher pod would.
"""

from __future__ import annotations

import ast
import itertools
import json

import pytest
import yaml

from genai_flow.compile import CompileError, compile_workflow, describe_workflow, load_workflow

from ..helpers import REPO_ROOT, embedded_run_db, run_cli

GPU = "nvidia.com/gpu"
JOB_STEPS = ("data-prep", "pii", "embed", "fine-tune", "align", "evaluate")
GPU_STEPS = ("fine-tune", "align")
SOURCE = "git://github.com/acme/genai-flow.git#main"


@pytest.fixture(scope="module")
def isolated_db(tmp_path_factory):
    """One embedded run DB for the module (compiling saves the functions there)."""
    folder = tmp_path_factory.mktemp("compile")
    with embedded_run_db(folder, pytest.MonkeyPatch()) as run_db:
        yield folder, run_db


@pytest.fixture(scope="module")
def compiled(isolated_db):
    folder, run_db = isolated_db
    path = compile_workflow(folder / "main.yaml", "main")
    document = load_workflow(path)
    return document, {step.name: step for step in describe_workflow(document, run_db)}


def _templates(document: dict) -> dict:
    return {template["name"]: template for template in document["spec"]["templates"]}


def _entry_tasks(document: dict) -> dict:
    entry = _templates(document)[document["spec"]["entrypoint"]]
    return {task["name"]: task for task in entry["dag"]["tasks"]}


def test_cluster_spec_dag_order(compiled):
    document, steps = compiled
    tasks = _entry_tasks(document)
    assert set(tasks) >= set(JOB_STEPS)
    assert "dependencies" not in tasks["data-prep"]
    assert tasks["pii"]["dependencies"] == ["data-prep"]
    assert tasks["embed"]["dependencies"] == ["pii"]  # embed and fine-tune run side by side
    assert tasks["fine-tune"]["dependencies"] == ["pii"]
    assert set(tasks["align"]["dependencies"]) == {"fine-tune", "pii"}
    assert set(tasks["evaluate"]["dependencies"]) == {"align", "pii"}
    # Artifacts flow by reference: pii reads data-prep's dataset output, align fine-tune's model,
    # evaluate align's model (the aligned one, or the supervised one passed on).
    parameters = {p["name"]: p["value"] for p in tasks["align"]["arguments"]["parameters"]}
    assert parameters["fine-tune-model"] == "{{tasks.fine-tune.outputs.parameters.fine-tune-model}}"
    parameters = {p["name"]: p["value"] for p in tasks["evaluate"]["arguments"]["parameters"]}
    assert parameters["align-model"] == "{{tasks.align.outputs.parameters.align-model}}"
    assert parameters["pii-masked"] == "{{tasks.pii.outputs.parameters.pii-masked}}"

    order = [name for name in steps]
    assert order.index("data-prep") < order.index("pii") < order.index("embed")
    assert order.index("pii") < order.index("fine-tune") < order.index("align") < order.index("evaluate")
    assert order[-1] == "deploy-serving"


def test_cluster_spec_deploy_runs_only_when_the_gate_says_so(compiled):
    document, steps = compiled
    tasks = _entry_tasks(document)
    assert "deploy-serving" not in tasks  # not at top level: only inside the condition
    (condition_name,) = [name for name in tasks if name.startswith("condition-gate")]
    condition = tasks[condition_name]
    assert condition["when"] == '"{{tasks.evaluate.outputs.parameters.evaluate-deploy}}" == "True"'
    assert "evaluate" in condition["dependencies"]
    inner = _templates(document)[condition["template"]]["dag"]["tasks"]
    assert [task["template"] for task in inner] == ["deploy-serving"]
    # The flag is evaluate's `deploy` result, exported as an output parameter.
    outputs = _templates(document)["evaluate"]["outputs"]["parameters"]
    assert {"name": "evaluate-deploy", "valueFrom": {"path": "/tmp/deploy"}} in outputs
    assert steps["deploy-serving"].when == condition["when"]
    assert {"evaluate", "align"} <= set(steps["deploy-serving"].depends_on)
    for name in JOB_STEPS:
        assert steps[name].when is None, name


def test_cluster_spec_gpu_limits_on_fine_tune_and_serving(compiled):
    document, steps = compiled
    templates = _templates(document)
    for name in JOB_STEPS:
        limits = steps[name].function["spec"].get("resources", {}).get("limits", {})
        assert limits.get(GPU) == (1 if name in GPU_STEPS else None), name
    # The Kubeflow pod of fine-tune only launches the job: MLRun gives it a zero GPU limit so it
    # gets the GPU nodes' tolerations without holding a GPU.
    assert templates["fine-tune"]["container"]["resources"]["limits"] == {GPU: 0}
    assert "resources" not in templates["data-prep"]["container"]

    # The serving spec travels inside the deploy step's command (no DB lookup needed).
    command = templates["deploy-serving"]["container"]["command"]
    assert command[:4] == ["python", "-m", "mlrun", "deploy"]
    serving = ast.literal_eval(command[-1])
    assert serving["kind"] == "serving"
    assert serving["spec"]["resources"]["limits"][GPU] == 1
    graph = serving["spec"]["graph"]
    assert graph["engine"] == "async"
    assert list(graph["steps"])[:4] == ["preprocess", "llm-server", "postprocess", "toxicity-filter"]
    server = graph["steps"]["llm-server"]["class_args"]
    # The tuned model comes from align's output at run time, loaded in 8-bit on the GPU.
    assert server["model_path"] == "{{inputs.parameters.align-model}}"
    assert server["quantization"] == "8bit"


def test_cluster_spec_images(compiled):
    document, steps = compiled
    templates = _templates(document)
    for name in JOB_STEPS:
        assert templates[name]["container"]["image"] == "mlrun/mlrun-kfp:1.12.1"  # the launcher
        build = steps[name].function["spec"]["build"]
        wants_gpu = name in GPU_STEPS
        assert build["base_image"] == ("mlrun/mlrun-gpu:1.12.1" if wants_gpu else "mlrun/mlrun:1.12.1")
        assert steps[name].image == build["base_image"]
    assert "bitsandbytes==0.50.2" in steps["fine-tune"].function["spec"]["build"]["requirements"]
    # Every image is pinned: the deploy step's launcher too (MLRun leaves it untagged: latest).
    assert templates["deploy-serving"]["container"]["image"] == "mlrun/mlrun-kfp:1.12.1"
    images = [t["container"]["image"] for t in templates.values() if "container" in t]
    images += [line.split(":", 1)[1].strip() for line in (REPO_ROOT / "project.yaml").read_text().splitlines()
               if line.strip().startswith(("image:", "base_image:"))]
    assert images and all(":" in image.rsplit("/", 1)[-1] and not image.endswith(":latest") for image in images)
    serving_build = steps["deploy-serving"].function["spec"]["build"]
    assert serving_build["base_image"] == "mlrun/mlrun-gpu:1.12.1"
    assert "bitsandbytes==0.50.2" in serving_build["requirements"]


def _is_a_numeric_quantity(error) -> bool:
    """The Argo schema's one known quirk: Kubernetes quantities (resource limits and requests)
    are declared as strings, though Kubernetes takes numbers for them too (kfp writes ``1``)."""
    path = list(error.absolute_path)
    return (len(path) >= 2 and path[-2] in ("limits", "requests") and "resources" in path
            and isinstance(error.instance, (int, float)) and error.validator == "type")


def test_the_compiled_workflow_is_valid_against_argos_own_schema(compiled):
    import jsonschema

    document, _ = compiled
    schema = json.loads((REPO_ROOT / "tests" / "assets" / "schemas" / "argo-workflow.schema.json").read_text())
    validator = jsonschema.Draft7Validator({"$ref": "#/definitions/io.argoproj.workflow.v1alpha1.Workflow",
                                            "definitions": schema["definitions"]})
    errors = list(validator.iter_errors(document))
    quirks = [error for error in errors if _is_a_numeric_quantity(error)]
    problems = [f"{list(error.absolute_path)}: {error.message}" for error in errors if error not in quirks]
    assert problems == []
    # The quirk is real here (the GPU limit is a number), and nothing else was let through.
    assert quirks and {list(error.absolute_path)[-1] for error in quirks} <= {"nvidia.com/gpu", "cpu", "memory"}


def test_cluster_spec_arguments_and_source(isolated_db):
    from mlrun.projects.pipelines import pipeline_context

    folder, run_db = isolated_db
    path = compile_workflow(
        folder / "tuned.yml", arguments={"max_steps": 200, "source": "s3://bucket/raw"}, source=SOURCE
    )
    assert pipeline_context.workflow is None  # the kfp context does not leak into later runs
    document = load_workflow(path)
    values = {p["name"]: p["value"] for p in document["spec"]["arguments"]["parameters"]}
    assert values["max_steps"] == "200" and values["source"] == "s3://bucket/raw"
    assert values["lora_r"] == "8"  # untouched parameters keep the workflow's defaults
    steps = {step.name: step for step in describe_workflow(document, run_db)}
    for step in steps.values():
        spec = step.function["spec"]
        # Pods clone the repository at run time and import the package from src/.
        assert (spec["build"]["source"], spec["build"]["load_source_on_run"]) == (SOURCE, True), step.name
        assert spec["workdir"] == "src", step.name
    assert steps["deploy-serving"].function["spec"]["graph"]["steps"]["toxicity-filter"]


def test_cluster_spec_bad_requests_fail_clearly(isolated_db):
    folder, _ = isolated_db
    with pytest.raises(CompileError, match="unknown workflow argument.*nope.*takes: source"):
        compile_workflow(folder / "x.yaml", arguments={"nope": 1})
    with pytest.raises(CompileError, match="lora_r must be integer"):
        compile_workflow(folder / "x.yaml", arguments={"lora_r": "eight"})
    with pytest.raises(CompileError, match="workflow 'nightly' is not in project"):
        compile_workflow(folder / "x.yaml", "nightly")
    with pytest.raises(CompileError, match=r"\.yaml or \.yml"):
        compile_workflow(folder / "x.json")
    (folder / "not-argo.yaml").write_text(yaml.safe_dump({"kind": "Pod"}))
    with pytest.raises(CompileError, match="not an Argo Workflow"):
        load_workflow(folder / "not-argo.yaml")


def test_cluster_spec_compile_command(isolated_db):
    folder, _ = isolated_db
    out = folder / "cli" / "main.yaml"
    result = run_cli("compile", "--out", str(out), "--arg", "eval_examples=8")
    assert load_workflow(out)["spec"]["entrypoint"] == "train-evaluate-deploy"
    lines = result.stdout.splitlines()
    fine_tune = next(line for line in lines if line.startswith("fine-tune"))
    assert "mlrun/mlrun-gpu:1.12.1" in fine_tune and fine_tune.split()[-1] == "1"
    deploy = next(line for line in lines if line.startswith("deploy-serving"))
    assert 'evaluate-deploy == "True"' in deploy
    assert "pass --source" in result.stderr  # the local ./ source is flagged for cluster use
    failed = run_cli("compile", "--out", str(out), "--arg", "nope=1", check=False)
    assert failed.returncode == 1 and "unknown workflow argument(s) nope" in failed.stderr


def test_steps_are_ordered_after_their_dependencies_and_a_cycle_is_named():
    """describe_workflow's ordering (graphlib): ready steps keep the workflow's order."""
    document = {
        "kind": "Workflow",
        "spec": {
            "entrypoint": "main",
            "templates": [
                {"name": "main", "dag": {"tasks": [
                    {"name": "deploy", "template": "t", "dependencies": ["evaluate"]},
                    {"name": "prep", "template": "t"},
                    {"name": "evaluate", "template": "t", "dependencies": ["prep"]},
                    {"name": "embed", "template": "t", "dependencies": ["prep"]},
                ]}},
                {"name": "t", "container": {"image": "x", "command": []}},
            ],
        },
    }
    assert [s.name for s in describe_workflow(document, run_db=object())] == ["prep", "evaluate", "embed", "deploy"]
    document["spec"]["templates"][0]["dag"]["tasks"][1]["dependencies"] = ["deploy"]
    with pytest.raises(CompileError, match="cycle"):
        describe_workflow(document, run_db=object())


def test_cluster_spec_tune_runs_fine_tune_as_hyper_parameter_runs_with_the_budget_as_an_argument(isolated_db):
    folder, run_db = isolated_db
    document = load_workflow(compile_workflow(folder / "tune.yaml", "tune", {"trials": 6}))
    steps = {step.name: step for step in describe_workflow(document, run_db)}
    tasks = _entry_tasks(document)
    assert tasks["compare-trials"]["dependencies"] == ["fine-tune"]
    assert set(tasks["evaluate"]["dependencies"]) == {"fine-tune", "pii"}
    assert steps["deploy-serving"].when is not None  # the gate, as in main
    command = _templates(document)["fine-tune"]["container"]["command"]
    searched = dict(command[i + 1].split("=", 1) for i, arg in enumerate(command) if arg == "-x")
    # The random search: all 18 combinations of the default space once each, in a seeded order
    # (MLRun's list strategy), cut to the budget.
    trials = list(zip(*(ast.literal_eval(searched[name]) for name in ("lora_r", "learning_rate", "max_steps"))))
    assert len(trials) == len(set(trials)) == 18
    assert set(trials) == set(itertools.product([4, 8, 16], [3e-4, 1e-3, 3e-3], [8, 16]))
    assert trials != sorted(trials)
    options = json.loads(command[command.index("--hyper-param-options") + 1])
    # The trial budget reaches each run as a Kubeflow parameter in the stop condition.
    assert options == {"strategy": "list", "selector": "min.validation_loss", "max_errors": 1,
                       "stop_condition": "trial >= {{inputs.parameters.trials}}"}
    assert {"name": "trials", "value": "6"} in document["spec"]["arguments"]["parameters"]
    assert "validation_examples={{inputs.parameters.validation_examples}}" in command
    # The comparison reads the search's trials table and best iteration, on the fine-tune image.
    compare = _templates(document)["compare-trials"]["container"]["command"]
    assert compare[compare.index("--handler") + 1] == "genai_flow.fine_tune.handler.compare_trials"
    assert "trials={{inputs.parameters.fine-tune-iteration_results}}" in compare
    assert "best_iteration={{inputs.parameters.fine-tune-best_iteration}}" in compare
    assert steps["fine-tune"].function["spec"]["resources"]["limits"][GPU] == 1


def test_cluster_spec_data_parallel_fine_tune_runs_as_an_mpijob_with_its_workers(isolated_db, monkeypatch):
    from genai_flow.settings import reload_settings

    folder, run_db = isolated_db
    monkeypatch.setenv("GENAI_FLOW_FINETUNE_WORKERS", "4")
    reload_settings()
    try:
        document = load_workflow(compile_workflow(folder / "distributed.yaml", "main"))
    finally:
        monkeypatch.undo()
        reload_settings()
    steps = {step.name: step for step in describe_workflow(document, run_db)}
    assert "fine-tune" not in steps
    step = steps["fine-tune-distributed"]
    spec = step.function["spec"]
    assert step.function["kind"] == "mpijob" and spec["replicas"] == 4
    assert spec["resources"]["limits"][GPU] == 1  # per worker
    assert spec["default_handler"] == "genai_flow.fine_tune.handler.fine_tune"
    assert spec["mpi_args"][:2] == ["-x", "NCCL_SOCKET_NTHREADS=2"]
    assert spec["build"]["base_image"] == "mlrun/mlrun-gpu:1.12.1"
    # The rest of the workflow reads its model as it read fine-tune's.
    tasks = _entry_tasks(document)
    assert set(tasks["align"]["dependencies"]) == {"fine-tune-distributed", "pii"}
