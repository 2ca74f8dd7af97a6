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


def deploy_endpoint(model):
    """Deploy the serving graph with ``model`` (a fine-tune output): a Nuclio deploy step on
    Kubeflow (the GPU serving spec, with the model filled in by KFP), the local `deploy` job
    (a background HTTP server) otherwise."""
    if on_kubeflow():
        from .serving.graph import serving_function

        return mlrun.deploy_function(serving_function(pipeline_context.project, str(model)))
    return mlrun.run_function("deploy", inputs={"model": model}, outputs=["endpoint_url"])
