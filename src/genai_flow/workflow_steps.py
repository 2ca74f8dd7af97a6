"""Wiring helpers for workflow files, so one pipeline runs on both engines.

On Kubeflow (``engine="kfp"``) steps are compiled into a DAG and a gate is a ``dsl.Condition``;
on the local engine the same Python runs step by step, with real results.
"""

from __future__ import annotations

import contextlib
from typing import Iterator

import mlrun
from kfp import dsl
from mlrun.projects.pipelines import pipeline_context


def on_kubeflow() -> bool:
    workflow = pipeline_context.workflow
    return bool(workflow) and str(workflow.engine) == "kfp"


@contextlib.contextmanager
def only_if(flag) -> Iterator[bool]:
    """``with only_if(step.outputs["deploy"]) as go: if go: ...`` runs the block when the flag
    is true: a ``dsl.Condition`` on Kubeflow, a plain test of the result locally."""
    if on_kubeflow():
        with dsl.Condition(flag == True, name="gate"):  # noqa: E712 (kfp builds the condition from ==)
            yield True
    else:
        yield str(flag).lower() == "true"


def fine_tune_function(workers: int):
    """The function that fine-tunes: `fine-tune`, or on Kubeflow with ``workers`` above 1,
    `fine-tune-distributed` (an mpijob) with that many replicas. The local engine trains in
    one process (launch the handler with torchrun to train data-parallel on one machine)."""
    if workers <= 1 or not on_kubeflow():
        return "fine-tune"
    function = pipeline_context.project.get_function("fine-tune-distributed")
    function.spec.replicas = workers
    return function


def deploy_endpoint(model):
    """Deploy the serving graph with ``model`` (a fine-tune output): a Nuclio deploy step on
    Kubeflow (the GPU serving spec, with the model filled in by KFP), the local `deploy` job
    (a background HTTP server) otherwise."""
    if on_kubeflow():
        from .serving.graph import serving_function

        return mlrun.deploy_function(serving_function(pipeline_context.project, str(model)))
    return mlrun.run_function("deploy", inputs={"model": model}, outputs=["endpoint_url"])


def prepare_data(source):
    """data-prep -> pii -> embed: the masked dataset (an output reference) that fine-tune and
    evaluate read; the knowledge base is indexed on the way."""
    prep = mlrun.run_function("data-prep", params={"source": source}, outputs=["dataset"])
    masked = mlrun.run_function("pii", inputs={"dataset": prep.outputs["dataset"]}, outputs=["masked"])
    mlrun.run_function("embed", inputs={"dataset": masked.outputs["masked"]}, outputs=["collection"])
    return masked.outputs["masked"]


def evaluate_and_deploy(dataset, model, params: dict):
    """evaluate ``model`` on ``dataset``'s held-out split, then deploy it if the gate says so."""
    evaluation = mlrun.run_function(
        "evaluate", inputs={"dataset": dataset, "model": model}, params=params, outputs=["deploy", "gate_reasons"],
    )
    with only_if(evaluation.outputs["deploy"]) as deploy:
        if deploy:
            deploy_endpoint(model)
    return evaluation
