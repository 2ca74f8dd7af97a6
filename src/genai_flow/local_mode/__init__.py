"""Local mode: everything that stands in for a cluster on one machine.

- ``run_db`` / ``embedded_db`` / ``sqlite_store``: MLRun's run DB in a SQLite file of the
  project, in place of an MLRun API server;
- ``http_host``: the serving graph behind a real HTTP server on 127.0.0.1;
- ``server_process``: that server as a background process (start, stop, find, wait healthy).

:func:`enable` is the one switch. ``project_setup.py``, the CLI, the notebooks and
:func:`genai_flow.project.load_project` call it; importing a module of the package does not
change MLRun's behaviour.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Optional

# run_db first: it filters MLRun's "no API server" warnings before mlrun is imported.
from .run_db import MLRunInternalsChanged, check_mlrun_internals, is_api_url, use_embedded_run_db

from mlrun.config import config as mlconf  # noqa: E402

from ..settings import Settings, get_settings  # noqa: E402
from .embedded_db import EmbeddedRunDB  # noqa: E402
from .sqlite_store import EmbeddedRunDBError, SQLiteStore

__all__ = [
    "EmbeddedRunDB", "EmbeddedRunDBError", "MLRunInternalsChanged", "SQLiteStore",
    "check_mlrun_internals", "enable", "is_local_mode",
]

_HF_OFFLINE_VARIABLES = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE")


def enable(settings: Optional[Settings] = None) -> Optional[Path]:
    """Switch local mode on: returns the embedded run DB file, or None with an MLRun API.

    - with no MLRun API configured (``MLRUN_DBPATH`` unset or not a URL), MLRun records runs,
      artifacts and functions in the embedded run DB (``settings.rundb_file``);
    - with ``settings.offline`` (the default) the Hugging Face libraries never reach the hub:
      every default model ships in an installed package.

    Calling it again (say, after the environment changed) switches to the new file.
    """
    settings = settings or get_settings()
    if settings.offline:
        for variable in _HF_OFFLINE_VARIABLES:
            os.environ.setdefault(variable, "1")
        os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    db_file = use_embedded_run_db(settings.rundb_file, settings.artifacts_dir)
    if db_file is not None and db_file.exists():
        # A run left "running" by a killed process is marked aborted by the next command.
        for run in EmbeddedRunDB(str(db_file)).reap_abandoned_runs():
            logging.getLogger(__name__).warning(
                "run %s (%s/%s) was left unfinished by process %s, which is gone: marked aborted",
                run["name"], run["project"], run["uid"], run["pid"])
    return db_file


def is_local_mode() -> bool:
    """True when no MLRun API is configured: runs go to the embedded run DB."""
    return not is_api_url(mlconf.dbpath)
