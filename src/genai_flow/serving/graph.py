"""The serving graph, built in one place for both the cluster (Nuclio) and the local host.

This is where the serving function's settings are resolved (once, at build time): every step
gets its values as class arguments, so the function spec shows what it will run with.
"""

from __future__ import annotations

from typing import Optional

import mlrun

from ..embed import RetrievalConfig, StoreLocation
from ..grounding.thresholds import ServingThresholds
from ..guardrails import ToxicityConfig
from ..model_loading import ModelConfig
from ..pii import PiiConfig
from ..settings import Settings, config_args, get_settings
from .config import ServingConfig

LLM_SERVER_STEP = "llm-server"  # the model step; on a cluster, MLRun's model endpoint is named after it
STEP_ORDER = ("preprocess", LLM_SERVER_STEP, "postprocess", "toxicity-filter", "record")
LLM_SERVER_CLASS = "genai_flow.serving.llm_server.LLMModelServer"
OPENAI_PREFIX = "/v1"
API_HANDLER_STEP = "api-handler"  # MLRun's name for it
API_HANDLER_CLASS = "mlrun.serving.api_handler._APIHandlerStep"


def _library_prompt(name: Optional[str]) -> Optional[dict]:
    """The serving_prompt setting resolved into the step's class arguments (its text too, so the
    function spec shows exactly what a cluster answers with); None: the model's own prompt."""
    if not name:
        return None
    from ..prompt_library import get_prompt

    prompt = get_prompt(name)
    return {"key": prompt.key, "version": prompt.version, "template": prompt.template.to_dict()}


def build_graph(
    function: mlrun.runtimes.ServingRuntime,
    model_path: Optional[str] = None,
    model_class: str = LLM_SERVER_CLASS,
    settings: Optional[Settings] = None,
    cluster: Optional[bool] = None,
):
    """Give ``function`` the async flow graph; ``model_path`` is the tuned model to serve (a
    model artifact URI or folder; empty serves the base model). ``model_class`` may name an
    ``LLMModelServer`` subclass (tests inject generations that way). Returns the graph.

    Monitoring events: locally the record step writes them to the LiveOps store (settings
    ``liveops_*``); on a cluster (``cluster``, default: not local mode) the function is tracked
    by MLRun's model monitoring (``set_tracking``) and the record step only adds request ids."""
    settings = settings or get_settings()
    if cluster is None:
        from ..local_mode import is_local_mode

        cluster = not is_local_mode()
    serving = ServingConfig.from_settings(settings)
    # The settings' thresholds; the steps prefer those calibrated for the model they serve,
    # read when they start (on a cluster the model is a pipeline output unknown until then).
    thresholds = ServingThresholds(serving.min_confidence, serving.min_groundedness, serving.off_topic_score)
    toxicity = config_args(ToxicityConfig.from_settings(settings))
    models = config_args(ModelConfig.from_settings(settings))
    # exist_ok: a new root replaces any earlier graph, so rebuilding gives the same steps.
    graph = function.set_topology("flow", engine="async", exist_ok=True)
    start = graph
    if cluster:
        # MLRun inserts its API handler step itself when the function starts, but as a start
        # step it would also precede the error handler (a step without a predecessor, too):
        # placed here, it is the graph's first step and MLRun leaves it be.
        start = graph.to(class_name=API_HANDLER_CLASS, name=API_HANDLER_STEP, config=add_openai_frontend(function),
                         full_event=True)
    start.to(
        class_name="genai_flow.serving.steps.Preprocess",
        name="preprocess",
        max_question_chars=serving.max_question_chars,
        max_subject_chars=serving.max_subject_chars,
        max_new_tokens_limit=serving.max_new_tokens_limit,
        thresholds=thresholds.to_dict(),
        model_path=model_path or "",
        toxicity=toxicity,
        pii=config_args(PiiConfig.from_settings(settings)) if serving.mask_pii else None,
        retrieval=config_args(RetrievalConfig.from_settings(settings)) if serving.retrieval else None,
        store=StoreLocation.from_settings(settings).to_dict(),
        models=models,
    ).to(
        class_name="genai_flow.serving.concurrency.ConcurrentModelServer",
        name=LLM_SERVER_STEP,
        model_class=model_class,
        model_path=model_path or "",
        models=models,
        quantization=serving.quantization,
        max_batch_size=serving.max_batch_size,
        batch_wait_ms=serving.batch_wait_ms,
        default_max_new_tokens=serving.max_new_tokens,
        context_tokens=settings.prompt_context_tokens,
        prompt=_library_prompt(serving.prompt),
        max_in_flight=serving.max_batch_size,
        result_path="llm",
    ).to(
        class_name="genai_flow.serving.steps.Postprocess",
        name="postprocess",
        thresholds=thresholds.to_dict(),
        model_path=model_path or "",
        extract_sentences=serving.extract_sentences,
        fallback_answer=serving.fallback_answer,
        refusal=serving.refusal,
        off_topic_answer=serving.off_topic_answer,
        models=models,
    ).to(
        class_name="genai_flow.serving.steps.ToxicityFilter",
        name="toxicity-filter",
        toxicity=toxicity,
        models=models,
        refusal=serving.refusal,
    ).to(
        class_name="genai_flow.serving.record.RecordRequest",
        name="record",
        store=str(serving.liveops_store) if serving.liveops_record and not cluster else None,
        queue_size=serving.liveops_queue_size,
        model_path=model_path or "",
        base_model=settings.llm_model,
        metrics=not cluster,
    ).respond()
    graph.error_handler(name="error", handler="genai_flow.serving.steps.error_response", full_event=True)
    if cluster and serving.liveops_record:
        function.set_tracking()  # MLRun's model endpoints and monitoring stream
    return graph


def add_openai_frontend(function: mlrun.runtimes.ServingRuntime) -> dict:
    """The cluster's OpenAI API, as the local host serves it (local_mode/http_host.py): MLRun's
    own frontend on ``/v1`` (its API handler maps the request into the graph's first step and
    checks the completion going out; preprocess takes the last user message, the record step
    shapes the answer), streaming on (a streamed request's guarded answer goes out a sentence
    per chunk), the native ``POST /`` kept, the graph's extra fields let out under
    ``genai_flow``, and the stored-completion routes, which this graph has no store for, refused.
    Returns the API handler's configuration."""
    from http import HTTPMethod

    from mlrun.common.schemas.serving import APIHandlerAction
    from mlrun.serving.endpoint_mapping import APIHandlerConfig
    from mlrun.serving.openai_mappings import OpenAIEndpoint

    function.spec.api_handler_config = None  # a rebuilt graph gets the same routes, not twice
    function.set_openai_frontend([OpenAIEndpoint.CHAT_COMPLETIONS], prefix=OPENAI_PREFIX)
    config = APIHandlerConfig.from_dict(function.spec.api_handler_config)
    for key, endpoint in config.endpoints.items():
        if key == f"POST:{OPENAI_PREFIX}/chat/completions":
            endpoint.output_body_mappings.add_mapping("$.genai_flow", destination_path="genai_flow")
        else:
            endpoint.action = APIHandlerAction.FORBID
    config.add_endpoint_handler("/", HTTPMethod.POST)
    function.set_api_handler_config(config)
    function.set_streaming()
    return function.spec.api_handler_config


def serving_function(
    project: mlrun.projects.MlrunProject, model_path: Optional[str] = None, model_class: str = LLM_SERVER_CLASS
):
    """The project's `serving` function with the graph for ``model_path``."""
    function = project.get_function("serving")
    build_graph(function, model_path, model_class)
    return function
