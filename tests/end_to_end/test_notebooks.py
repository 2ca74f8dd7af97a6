"""The notebooks in notebooks/: committed stripped, and executed end to end with small settings.

Execution uses nbclient with this interpreter's `python3` kernel, in an isolated environment:
its own run DB, artifact folder, Chroma folder, serving port, a small slice of data/raw and
GENAI_FLOW_NOTEBOOK_FAST=1 (two LoRA steps). 01 runs the workflow, 02 calls the endpoint (it
deploys one if the gate kept none), 03 adds tickets and retrains against the model 02 served,
04 sends traffic, gives feedback, monitors and retrains with the corrections, 05 tries the
other prompt (with preference alignment), runs a small search and deploys the pick, so they run
in that order in one test. Any failing cell fails the test.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from ..helpers import REPO_ROOT, free_port, small_data_source

NOTEBOOKS = REPO_ROOT / "notebooks"
ORDER = ("01_quickstart", "02_serving", "03_retraining", "04_liveops", "05_experiments")


def _load(name: str):
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def test_notebooks_are_committed_stripped_and_valid():
    assert sorted(path.stem for path in NOTEBOOKS.glob("*.ipynb")) == list(ORDER)
    for name in ORDER:
        notebook = _load(name)
        nbformat.validate(notebook)
        assert notebook.metadata.kernelspec.name == "python3", name
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        assert code and all(cell.outputs == [] for cell in code), f"{name}: outputs not stripped"
        assert all(cell.execution_count is None for cell in code), f"{name}: execution counts left"
        assert notebook.cells[0].cell_type == "markdown", name  # each opens by saying what it does


def _execute(name: str, workdir: Path):
    from nbclient import NotebookClient

    notebook = _load(name)
    client = NotebookClient(
        notebook, kernel_name="python3", timeout=900, resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    client.execute()  # raises CellExecutionError naming the failing cell
    nbformat.write(notebook, workdir / f"{name}.executed.ipynb")  # kept for a failing run's reader
    return notebook


def _text(notebook) -> str:
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts.append(output.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_notebooks_run_in_order_with_small_settings(embedded_db, monkeypatch, tmp_path):
    from genai_flow.local_mode import server_process as local_deploy
    from genai_flow.settings import reload_settings

    monkeypatch.setenv("GENAI_FLOW_CHROMA_PATH", str(tmp_path / "chroma"))
    monkeypatch.setenv("GENAI_FLOW_SERVING_PORT", str(free_port()))
    monkeypatch.setenv("GENAI_FLOW_NOTEBOOK_FAST", "1")
    # Five evaluations: the float32 comparison is tested elsewhere (tests/evaluate, test_workflow).
    monkeypatch.setenv("GENAI_FLOW_EVALUATE_COMPARE_FP32", "false")
    # The notebooks' wiring is the subject here (quality is scored elsewhere), and the test runs six
    # fine-tunes, five evaluations and an alignment: short answers, two examples per training step.
    monkeypatch.setenv("GENAI_FLOW_EVALUATE_MAX_NEW_TOKENS", "16")
    monkeypatch.setenv("GENAI_FLOW_ALIGN_MAX_NEW_TOKENS", "16")
    monkeypatch.setenv("GENAI_FLOW_FINETUNE_BATCH_SIZE", "2")
    monkeypatch.setenv("GENAI_FLOW_NOTEBOOK_SOURCE", str(small_data_source(tmp_path / "data")))
    reload_settings()
    executed = {}
    try:
        for name in ORDER:
            executed[name] = _execute(name, tmp_path)
    finally:
        local_deploy.stop()  # the endpoint 02 (or a deploy step) started

    assert "Succeeded" in _text(executed["01_quickstart"])
    serving = _text(executed["02_serving"])
    assert '"flag_reason": "toxic_input"' in serving and '"low_confidence": true' in serving

    # 03 retrained on the slice plus its new tickets and compared with the model 02 served.
    evaluations = sorted(
        embedded_db.list_runs(name="~evaluate", project="genai-flow"),
        key=lambda run: run["status"]["start_time"],
    )
    assert len(evaluations) == 5  # 01, 03, 04, and 05's prompt try and search
    retrained = evaluations[1]
    assert retrained["status"]["results"]["baseline"] == "deployed"
    prep_runs = sorted(embedded_db.list_runs(name="~data-prep", project="genai-flow"),
                       key=lambda run: run["status"]["start_time"])
    rows_in = [run["status"]["results"]["rows_in"] for run in prep_runs]
    assert rows_in[1] == rows_in[0] + 4  # the four new tickets went in
    assert retrained["status"]["results"]["gate_reasons"]

    # 04: the retraining run's data is 03's plus the three corrections, as training tickets,
    # compared against the model serving then.
    assert rows_in[2] == rows_in[0] + 3
    assert evaluations[2]["status"]["results"]["baseline"] == "deployed"
    liveops = _text(executed["04_liveops"])
    for correction_start in ("Open the board, choose Export", "ORB-4031 means the API key has expired",
                             "Automations pause when the monthly run limit"):
        assert correction_start in liveops
    monitors = embedded_db.list_runs(name="~liveops-monitor", project="genai-flow")
    assert len(monitors) == 2 and {run["status"]["state"] for run in monitors} == {"completed"}

    # 05: the other prompt was tried, with the supervised model aligned on preference pairs
    # (04's corrections from the LiveOps store and synthetic pairs); 01's run covered the default.
    (aligning,) = [run for run in embedded_db.list_runs(name="align-align", project="genai-flow")
                   if run["status"]["results"]["aligned"]]
    results = aligning["status"]["results"]
    assert results["pairs_correction"] == 3 and results["pairs_synthetic"] > 0 and results["train_steps"] == 2
    assert 0 <= results["heldout_reward_accuracy"] <= 1
    search = [run for run in embedded_db.list_runs(name="fine-tune-fine-tune", project="genai-flow", iter=True)
              if run["metadata"]["iteration"]]
    assert sorted(run["metadata"]["iteration"] for run in search) == [1, 2]
    experiments = _text(executed["05_experiments"])
    from genai_flow.prompt_library import get_prompt

    assert f"subject-content ({get_prompt('subject-content').version}): already tried" in experiments
    assert "best trial:" in experiments and "answers with prompt" in experiments
