"""Registering the embedded run DB with MLRun, in place of ``NopDB``.

With an http(s) ``MLRUN_DBPATH`` MLRun talks to its API server and nothing here is used.
Otherwise MLRun 1.12 falls back to ``NopDB``, which records nothing; :func:`use_embedded_run_db`
registers :class:`EmbeddedRunDB` in its place through MLRun's own DB factory. The MLRun
internals this relies on are checked by :func:`check_mlrun_internals`, so an MLRun upgrade that
moves them fails with a message naming what moved instead of silently recording nothing.
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
# (Only log records are filtered; MLRun's behaviour changes in use_embedded_run_db alone.)
logging.getLogger("mlrun").addFilter(_HideNoApiWarnings())

import mlrun  # noqa: E402
import mlrun.db.factory  # noqa: E402
from dependency_injector import providers  # noqa: E402
from mlrun.config import config as mlconf  # noqa: E402

from .embedded_db import EmbeddedRunDB  # noqa: E402

SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db")


class MLRunInternalsChanged(RuntimeError):
    """The installed MLRun no longer has an internal the embedded run DB plugs into."""


def is_api_url(dbpath: Optional[str]) -> bool:
    return "://" in str(dbpath or "")


def is_sqlite_path(dbpath: Optional[str]) -> bool:
    return bool(dbpath) and str(dbpath).endswith(SQLITE_SUFFIXES)


def check_mlrun_internals() -> None:
    """Raise :class:`MLRunInternalsChanged` naming each MLRun internal that moved.

    The embedded run DB overrides the ``nop`` provider of ``mlrun.db.factory.RunDBContainer``
    (a dependency-injector provider), resets the cached DB of ``RunDBFactory`` and of
    ``mlrun.store_manager``, and subclasses ``mlrun.db.nopdb.NopDB``.
    """
    from mlrun.db.nopdb import NopDB

    missing = []
    container = getattr(mlrun.db.factory, "RunDBContainer", None)
    if container is None:
        missing.append("mlrun.db.factory.RunDBContainer")
    elif not isinstance(getattr(container, "nop", None), providers.Provider):
        missing.append("mlrun.db.factory.RunDBContainer.nop (a dependency-injector provider)")
    factory_class = getattr(mlrun.db.factory, "RunDBFactory", None)
    if factory_class is None:
        missing.append("mlrun.db.factory.RunDBFactory")
    else:
        factory = factory_class()
        for attribute in ("_rundb_container", "_run_db", "_last_db_url"):
            if not hasattr(factory, attribute):
                missing.append(f"mlrun.db.factory.RunDBFactory().{attribute}")
    if not hasattr(mlrun, "store_manager") or not hasattr(mlrun.store_manager, "_db"):
        missing.append("mlrun.store_manager._db")
    for method in ("store_run", "read_run", "list_runs", "store_artifact", "read_artifact",
                   "list_artifacts", "store_function", "get_function", "store_project", "get_project"):
        if not callable(getattr(NopDB, method, None)):
            missing.append(f"mlrun.db.nopdb.NopDB.{method}")
    if missing:
        raise MLRunInternalsChanged(
            f"mlrun {mlrun.__version__} moved what the embedded run DB relies on: "
            + "; ".join(missing)
            + ". Local mode cannot record runs with this MLRun; pin the version in "
            "constraints.txt or adapt genai_flow/local_mode/run_db.py."
        )


def use_embedded_run_db(db_file: Path, artifacts_dir: Path) -> Optional[Path]:
    """Make MLRun record in the SQLite file ``db_file`` unless an MLRun API URL is configured;
    returns the file, or None when an API is configured.

    A dbpath that already names a SQLite file (a parent process's, a test's) wins over
    ``db_file``. Sets ``MLRUN_DBPATH`` so that child processes (the serving process, notebook
    kernels) share the same DB, and MLRun's artifact path to ``artifacts_dir`` (unless
    ``MLRUN_ARTIFACT_PATH`` says otherwise).
    """
    check_mlrun_internals()
    provider = providers.Factory(EmbeddedRunDB)
    factory = mlrun.db.factory.RunDBFactory()
    # The factory copied the container's providers when it was made (maybe already, at import).
    mlrun.db.factory.RunDBContainer.nop.override(provider)
    factory._rundb_container.nop.override(provider)

    dbpath = mlconf.dbpath or os.environ.get("MLRUN_DBPATH", "")
    if is_api_url(dbpath):
        return None
    db_file = Path(dbpath if is_sqlite_path(dbpath) else db_file).expanduser().resolve()
    mlconf.dbpath = str(db_file)
    os.environ["MLRUN_DBPATH"] = str(db_file)
    if not os.environ.get("MLRUN_ARTIFACT_PATH"):
        # Absolute, inside the project: MLRun warns that relative paths stay invisible.
        mlconf.artifact_path = str(artifacts_dir)
    # MLRun caches the DB object it made before this call (a NopDB, or the DB of another
    # file) in its DB factory and in its datastore manager: drop both.
    if not isinstance(factory._run_db, EmbeddedRunDB) or factory._last_db_url != str(db_file):
        factory._run_db = None
        factory._last_db_url = None
        mlrun.store_manager._db = None
    return db_file


def current_db_file() -> Path:
    """The SQLite file MLRun records in now (local mode only)."""
    if not is_sqlite_path(mlconf.dbpath):
        raise RuntimeError(
            f"the embedded run DB is not enabled (MLRun's dbpath is {mlconf.dbpath!r}): "
            "call genai_flow.local_mode.enable() first"
        )
    return Path(mlconf.dbpath)
