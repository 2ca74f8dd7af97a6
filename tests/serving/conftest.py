"""The serving graph in-process (MLRun's mock server: the real async storey flow), per test."""

from __future__ import annotations

import pytest

from genai_flow.project import load_project
from genai_flow.serving.graph import LLM_SERVER_CLASS, serving_function
from genai_flow.settings import reload_settings

from ..helpers import REPO_ROOT

INJECTED = "tests.assets.serving.injected_models."


@pytest.fixture
def mock_server_for(embedded_db, monkeypatch, tmp_path):
    """Start the project's graph in-process with a given model-server class."""
    monkeypatch.setenv("GENAI_FLOW_CHROMA_PATH", str(tmp_path / "chroma"))  # empty: no passages
    reload_settings()
    servers = []

    def start(model_class: str = LLM_SERVER_CLASS, model_path: str = ""):
        function = serving_function(load_project(REPO_ROOT), model_path, model_class)
        server = function.to_mock_server()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.wait_for_completion()
    monkeypatch.undo()
    reload_settings()
