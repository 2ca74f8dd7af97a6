"""The LiveOps monitoring application: MLRun's model-monitoring application for the endpoint.

Locally `genai-flow monitor` runs it as a local MLRun job over the recorded events
(``LiveOpsMonitor.evaluate(run_local=True, sample_data=...)``); on a cluster it is registered
with ``project.set_model_monitoring_function`` (monitor.cluster) and MLRun calls it per window
of the serving function's model endpoint. Either way every figure becomes an application
result with a status, and the window's summary (JSON) and dashboard (HTML) are artifacts.
"""

from __future__ import annotations

import json
from typing import Optional

from mlrun.common.schemas.model_monitoring.constants import ResultKindApp, ResultStatusApp
from mlrun.model_monitoring.applications import (
    ModelMonitoringApplicationBase,
    ModelMonitoringApplicationResult,
    MonitoringApplicationContext,
)

# Absolute imports: MLRun loads this file by its path (a local job's command, the code a
# cluster's function embeds), not as part of the package.
from genai_flow.model_loading import ModelConfig
from genai_flow.monitor.analysis import analyse_window
from genai_flow.monitor.checks import ALERT, NO_DATA, OK, WARNING, Check
from genai_flow.monitor.config import MonitorConfig
from genai_flow.monitor.dashboard import dashboard_html

APPLICATION_NAME = "liveops-monitor"
SUMMARY_KEY, DASHBOARD_KEY = "liveops_summary", "liveops_dashboard"
MLRUN_STATUS = {OK: ResultStatusApp.no_detection, WARNING: ResultStatusApp.potential_detection,
                ALERT: ResultStatusApp.detected, NO_DATA: ResultStatusApp.irrelevant}


def mlrun_result(check: Check) -> ModelMonitoringApplicationResult:
    """A check as an MLRun application result (no data: value 0, status irrelevant)."""
    extra = {"status": check.status}
    if check.levels:
        extra["levels"] = list(check.levels)
    if check.reason:
        extra["reason"] = check.reason[:400]
    return ModelMonitoringApplicationResult(
        name=check.name, value=float(check.value or 0.0), kind=getattr(ResultKindApp, check.kind),
        status=MLRUN_STATUS[check.status], extra_data=extra,
    )


class LiveOpsMonitor(ModelMonitoringApplicationBase):
    """Volume, latency, tokens, cost, refusals, withheld and low-confidence answers, PII hits,
    weak retrieval, feedback and input drift of one window of the endpoint's requests.

    :param config:    the thresholds and prices (MonitorConfig.to_dict(), settings monitor_*)
    :param models:    the embedding model for drift (ModelConfig fields)
    :param reference: the training dataset (store:// URI or path) whose questions are the drift
                      reference; None: drift is not measured
    :param window:    the requested window, epoch seconds ``since``/``until`` (for the summary)
    """

    def __init__(self, config: dict, models: dict, reference: Optional[str] = None,
                 window: Optional[dict] = None):
        self.config = MonitorConfig.from_dict(config)
        self.models = ModelConfig(**models)
        self.reference = reference
        self.window = window or {}

    def do_tracking(self, monitoring_context: MonitoringApplicationContext) -> list[ModelMonitoringApplicationResult]:
        from genai_flow.monitor.reference import embed_questions, reference_embeddings

        reference, reference_error = None, None
        if self.reference:
            try:
                reference = reference_embeddings(self.reference, self.models)
            except Exception as error:  # the other figures still count: drift says why it is missing
                reference_error = f"the drift reference {self.reference} cannot be read: {error}"
                monitoring_context.logger.warning(reference_error)
        analysis = analyse_window(
            monitoring_context.sample_df, self.config, reference,
            embed=lambda questions: embed_questions(questions, self.models), window=self.window,
            drift_error=reference_error,
        )
        analysis.summary["reference"] = self.reference
        monitoring_context.logger.info(
            f"{APPLICATION_NAME}: {analysis.summary['requests']} requests, "
            f"{len(analysis.summary['crossed'])} thresholds crossed, "
            f"retrain {'recommended' if analysis.summary['retrain']['recommended'] else 'not recommended'}"
        )
        monitoring_context.log_artifact(
            SUMMARY_KEY, body=json.dumps(analysis.summary, indent=2), format="json", local_path=f"{SUMMARY_KEY}.json"
        )
        page = dashboard_html(analysis.summary, analysis.series, analysis.nearest, analysis.floor, self.config)
        monitoring_context.log_artifact(DASHBOARD_KEY, body=page, format="html", local_path=f"{DASHBOARD_KEY}.html")
        return [mlrun_result(check) for check in analysis.checks]
