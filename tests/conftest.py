"""Shared fixtures: every test that records runs gets its own embedded run DB and artifact folder.

The model cache (materialized LLM) stays shared: building it takes about 20 s.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def embedded_db(tmp_path, monkeypatch):
    """A fresh embedded run DB file (and artifact folder) for this test."""
    import mlrun
    from mlrun.config import config as mlconf

    from genai_flow import rundb
    from genai_flow.settings import reload_settings

    db_file = tmp_path / "mlrun" / "rundb.sqlite"
    monkeypatch.setenv("MLRUN_DBPATH", str(db_file))
    monkeypatch.setenv("GENAI_FLOW_RUNDB_PATH", str(db_file))
    monkeypatch.setenv("GENAI_FLOW_ARTIFACT_PATH", str(tmp_path / "artifacts"))
    previous_dbpath = mlconf.dbpath
    mlconf.dbpath = str(db_file)
    reload_settings()
    rundb.enable()
    yield mlrun.get_run_db()
    monkeypatch.undo()
    mlconf.dbpath = previous_dbpath
    reload_settings()
    rundb.enable()
