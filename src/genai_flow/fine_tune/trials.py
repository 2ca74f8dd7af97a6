"""The trials of a hyperparameter search side by side: MLRun's ``iteration_results`` table (one
row per child run, ``param.*`` and ``output.*`` columns) as a tidy table, plots and an HTML page."""

from __future__ import annotations

import base64
import html
import io
import json

import pandas as pd

from .plots import plt

SEARCHED = ("lora_r", "learning_rate", "max_steps")  # shown first, in the label of each trial
SHOWN_RESULTS = ("validation_loss", "validation_perplexity", "train_loss", "mean_train_loss", "train_steps",
                 "train_examples", "train_seconds")


def trial_table(iteration_results: pd.DataFrame, best_iteration: int) -> pd.DataFrame:
    """One row per trial: ``iteration``, ``state``, the parameters, the results, and ``best``
    (the trial MLRun's selector picked)."""
    frame = iteration_results.rename(columns={"iter": "iteration"})
    frame.columns = [c.split(".", 1)[1] if c.startswith(("param.", "output.")) else c for c in frame.columns]
    frame = frame.loc[:, ~frame.columns.duplicated()].copy()
    frame["best"] = frame["iteration"] == int(best_iteration)
    first = ["iteration", "state", "best", *[c for c in (*SEARCHED, *SHOWN_RESULTS) if c in frame]]
    rest = [c for c in frame.columns if c not in first and c != "loss_per_step"]
    ordered = frame[first + rest + (["loss_per_step"] if "loss_per_step" in frame else [])]
    return ordered.sort_values("iteration").reset_index(drop=True)


def trial_label(row: pd.Series) -> str:
    return f"#{row['iteration']} " + " ".join(f"{name}={row[name]:g}" for name in SEARCHED if name in row)


def _losses(value) -> list[float]:
    """A trial's loss per step: a list in memory, its JSON text once it went through CSV."""
    if isinstance(value, str):
        value = json.loads(value)
    return list(value) if isinstance(value, (list, tuple)) else []


def trials_figure(table: pd.DataFrame, selector: str):
    """Left: each trial's selected metric (the best one green); right: its training loss per step."""
    metric = selector.split(".", 1)[-1]
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
    labels = [trial_label(row) for _, row in table.iterrows()]
    values = pd.to_numeric(table.get(metric), errors="coerce") if metric in table else pd.Series([None] * len(table))
    left.barh(labels, values.fillna(0), color=["#1a7f37" if best else "#8c959f" for best in table["best"]])
    left.invert_yaxis()
    left.set_xlabel(f"{metric} ({selector.split('.', 1)[0]} wins)")
    left.set_title(f"{metric} per trial")
    left.grid(alpha=0.3, axis="x")
    for label, (_, row) in zip(labels, table.iterrows()):
        losses = _losses(row.get("loss_per_step"))
        right.plot(range(1, len(losses) + 1), losses, marker="o", markersize=2, label=label,
                   linewidth=2.5 if row["best"] else 1.2)
    right.set_xlabel("optimizer step")
    right.set_ylabel("training loss")
    right.set_title("training loss per trial")
    right.grid(alpha=0.3)
    right.legend(fontsize=7)
    figure.tight_layout()
    return figure


def trials_html(table: pd.DataFrame, selector: str, figure) -> str:
    """The comparison page: the plots, then the table with the best trial highlighted."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    image = base64.b64encode(buffer.getvalue()).decode()
    columns = [c for c in table.columns if c != "loss_per_step"]

    def cell(value) -> str:
        return f"{value:.4g}" if isinstance(value, float) else html.escape(str(value))

    rows = "".join(
        f"<tr{' class=best' if row['best'] else ''}>" + "".join(f"<td>{cell(row[c])}</td>" for c in columns) + "</tr>"
        for _, row in table.iterrows()
    )
    best = table[table["best"]]
    verdict = f"best: {trial_label(best.iloc[0])}" if len(best) else "no trial completed"
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>hyperparameter search</title>
<style>body{{font-family:system-ui,sans-serif;margin:2em}}table{{border-collapse:collapse;font-size:13px}}
td,th{{border:1px solid #d0d7de;padding:3px 6px}}tr.best{{background:#dafbe1;font-weight:600}}</style></head><body>
<h1>Hyperparameter search: {len(table)} trials, selector {html.escape(selector)}</h1><p>{html.escape(verdict)}</p>
<img alt="trials" src="data:image/png;base64,{image}">
<table><tr>{''.join(f'<th>{html.escape(c)}</th>' for c in columns)}</tr>{rows}</table></body></html>"""
