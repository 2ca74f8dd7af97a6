"""Experiments side by side: each workflow run of the project as one row (data version, base
model, prompt, LoRA settings, the search's trials, preference alignment, training and evaluation
metrics, the gate's verdict, whether it
was deployed), read from the run DB, and an HTML page comparing them with plots."""

from __future__ import annotations

import base64
import html
import io
from collections import defaultdict
from typing import Iterable, Optional

# The run names of the main workflow's steps (function-handler), as MLRun names them.
STEPS = {"data-prep": "data-prep-prep-data", "fine-tune": "fine-tune-fine-tune", "align": "align-align",
         "evaluate": "evaluate-evaluate", "deploy": "deploy-deploy-model"}
METRICS = ("rougeL", "perplexity", "similarity", "fact_rate")
COLUMNS = ["workflow", "started", "state", "data", "base_model", "prompt_version", "trials", "lora_r", "lora_alpha",
           "max_steps", "learning_rate", "train_examples", "train_loss", "validation_loss",
           "aligned", "pairs", "heldout_reward_accuracy", *(f"tuned_{m}" for m in METRICS),
           "baseline", *(f"baseline_{m}" for m in METRICS), "deploy", "gate_reasons", "deployed", "model"]


def _step(runs: list[dict], name: str) -> Optional[dict]:
    """The newest run of step ``name`` among one workflow's runs."""
    matching = [run for run in runs if run["metadata"].get("name") == STEPS[name]]
    return max(matching, key=lambda run: run["status"].get("start_time") or "", default=None)


def _chosen_parameters(run: dict) -> dict:
    """A fine-tune run's parameters; for a hyperparameter search, with the best trial's values
    (MLRun keeps them in the parent run's ``iterations`` table, header row first)."""
    parameters = dict(run["spec"].get("parameters") or {})
    best = (run["status"].get("results") or {}).get("best_iteration")
    table = run["status"].get("iterations") or []
    if best and table:
        header = table[0]
        for values in table[1:]:
            trial = dict(zip(header, values))
            if trial.get("iter") == best:
                parameters.update({k[len("param."):]: v for k, v in trial.items() if k.startswith("param.")})
    return parameters


def experiment_row(workflow: str, runs: list[dict]) -> dict:
    """One workflow run's steps as one row (missing steps leave their columns empty)."""
    prep, tune, align, evaluation, deploy = (_step(runs, name) for name in STEPS)
    row = dict.fromkeys(COLUMNS)
    row["workflow"] = workflow
    row["started"] = min((run["status"].get("start_time") or "" for run in runs), default="") or None
    states = {run["status"].get("state") for run in runs}
    row["state"] = "error" if "error" in states else "running" if "running" in states else "completed"
    if prep:
        row["data"] = (prep["spec"].get("parameters") or {}).get("source") or "data/raw (default)"
    if tune:
        parameters, results = _chosen_parameters(tune), tune["status"].get("results") or {}
        trials = tune["status"].get("iterations") or []
        row.update(base_model=parameters.get("base_model"), prompt_version=results.get("prompt_version"),
                   trials=max(len(trials) - 1, 0) or None,
                   lora_r=parameters.get("lora_r"), lora_alpha=parameters.get("lora_alpha"),
                   max_steps=parameters.get("max_steps"), learning_rate=parameters.get("learning_rate"),
                   train_examples=results.get("train_examples"), train_loss=results.get("train_loss"),
                   validation_loss=results.get("validation_loss"))
    if align:
        results = align["status"].get("results") or {}
        row.update(aligned=results.get("aligned"), pairs=results.get("pairs"),
                   heldout_reward_accuracy=results.get("heldout_reward_accuracy"))
    if evaluation:
        results = evaluation["status"].get("results") or {}
        baseline = results.get("baseline")
        row.update({f"tuned_{m}": results.get(f"tuned_{m}") for m in METRICS})
        row.update({f"baseline_{m}": results.get(f"{baseline}_{m}") for m in METRICS} if baseline else {})
        row.update(baseline=baseline, deploy=results.get("deploy"), gate_reasons=results.get("gate_reasons"),
                   model=(evaluation["spec"].get("inputs") or {}).get("model"))
    row["deployed"] = bool(deploy and deploy["status"].get("state") == "completed")
    return row


def experiment_rows(runs: Iterable[dict]) -> list[dict]:
    """Every workflow run among ``runs`` (run DB records), newest first; runs outside a
    workflow are left out."""
    by_workflow: dict[str, list[dict]] = defaultdict(list)
    for run in runs:
        workflow = (run["metadata"].get("labels") or {}).get("workflow")
        if workflow:
            by_workflow[workflow].append(run)
    rows = [experiment_row(workflow, items) for workflow, items in by_workflow.items()]
    return sorted(rows, key=lambda row: row["started"] or "", reverse=True)


def _plot_png(rows: list[dict]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ordered = list(reversed(rows))  # oldest first, left to right
    labels = [row["workflow"][:8] for row in ordered]
    figure, axes = plt.subplots(1, 3, figsize=(13, 3.6))
    for axis, metric in zip(axes, ("rougeL", "perplexity", "fact_rate")):
        tuned = [row[f"tuned_{metric}"] for row in ordered]
        baseline = [row[f"baseline_{metric}"] for row in ordered]
        positions = range(len(ordered))
        axis.bar([p - 0.2 for p in positions], [v if v is not None else 0 for v in baseline], 0.4, label="baseline")
        axis.bar([p + 0.2 for p in positions], [v if v is not None else 0 for v in tuned], 0.4, label="new model",
                 color=["#1a7f37" if row["deploy"] else "#cf222e" for row in ordered])
        axis.set_xticks(list(positions), labels, rotation=30, fontsize=8)
        axis.set_title(metric + (" (lower is better)" if metric == "perplexity" else ""))
        axis.grid(alpha=0.3, axis="y")
    axes[0].legend(fontsize=8)
    figure.suptitle("each workflow run: the new model (green: deployed by the gate, red: refused) vs its baseline")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode()


def experiments_html(rows: list[dict]) -> str:
    """The rows as a table and bar charts of the new model against its baseline per run."""
    shown = [c for c in COLUMNS if c not in ("gate_reasons", "model")]

    def cell(value) -> str:
        if isinstance(value, float):
            return f"{value:.4g}"
        return html.escape("" if value is None else str(value))

    body = "".join("<tr>" + "".join(f"<td>{cell(row[c])}</td>" for c in shown)
                   + f"<td>{html.escape('; '.join(row['gate_reasons'] or []))}</td></tr>" for row in rows)
    chart = f'<img src="data:image/png;base64,{_plot_png(rows)}">' if rows else "<p>no workflow runs yet</p>"
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>genai-flow experiments</title>
<style>body{{font-family:system-ui,sans-serif;margin:2em}}table{{border-collapse:collapse;font-size:13px}}
td,th{{border:1px solid #d0d7de;padding:3px 6px}}</style></head><body>
<h1>Experiments: {len(rows)} workflow runs</h1>{chart}
<table><tr>{''.join(f'<th>{c}</th>' for c in shown)}<th>gate</th></tr>{body}</table></body></html>"""
