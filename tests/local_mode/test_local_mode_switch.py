"""Local mode is switched on in one visible place, and fails loudly if MLRun moves under it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import mlrun.db.factory
import pytest

from genai_flow.local_mode import MLRunInternalsChanged, check_mlrun_internals

from ..helpers import REPO_ROOT

_IMPORT_EVERYTHING = """
import os, mlrun
from mlrun.db.nopdb import NopDB
import genai_flow, genai_flow.project, genai_flow.cli, genai_flow.embed, genai_flow.serving.graph
import genai_flow.local_mode.http_host, genai_flow.local_mode.server_process
db = mlrun.get_run_db()
assert type(db) is NopDB, type(db)
assert "HF_HUB_OFFLINE" not in os.environ
from genai_flow import local_mode
local_mode.enable()
assert type(mlrun.get_run_db()).__name__ == "EmbeddedRunDB"
assert os.environ["HF_HUB_OFFLINE"] == "1"
print("ok")
"""


def test_importing_the_package_changes_nothing_until_enable_is_called(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLRUN_", "HF_", "TRANSFORMERS_"))}
    env["GENAI_FLOW_RUNDB_PATH"] = str(tmp_path / "rundb.sqlite")
    done = subprocess.run([sys.executable, "-c", _IMPORT_EVERYTHING], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-3000:]
    assert (tmp_path / "rundb.sqlite").is_file()


def test_the_mlrun_internals_the_embedded_run_db_uses_are_there():
    check_mlrun_internals()


def test_a_moved_mlrun_internal_is_named(monkeypatch):
    monkeypatch.delattr(mlrun.db.factory.RunDBContainer, "nop")
    monkeypatch.delattr(mlrun.db.factory.RunDBFactory, "_rundb_container", raising=False)
    with pytest.raises(MLRunInternalsChanged) as error:
        check_mlrun_internals()
    assert "mlrun.db.factory.RunDBContainer.nop" in str(error.value)
    assert mlrun.__version__ in str(error.value)


def _git(folder, *args):
    return subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, text=True).stdout


def test_plain_mlrun_load_project_leaves_the_checkout_clean(tmp_path):
    """MLRun's docs say `mlrun.load_project(".")`; with the embedded run DB on, MLRun saves the
    project and re-exports project.yaml. In a clone whose git remote is a local path (as in CI),
    the file must come out byte-identical."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    for name in ("project.yaml", "project_setup.py"):
        shutil.copy(REPO_ROOT / name, checkout / name)
    shutil.copytree(REPO_ROOT / "workflows", checkout / "workflows")
    _git(checkout, "init", "-q", "-b", "main")
    _git(checkout, "-c", "user.email=t@example.invalid", "-c", "user.name=t", "add", ".")
    _git(checkout, "-c", "user.email=t@example.invalid", "-c", "user.name=t", "commit", "-q", "-m", "x")
    _git(checkout, "remote", "add", "origin", str(tmp_path / "mirror.git"))
    script = (
        "from genai_flow import local_mode\n"
        "local_mode.enable()\n"
        "import mlrun\n"
        "project = mlrun.load_project('.')\n"
        "assert project.get_function('serving').spec.graph is not None\n"
        "assert mlrun.get_run_db().get_project('genai-flow').metadata.name == 'genai-flow'\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLRUN_")}
    env["MLRUN_DBPATH"] = str(tmp_path / "rundb.sqlite")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                          cwd=checkout, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert _git(checkout, "status", "--porcelain") == "", _git(checkout, "diff")
