"""The cluster spec: the main workflow compiled to Argo (Kubeflow) YAML, offline.

A cluster is not reachable here; these tests read what Kubeflow would run: the DAG, the
condition around deploy, the GPU limits and the images. Job steps name their function spec by
hash (db://project/name@hash), so their limits and images are read from the run DB the compile
saved them to, as the cluster's launcher pod would.
"""

from __future__ import annotations

import ast

import pytest
import yaml

from genai_flow.compile import CompileError, compile_workflow, describe_workflow, load_workflow

from ..helpers import embedded_run_db, run_cli

GPU = "nvidia.com/gpu"
JOB_STEPS = ("data-prep", "pii", "embed", "fine-tune", "evaluate")
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
    assert set(tasks["evaluate"]["dependencies"]) == {"fine-tune", "pii"}
    # Artifacts flow by reference: pii reads data-prep's dataset output, and so on.
    parameters = {p["name"]: p["value"] for p in tasks["evaluate"]["arguments"]["parameters"]}
    assert parameters["fine-tune-model"] == "{{tasks.fine-tune.outputs.parameters.fine-tune-model}}"
    assert parameters["pii-masked"] == "{{tasks.pii.outputs.parameters.pii-masked}}"

    order = [name for name in steps]
    assert order.index("data-prep") < order.index("pii") < order.index("embed")
    assert order.index("pii") < order.index("fine-tune") < order.index("evaluate")
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
    assert {"evaluate", "fine-tune"} <= set(steps["deploy-serving"].depends_on)
    for name in JOB_STEPS:
        assert steps[name].when is None, name


def test_cluster_spec_gpu_limits_on_fine_tune_and_serving(compiled):
    document, steps = compiled
    templates = _templates(document)
    for name in JOB_STEPS:
        limits = steps[name].function["spec"].get("resources", {}).get("limits", {})
        assert limits.get(GPU) == (1 if name == "fine-tune" else None), name
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
    # The tuned model comes from fine-tune's output at run time, loaded in 8-bit on the GPU.
    assert server["model_path"] == "{{inputs.parameters.fine-tune-model}}"
    assert server["quantization"] == "8bit"


def test_cluster_spec_images(compiled):
    document, steps = compiled
    templates = _templates(document)
    for name in JOB_STEPS:
        assert templates[name]["container"]["image"] == "mlrun/mlrun-kfp:1.12.1"  # the launcher
        build = steps[name].function["spec"]["build"]
        wants_gpu = name == "fine-tune"
        assert build["base_image"] == ("mlrun/mlrun-gpu:1.12.1" if wants_gpu else "mlrun/mlrun:1.12.1")
        assert steps[name].image == build["base_image"]
    assert "bitsandbytes==0.50.2" in steps["fine-tune"].function["spec"]["build"]["requirements"]
    assert templates["deploy-serving"]["container"]["image"].startswith("mlrun/mlrun-kfp")
    serving_build = steps["deploy-serving"].function["spec"]["build"]
    assert serving_build["base_image"] == "mlrun/mlrun-gpu:1.12.1"
    assert "bitsandbytes==0.50.2" in serving_build["requirements"]


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
