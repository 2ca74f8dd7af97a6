"""The hyperparameter search: fine-tune as MLRun hyper-parameter runs (child runs in the run DB,
the selector's best kept as the model), the validation hold-out it selects by, the trial budget,
and the comparison step's table and plots."""

from __future__ import annotations

import itertools
import math

import pandas as pd
import pytest
from mlrun.model import HyperParamOptions
from mlrun.runtimes.utils import RunError

from genai_flow import schema
from genai_flow.fine_tune.examples import hold_out, ticket_rows
from genai_flow.fine_tune.search_space import search_hyperparams
from genai_flow.project import load_project
from genai_flow.tuned_model import load_tuned_model
from genai_flow.model_loading import ModelConfig

from ..helpers import REPO_ROOT
from .conftest import ticket_frame


def test_hold_out_keeps_the_last_tickets_by_id_whatever_max_examples_takes():
    rows = ticket_rows(ticket_frame(train=10), schema.TRAIN)
    train, validation = hold_out(rows, 3)
    assert list(validation[schema.ID]) == list(rows[schema.ID])[-3:]
    assert list(train[schema.ID]) == list(rows[schema.ID])[:-3]
    assert hold_out(rows, 0)[1].empty and len(hold_out(rows, 0)[0]) == 10
    with pytest.raises(ValueError, match="cannot hold out 10 of 10"):
        hold_out(rows, 10)


def test_a_search_leaves_child_runs_the_best_as_the_model_and_a_comparison(embedded_db, tmp_path):
    project = load_project(REPO_ROOT)
    dataset = tmp_path / "masked.parquet"
    ticket_frame(train=10).to_parquet(dataset)
    params = {"max_examples": 4, "validation_examples": 2, "batch_size": 2, "max_length": 320, "max_steps": 2,
              "lora_dropout": 0.0, "context_tokens": 0, "checkpoint_dir": str(tmp_path / "checkpoints")}
    # A grid of 3 with a budget of 2: the stop condition ends the search after the second trial.
    search = project.run_function(
        "fine-tune", inputs={"dataset": str(dataset)}, params=params,
        hyperparams={"lora_r": [2, 8, 16], "learning_rate": [3e-3]},
        hyper_param_options=HyperParamOptions(strategy="grid", selector="min.validation_loss",
                                              stop_condition="trial >= 2", max_errors=1),
        local=True,
    )
    assert search.state() == "completed"
    children = {r["metadata"]["iteration"]: r for r in embedded_db.list_runs(uid=search.uid(), iter=True)}
    assert sorted(children) == [0, 1, 2]  # the parent and two trials, each a run of its own
    losses = {i: children[i]["status"]["results"]["validation_loss"] for i in (1, 2)}
    assert {children[i]["spec"]["parameters"]["lora_r"] for i in (1, 2)} == {2, 8}
    assert all(math.isfinite(loss) and loss > 0 for loss in losses.values()) and losses[1] != losses[2]
    best = min(losses, key=losses.get)
    assert search.status.results["best_iteration"] == best
    assert search.status.results["validation_loss"] == losses[best]
    # Each trial checkpoints in a folder of its own.
    assert {p.name for p in (tmp_path / "checkpoints").iterdir()} == {"trial-1", "trial-2"}
    # The run's model is the best trial's: its adapter has the best trial's rank.
    tuned = load_tuned_model(search.outputs["model"], ModelConfig.from_settings())
    assert tuned.info["parameters"]["lora"]["r"] == children[best]["spec"]["parameters"]["lora_r"]
    assert tuned.info["parameters"]["validation_examples"] == 2

    comparison = project.run_function(
        "fine-tune", handler="genai_flow.fine_tune.handler.compare_trials", name="compare-trials",
        inputs={"trials": search.outputs["iteration_results"]},
        params={"best_iteration": search.status.results["best_iteration"], "selector": "min.validation_loss"},
        local=True,
    )
    assert comparison.state() == "completed"
    results = comparison.status.results
    assert (results["trials"], results["completed_trials"], results["best_iteration"]) == (2, 2, best)
    assert results["best_lora_r"] == children[best]["spec"]["parameters"]["lora_r"]
    assert results["best_validation_loss"] == losses[best] and results["search_seconds"] > 0
    trials = comparison.artifact("trials").as_df()
    assert list(trials["iteration"]) == [1, 2] and list(trials["best"]) == [i == best for i in (1, 2)]
    assert list(trials["validation_loss"]) == [losses[1], losses[2]]
    page = comparison.artifact("trial_comparison").get()
    page = page.decode() if isinstance(page, bytes) else page
    assert "<tr class=best>" in page and "data:image/png;base64," in page
    assert f"best: #{best} lora_r={results['best_lora_r']} learning_rate=0.003 max_steps=2" in page


def test_a_comparison_of_an_unknown_best_fails_with_the_trials_it_has(embedded_db, tmp_path):
    table = tmp_path / "iteration_results.csv"
    pd.DataFrame({"state": ["completed"], "iter": [1], "param.lora_r": [4], "output.validation_loss": [2.0]}
                 ).to_csv(table, index=False)
    with pytest.raises(RunError, match=r"best iteration 3 is not among the trials \[1\]"):
        load_project(REPO_ROOT).run_function(
            "fine-tune", handler="genai_flow.fine_tune.handler.compare_trials", name="compare-trials",
            inputs={"trials": str(table)}, params={"best_iteration": 3}, local=True,
        )


def test_the_random_search_runs_every_combination_once_in_a_seeded_order_and_the_grid_in_order():
    space = {"lora_r": [4, 8], "learning_rate": [1e-3, 3e-3], "max_steps": [8]}
    hyperparams, strategy = search_hyperparams(space, "random", seed=1)
    combinations = list(zip(*hyperparams.values()))
    assert strategy == "list" and sorted(combinations) == sorted(itertools.product(*space.values()))
    assert search_hyperparams(space, "random", seed=1) == (hyperparams, "list")
    assert {tuple(zip(*search_hyperparams(space, "random", seed=s)[0].values())) for s in range(8)} != {
        tuple(combinations)}  # other seeds, other orders
    assert search_hyperparams(space, "grid", seed=1) == (space, "grid")
    with pytest.raises(ValueError, match="tune strategy must be one of random, grid, not 'bayes'"):
        search_hyperparams(space, "bayes", seed=1)
    with pytest.raises(ValueError, match="no values for max_steps"):
        search_hyperparams({**space, "max_steps": []}, "grid", seed=1)
