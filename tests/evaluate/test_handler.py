"""The `evaluate` MLRun function, run for real (local run, embedded run DB) on four held-out
tickets with the packaged SmolLM2, a model artifact and the stand-in judge server.

The tuned model is an untrained LoRA adapter (its B matrices start at zero), so tuned and base
answer alike: with zero margins the gate must pass, with the default margins it could not. That
is how the test sees that explicit zeros reach the gate instead of the defaults.
"""

from __future__ import annotations

import json

import mlrun
import pandas as pd
import pytest
from mlrun.runtimes.utils import RunError

from genai_flow import schema
from genai_flow.cpu_int8 import METHOD
from genai_flow.project import load_project
from genai_flow.prompt_library import get_prompt
from genai_flow.settings import reload_settings
from genai_flow.grounding.thresholds import CALIBRATION_FILE
from genai_flow.tuned_model import ADAPTER_FILE, model_folder

from ..helpers import REPO_ROOT, save_lora_adapter
from .test_judge import _ChatCompletions, stand_in_judge_server  # noqa: F401 (a fixture)

pytestmark = pytest.mark.slow  # loads the LLM

QUESTIONS = [
    ("Password reset", "How do I reset my password?", "Open Settings > Security and choose Reset password."),
    ("Invoices", "Where can I download my invoices?", "Invoices are under Admin > Billing > Invoices."),
    ("Two-factor", "I lost my phone with the authenticator app.", "Use one of your backup codes to sign in."),
    ("Export", "Can I export my tasks to CSV?", "Yes: open the project, then Export > CSV."),
]


@pytest.fixture(scope="module")
def adapter_folder(tmp_path_factory):
    """An untrained LoRA adapter on the packaged LLM, saved as fine-tune saves its model."""
    return save_lora_adapter(tmp_path_factory.mktemp("tuned"))


def _dataset(path) -> str:
    rows = [
        {schema.ID: f"T-{i}", schema.SOURCE: "tickets.jsonl", schema.TYPE: schema.TICKET, schema.SPLIT: schema.TEST,
         schema.SUBJECT: subject, schema.TEXT: text, schema.ANSWER: answer, schema.CHUNK: 0}
        for i, (subject, text, answer) in enumerate(QUESTIONS)
    ]
    rows.append({**rows[0], schema.ID: "T-train", schema.SPLIT: schema.TRAIN})  # not evaluated
    rows.append({**rows[1], schema.ID: "kb-1", schema.TYPE: schema.ARTICLE, schema.ANSWER: ""})  # not evaluated
    pd.DataFrame(rows).to_parquet(path)
    return str(path)


@pytest.fixture
def project(embedded_db, monkeypatch):
    # A setting that must lose to the explicit max_examples=0 ("all") below.
    monkeypatch.setenv("GENAI_FLOW_EVALUATE_MAX_EXAMPLES", "2")
    reload_settings()  # embedded_db's teardown undoes the variable and reloads again
    return load_project(REPO_ROOT)


def test_evaluate_scores_both_models_judges_and_gates(project, adapter_folder, tmp_path, stand_in_judge_server,
                                                      monkeypatch):
    monkeypatch.setenv("JUDGE_API_KEY", "secret-key")  # what context.get_secret("JUDGE_API_KEY") reads locally
    # As fine-tune logs it: MLRun uploads the model file and the extra data, so list every file.
    files = {p.name: p.name for p in adapter_folder.iterdir() if p.name != ADAPTER_FILE}
    model = project.log_model("tuned", model_dir=str(adapter_folder), model_file=ADAPTER_FILE, extra_data=files)
    run = project.run_function(
        "evaluate",
        inputs={"dataset": _dataset(tmp_path / "masked.parquet"), "model": model.uri},
        params={"max_examples": 0, "max_new_tokens": 8, "batch_size": 4, "rougel_margin": 0,
                "perplexity_margin": 0, "max_toxicity_rate": 0, "deployed_model": "auto", "fact_questions": 3,
                "judge": "openai", "judge_model": "judge-model", "judge_url": stand_in_judge_server,
                "prompts": ["question-first"]},
        local=True,
    )
    assert run.state() == "completed"
    results = run.status.results
    assert results["evaluated_examples"] == 4  # 0: all held-out tickets, not the setting's 2
    assert results["baseline"] == "base"  # "auto" with no local endpoint running
    # The untrained adapter changes nothing: the same answers, so the same scores.
    assert results["tuned_rougeL"] == results["base_rougeL"]
    assert results["tuned_perplexity"] == pytest.approx(results["base_perplexity"], rel=1e-4)
    assert results["tuned_toxicity_rate"] == 0
    assert results["deploy"] is True, results["gate_reasons"]
    # Scored as the endpoint serves it here (int8 on CPU), with the float32 figures beside it.
    assert results["served_form"] == f"8-bit on CPU: {METHOD}"
    assert {"tuned_fp32_rougeL", "tuned_fp32_perplexity", "tuned_fp32_similarity",
            "tuned_fp32_model_fact_rate"} <= set(results)
    summary = mlrun.get_dataitem(run.outputs["metrics"]).as_df()
    assert list(summary["model"])[:3] == ["base", "tuned", "tuned_fp32"]
    assert "margin 0.0)" in results["gate_reasons"][0]  # the explicit zero, not the default 0.01
    assert results["judge_score"] == 4 and results["judge_parsed"] == 4
    assert len(_ChatCompletions.requests) == 4 and _ChatCompletions.requests[0]["auth"] == "Bearer secret-key"
    assert set(run.outputs) >= {"comparison", "comparison_table", "metrics", "fact_set_answers", "calibration"}
    # Fact set: 3 questions answered by both models; nothing is indexed here, so no question is
    # declined and no signal separates anything: every threshold is dropped and stored so.
    assert results["fact_questions"] == 3
    assert {"base_model_fact_rate", "tuned_model_fact_rate", "tuned_fact_rate"} <= set(results)
    assert results["threshold_off_topic_score"] is None and results["auroc_off_topic_score"] is None
    stored = json.loads((model_folder(model.uri) / CALIBRATION_FILE).read_text())
    assert stored["thresholds"]["off_topic_score"] is None and len(stored["fits"]) == 3
    table = mlrun.get_dataitem(run.outputs["comparison_table"]).as_df()
    assert len(table) == 4 and {"base_answer", "tuned_answer", "tuned_rougeL"} <= set(table.columns)
    # The same tuned weights under the library's other prompt, scored on the same tickets.
    assert "prompt_question_first_answer" in table.columns
    prompts = mlrun.get_dataitem(run.outputs["prompt_comparison"]).as_df().set_index("model")
    assert prompts.loc["prompt_question_first", "prompt_version"] == get_prompt("question-first").version
    assert prompts.loc["tuned", "prompt_version"] == get_prompt("subject-content").version
    assert results["prompt_question_first_rougeL"] == pytest.approx(prompts.loc["prompt_question_first", "rougeL"],
                                                                    abs=1e-4)
    assert "prompt_question_first_model_fact_rate" not in results  # no fact set under a variant prompt


def test_evaluate_refuses_an_explicit_zero_answer_length_by_name(project, adapter_folder, tmp_path):
    with pytest.raises(RunError, match="evaluate_max_new_tokens must be at least 1, not 0"):
        project.run_function(
            "evaluate",
            inputs={"dataset": _dataset(tmp_path / "masked.parquet"), "model": str(adapter_folder)},
            params={"max_new_tokens": 0},
            local=True,
        )
