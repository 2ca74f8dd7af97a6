"""The serving graph, built in one place for both the cluster (Nuclio) and the local host."""

from __future__ import annotations

from typing import Optional

import mlrun

from ..settings import get_settings

STEP_ORDER = ("preprocess", "llm-server", "postprocess", "toxicity-filter")
LLM_SERVER_CLASS = "genai_flow.serving.llm_server.LLMModelServer"


def build_graph(
    function: mlrun.runtimes.ServingRuntime,
    model_path: Optional[str] = None,
    model_class: str = LLM_SERVER_CLASS,
):
    """Give ``function`` the async flow graph; ``model_path`` is the tuned model to serve (a
    model artifact URI or folder; empty serves the base model). ``model_class`` may name an
    ``LLMModelServer`` subclass (tests inject generations that way). Returns the graph."""
    s = get_settings()
    # exist_ok: a new root replaces any earlier graph, so rebuilding gives the same steps.
    graph = function.set_topology("flow", engine="async", exist_ok=True)
    graph.to(class_name="genai_flow.serving.steps.Preprocess", name="preprocess").to(
        class_name="genai_flow.serving.concurrency.ConcurrentModelServer",
        name="llm-server",
        model_class=model_class,
        model_path=model_path or "",
        quantization=s.serving_quantization,
        max_batch_size=s.serving_max_batch_size,
        batch_wait_ms=s.serving_batch_wait_ms,
        default_max_new_tokens=s.serving_max_new_tokens,
        max_in_flight=s.serving_max_batch_size,
        result_path="llm",
    ).to(class_name="genai_flow.serving.steps.Postprocess", name="postprocess").to(
        class_name="genai_flow.serving.steps.ToxicityFilter", name="toxicity-filter"
    ).respond()
    graph.error_handler(name="error", handler="genai_flow.serving.steps.error_response", full_event=True)
    return graph


def serving_function(
    project: mlrun.projects.MlrunProject, model_path: Optional[str] = None, model_class: str = LLM_SERVER_CLASS
):
    """The project's `serving` function with the graph for ``model_path``."""
    function = project.get_function("serving")
    build_graph(function, model_path, model_class)
    return function
