"""MLRun function `deploy`: put a tuned model behind the serving graph's endpoint."""

from typing import Optional

import mlrun

from ..local_mode import is_local_mode, server_process
from ..serving.config import ServingConfig
from ..serving.graph import serving_function
from ..settings import get_settings


def deploy_model(
    context: mlrun.MLClientCtx,
    model: mlrun.DataItem,
    host: Optional[str] = None,
    port: Optional[int] = None,
) -> None:
    """Deploy the `serving` graph with `model` and record where it answers.

    Local mode: starts (or replaces) a background `genai-flow serve` process on 127.0.0.1,
    waits until `GET /health` answers, and logs the results `endpoint_url`, `pid` and `model`
    (`make stop` stops it). With an MLRun API: deploys the `serving` Nuclio function through
    `project.deploy_function` and logs its `endpoint_url`, the same result shape.

    :param model: the tuned model artifact (from fine-tune).
    :param host: local mode: interface to bind (default: setting serving_host, 127.0.0.1).
    :param port: local mode: port (default: setting serving_port, 8080).
    """
    model_uri = getattr(model, "artifact_url", None) or model.url
    if is_local_mode():
        settings = get_settings()
        config = ServingConfig.from_settings(settings, host=host, port=port)
        state = server_process.start(model_uri, config.host, config.port, settings.project_dir)
        context.log_results({"endpoint_url": state["url"], "pid": state["pid"], "model": model_uri})
        context.logger.info(f"serving {model_uri} at {state['url']} (pid {state['pid']})")
        return
    project = context.get_project_object()
    status = project.deploy_function(serving_function(project, model_uri))
    context.log_results({"endpoint_url": status.outputs.get("endpoint"), "model": model_uri})
