"""The train -> evaluate -> deploy workflow end to end on the local engine (small settings)."""

from __future__ import annotations


import json

import httpx
import pytest
from click.testing import CliRunner

from genai_flow import cli
from genai_flow.project import WorkflowFailed, load_project, run_workflow
from genai_flow.prompt_library import get_prompt
from genai_flow.local_mode import server_process as local_deploy
from genai_flow.settings import reload_settings

from ..helpers import REPO_ROOT, free_port, small_data_source

SMALL = {"max_steps": 2, "max_examples": 16, "eval_examples": 4, "fact_questions": 4}


@pytest.fixture
def local_project(embedded_db, tmp_path, monkeypatch):
    monkeypatch.setenv("GENAI_FLOW_CHROMA_PATH", str(tmp_path / "chroma"))
    monkeypatch.setenv("GENAI_FLOW_SERVING_PORT", str(free_port()))
    # These tests are about the wiring: short answers (generation is most of evaluate's time) and
    # two examples per training step.
    monkeypatch.setenv("GENAI_FLOW_EVALUATE_MAX_NEW_TOKENS", "16")
    monkeypatch.setenv("GENAI_FLOW_FINETUNE_BATCH_SIZE", "2")
    reload_settings()
    yield load_project(REPO_ROOT)
    local_deploy.stop()
    monkeypatch.undo()
    reload_settings()


@pytest.mark.slow
def test_the_workflow_trains_evaluates_and_deploys(local_project, tmp_path):
    # Margins of -1 let a 2-step model through: this test is about the wiring, not quality.
    run_workflow("main", arguments={**SMALL, "rougel_margin": -1.0, "perplexity_margin": -1.0},
                 project=local_project)
    runs = {r["metadata"]["name"]: r for r in local_project.list_runs()}
    assert set(runs) == {
        "data-prep-prep-data", "pii-mask-pii", "embed-embed-chunks", "fine-tune-fine-tune", "align-align",
        "evaluate-evaluate", "deploy-deploy-model",
    }
    assert {r["status"]["state"] for r in runs.values()} == {"completed"}
    # No feedback and no synthetic pairs asked: align passes the supervised model on, saying why.
    align = runs["align-align"]["status"]["results"]
    assert align["aligned"] is False and align["skipped_reason"].startswith("0 feedback pairs and 0 synthetic")
    # Chunks are sized in the embedder's tokens, and still fit once PII masking changed them.
    assert runs["embed-embed-chunks"]["status"]["results"]["chunks_truncated"] == 0
    results = runs["evaluate-evaluate"]["status"]["results"]
    for key in ("base_rougeL", "tuned_rougeL", "base_perplexity", "tuned_perplexity", "base_similarity",
                "tuned_similarity", "tuned_toxicity_rate", "judge_score", "deploy", "gate_reasons"):
        assert key in results, key
    assert results["deploy"] is True and results["judge_score"] is None
    # Scored as it is served here (int8 on CPU), float32 beside it; the endpoint serves int8 too.
    assert results["served_form"].startswith("8-bit on CPU") and "tuned_fp32_rougeL" in results

    # The experiments view: this workflow run as one row, deployed.
    (row,) = json.loads(CliRunner().invoke(cli.main, ["experiments", "--json", "--report"]).stdout)
    assert row["deploy"] is True and row["deployed"] is True and row["baseline"] == "base"
    assert row["tuned_rougeL"] == results["tuned_rougeL"] and row["max_steps"] == SMALL["max_steps"]
    assert row["prompt_version"] == get_prompt("subject-content").version
    assert "experiments" in {a["metadata"]["key"] for a in local_project.list_artifacts(name="experiments")}

    endpoint = runs["deploy-deploy-model"]["status"]["results"]["endpoint_url"]
    assert endpoint == local_deploy.current()["url"]
    health = httpx.get(endpoint + "health")
    assert health.status_code == 200 and health.json()["weights"] == results["served_form"]
    answer = httpx.post(endpoint, json={"question": "How do I export my boards?", "max_new_tokens": 8},
                        timeout=120).json()
    assert {"answer", "confidence", "flagged", "flag_reason"} <= set(answer)


def test_a_refusing_gate_deploys_nothing_and_a_bad_source_fails_with_its_name(local_project, tmp_path,
                                                                              monkeypatch):
    monkeypatch.setenv("GENAI_FLOW_EVALUATE_COMPARE_FP32", "false")  # not this test's subject: time saved
    reload_settings()
    # An impossible ROUGE-L margin: the gate refuses, the deploy step does not run (a slice of the
    # data: the whole set is the first test's).
    source = str(small_data_source(tmp_path / "data"))
    run_workflow("main", arguments={**SMALL, "source": source, "rougel_margin": 2.0}, project=local_project)
    names = [r["metadata"]["name"] for r in local_project.list_runs()]
    assert "deploy-deploy-model" not in names and local_deploy.current() is None
    evaluation = next(r for r in local_project.list_runs() if r["metadata"]["name"] == "evaluate-evaluate")
    assert evaluation["status"]["results"]["deploy"] is False
    (row,) = json.loads(CliRunner().invoke(cli.main, ["experiments", "--json"]).stdout)
    assert row["deploy"] is False and row["deployed"] is False and row["gate_reasons"][0].startswith("fail: ROUGE-L")
    assert any(reason.startswith("fail: ROUGE-L") for reason in evaluation["status"]["results"]["gate_reasons"])

    missing = tmp_path / "no-such-data"
    with pytest.raises(WorkflowFailed, match="no-such-data"):
        run_workflow("main", arguments={**SMALL, "source": str(missing)}, project=local_project)
