"""The evaluation report: a summary per model and a per-example comparison, as HTML and CSV."""

from __future__ import annotations

import html

import pandas as pd

from .gate import GateVerdict

# model_fact_rate: the model's own fact-set answers; fact_rate: as the endpoint serves them.
SUMMARY_COLUMNS = ["rougeL", "perplexity", "similarity", "toxicity_rate", "model_fact_rate", "fact_rate", "judge_score"]

_STYLE = """<style>
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; margin: 0.8em 0 1.6em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td { max-width: 28em; }
.pass { color: #17692f; } .fail { color: #a3201c; font-weight: 600; }
.verdict { font-size: 1.2em; font-weight: 700; }
</style>"""


def summary_frame(metrics_by_model: dict[str, dict]) -> pd.DataFrame:
    """One row per model, one column per metric."""
    frame = pd.DataFrame.from_dict(metrics_by_model, orient="index")
    frame = frame.reindex(columns=[c for c in SUMMARY_COLUMNS if c in frame.columns])
    frame.index.name = "model"
    return frame.reset_index()


def comparison_frame(
    subjects: list[str],
    questions: list[str],
    references: list[str],
    answers: dict[str, list[str]],
    rouge: dict[str, list[float]],
    similarity: dict[str, list[float]],
) -> pd.DataFrame:
    """One row per held-out example: question, reference, and each model's answer and scores."""
    frame = pd.DataFrame({"subject": subjects, "question": questions, "reference": references})
    for model, texts in answers.items():
        frame[f"{model}_answer"] = texts
        frame[f"{model}_rougeL"] = [round(v, 4) for v in rouge[model]]
        frame[f"{model}_similarity"] = [round(v, 4) for v in similarity[model]]
    return frame


def report_html(summary: pd.DataFrame, examples: pd.DataFrame, verdict: GateVerdict, title: str) -> str:
    reasons = "".join(
        f'<li class="{"pass" if r.startswith("pass") else "fail"}">{html.escape(r)}</li>'
        for r in verdict.reasons
    )
    decision = "deploy" if verdict.deploy else "do not deploy"
    return (
        f"<html><head><meta charset='utf-8'><title>{html.escape(title)}</title>{_STYLE}</head><body>"
        f"<h1>{html.escape(title)}</h1>"
        f"<p class='verdict {'pass' if verdict.deploy else 'fail'}'>Gate: {decision}</p><ul>{reasons}</ul>"
        f"<h2>Metrics</h2>{summary.to_html(index=False, float_format=lambda v: f'{v:.4f}')}"
        f"<h2>Held-out examples ({len(examples)})</h2>{examples.to_html(index=False)}"
        "</body></html>"
    )
