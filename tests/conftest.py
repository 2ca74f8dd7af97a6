"""Shared fixtures: every test that records runs gets its own embedded run DB and artifact folder.

The model cache (materialized LLM) stays shared: building it takes about 20 s.
"""

from __future__ import annotations

import pytest

from .helpers import embedded_run_db


def pytest_configure(config):
    # What the CLI, project_setup.py and the notebooks do: local mode, switched on explicitly.
    from genai_flow import local_mode

    local_mode.enable()


@pytest.fixture
def embedded_db(tmp_path, monkeypatch):
    """A fresh embedded run DB file (and artifact folder) for this test."""
    with embedded_run_db(tmp_path, monkeypatch) as run_db:
        yield run_db
