"""Workflow runs side by side, from run DB records shaped as MLRun stores them."""

from __future__ import annotations

from genai_flow.experiments import experiment_rows, experiments_html


def run(name, workflow, start, params=None, results=None, state="completed"):
    labels = {"workflow": workflow} if workflow else {}
    return {"metadata": {"name": name, "labels": labels}, "spec": {"parameters": params or {}},
            "status": {"start_time": start, "state": state, "results": results or {}}}


def two_workflows():
    evaluated = {"baseline": "deployed", "deploy": False, "gate_reasons": ["fail: ROUGE-L 0.21 vs deployed 0.24"],
                 "tuned_rougeL": 0.214, "deployed_rougeL": 0.236, "tuned_perplexity": 5.26,
                 "deployed_perplexity": 5.30, "base_rougeL": 0.1}
    return [
        run("data-prep-prep-data", "w1", "2026-11-30T07:30:00"),
        run("fine-tune-fine-tune", "w1", "2026-11-30T07:31:00",
            {"base_model": "SmolLM2-135M-Instruct", "lora_r": 8, "max_steps": 30, "learning_rate": 0.001},
            {"prompt_version": "d7a111b85a95", "train_loss": 1.9, "train_examples": 437}),
        run("evaluate-evaluate", "w1", "2026-11-30T07:37:00", results={
            "baseline": "base", "deploy": True, "gate_reasons": ["pass"], "tuned_rougeL": 0.24, "base_rougeL": 0.1}),
        run("deploy-deploy-model", "w1", "2026-11-30T07:45:00"),
        run("data-prep-prep-data", "w2", "2026-11-30T08:15:00", {"source": "artifacts/data_versions/v1"}),
        run("fine-tune-fine-tune", "w2", "2026-11-30T08:16:00", {"lora_r": 16}, {"prompt_version": "914d9811f548"}),
        run("evaluate-evaluate", "w2", "2026-11-30T08:21:00", results=evaluated),
        run("liveops-monitor-batch--handler", None, "2026-11-30T08:14:00"),  # not a workflow step
    ]


def test_each_workflow_run_is_a_row_newest_first():
    rows = experiment_rows(two_workflows())
    assert [row["workflow"] for row in rows] == ["w2", "w1"]
    refused, deployed = rows
    assert refused["data"] == "artifacts/data_versions/v1" and deployed["data"] == "data/raw (default)"
    assert (refused["prompt_version"], refused["lora_r"]) == ("914d9811f548", 16)
    # The baseline columns hold whichever model the gate compared with.
    assert (refused["baseline"], refused["baseline_rougeL"], refused["tuned_rougeL"]) == ("deployed", 0.236, 0.214)
    assert (deployed["baseline"], deployed["baseline_rougeL"]) == ("base", 0.1)
    assert refused["deploy"] is False and refused["deployed"] is False
    assert deployed["deploy"] is True and deployed["deployed"] is True
    assert refused["gate_reasons"] == ["fail: ROUGE-L 0.21 vs deployed 0.24"]


def test_a_failed_step_marks_its_workflow_run():
    records = two_workflows()
    records[6]["status"]["state"] = "error"
    assert experiment_rows(records)[0]["state"] == "error"


def test_the_html_page_has_the_table_and_the_chart():
    page = experiments_html(experiment_rows(two_workflows()))
    assert page.count("<tr>") == 3 and "data:image/png;base64," in page and "fail: ROUGE-L 0.21" in page
    assert "no workflow runs yet" in experiments_html([])
