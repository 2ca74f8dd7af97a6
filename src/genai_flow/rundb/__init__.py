"""The embedded run DB: MLRun's run DB in a SQLite file of the project, for local mode.

With an http(s) ``MLRUN_DBPATH`` MLRun talks to its API server and nothing here is used.
Otherwise MLRun would fall back to ``NopDB``, which records nothing; :func:`enable` registers
:class:`EmbeddedRunDB` in its place through MLRun's own DB factory.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Optional


class _HideNoApiWarnings(logging.Filter):
    """MLRun warns "not connected to API server" for every non-URL dbpath; with the embedded
    run DB in place that is the intended local mode, not a misconfiguration."""

    _PREFIXES = ("Could not detect path to API server", "MLRUN_DBPATH is misconfigured")

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self._PREFIXES)


# Before importing mlrun: with MLRUN_DBPATH set, importing mlrun already makes a DB and warns.
logging.getLogger("mlrun").addFilter(_HideNoApiWarnings())

import mlrun  # noqa: E402
import mlrun.db.factory  # noqa: E402
from dependency_injector import providers  # noqa: E402
from mlrun.config import config as mlconf  # noqa: E402

from ..settings import get_settings  # noqa: E402
from .embedded_db import EmbeddedRunDB  # noqa: E402
from .sqlite_store import EmbeddedRunDBError, SQLiteStore  # noqa: E402

__all__ = ["EmbeddedRunDB", "EmbeddedRunDBError", "SQLiteStore", "db_file_for", "enable"]

_SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db")


def is_api_url(dbpath: Optional[str]) -> bool:
    return "://" in str(dbpath or "")


def db_file_for(dbpath: Optional[str]) -> Path:
    """The SQLite file for a non-URL MLRun dbpath: the path itself if it names a SQLite file,
    else the project's default (``GENAI_FLOW_RUNDB_PATH`` or ``<project>/.mlrun/rundb.sqlite``)."""
    if dbpath and str(dbpath).endswith(_SQLITE_SUFFIXES):
        return Path(dbpath).expanduser().resolve()
    return get_settings().rundb_file.expanduser().resolve()


def enable() -> Optional[Path]:
    """Use the embedded run DB unless an MLRun API URL is configured; returns its file or None.

    Sets ``MLRUN_DBPATH`` to the file so that child processes (the serving process, notebook
    kernels) share the same DB, and MLRun's default artifact path to the project's
    ``artifacts/`` folder (unless ``MLRUN_ARTIFACT_PATH`` says otherwise).
    """
    provider = providers.Factory(EmbeddedRunDB)
    factory = mlrun.db.factory.RunDBFactory()
    # The factory copied the container's providers when it was made (maybe already, at import).
    mlrun.db.factory.RunDBContainer.nop.override(provider)
    factory._rundb_container.nop.override(provider)

    dbpath = mlconf.dbpath or os.environ.get("MLRUN_DBPATH", "")
    if is_api_url(dbpath):
        return None
    db_file = db_file_for(dbpath)
    mlconf.dbpath = str(db_file)
    os.environ["MLRUN_DBPATH"] = str(db_file)
    if not os.environ.get("MLRUN_ARTIFACT_PATH"):
        # Absolute, inside the project: MLRun warns that relative paths stay invisible.
        mlconf.artifact_path = str(get_settings().artifacts_dir)
    # MLRun caches the DB object it made before this call (a NopDB, or the DB of another
    # file) in its DB factory and in its datastore manager: drop both.
    if not isinstance(factory._run_db, EmbeddedRunDB) or factory._last_db_url != str(db_file):
        factory._run_db = None
        factory._last_db_url = None
        mlrun.store_manager._db = None
    return db_file
