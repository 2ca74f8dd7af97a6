"""The embedded run DB: real SQLite files, real MLRun local runs and workflows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import mlrun
import pytest

from genai_flow.project import WorkflowFailed, run_workflow
from genai_flow.local_mode import EmbeddedRunDB, EmbeddedRunDBError

from ..helpers import ASSETS, run_cli


def _two_step_project(tmp_path, name="two-step-test"):
    project = mlrun.new_project(name, context=str(tmp_path / "project"), save=True)
    project.spec.artifact_path = str(tmp_path / "artifacts")
    project.set_function(str(ASSETS / "two_step.py"), name="rows", kind="job", image="mlrun/mlrun")
    project.set_workflow("main", str(ASSETS / "two_step_workflow.py"))
    return project


def test_embedded_db_replaces_nopdb(embedded_db, tmp_path):
    assert isinstance(embedded_db, EmbeddedRunDB)
    assert embedded_db.store.path == (tmp_path / "mlrun" / "rundb.sqlite").resolve()


def test_local_workflow_passes_dataset_between_steps(embedded_db, tmp_path):
    project = _two_step_project(tmp_path)
    run_workflow("main", arguments={"rows": 6}, project=project)

    runs = project.list_runs()
    assert [r["metadata"]["name"] for r in runs] == ["rows-count-rows", "rows-make-rows"]
    assert all(r["status"]["state"] == "completed" for r in runs)
    counted = runs[0]["status"]["results"]
    assert counted == {"count": 6, "total": 15}

    # MLRun's own accessors resolve the dataset through the embedded DB.
    uri = runs[1]["status"]["artifact_uris"]["table"]
    assert uri.startswith("store://datasets/two-step-test/rows-make-rows_table")
    assert len(mlrun.get_dataitem(uri).as_df()) == 6
    artifact = project.get_artifact("rows-make-rows_table")
    assert artifact.kind == "dataset" and artifact.spec.length == 6
    keys = [a["metadata"]["key"] for a in project.list_artifacts()]
    assert keys == ["table"]


def test_runs_are_listed_from_a_second_process(embedded_db, tmp_path):
    project = _two_step_project(tmp_path)
    run_workflow("main", arguments={"rows": 3}, project=project)

    result = run_cli("runs", "--json", "--project", project.name)
    listed = json.loads(result.stdout)
    assert [r["name"] for r in listed] == ["rows-count-rows", "rows-make-rows"]
    assert {r["state"] for r in listed} == {"completed"}
    assert listed[0]["results"] == {"count": 3, "total": 3}
    assert all(r["uid"] and r["start_time"] for r in listed)

    table = run_cli("artifacts", "--project", project.name).stdout
    assert "rows-make-rows_table" in table and "dataset" in table


def test_failed_step_fails_the_workflow_and_a_rerun_works(embedded_db, tmp_path):
    project = _two_step_project(tmp_path, name="failing-test")
    failing = tmp_path / "failing_workflow.py"
    failing.write_text(
        textwrap.dedent(
            """
            import mlrun
            from kfp import dsl

            @dsl.pipeline(name="failing")
            def pipeline():
                mlrun.run_function("rows", handler="fail")
            """
        )
    )
    project.set_workflow("broken", str(failing))
    with pytest.raises(WorkflowFailed, match="this step fails on purpose|Failed|failed"):
        run_workflow("broken", project=project)
    assert project.list_runs()[0]["status"]["state"] == "error"

    run_workflow("main", project=project)
    assert project.list_runs()[0]["status"]["state"] == "completed"


def test_artifact_versions_and_latest_tag(embedded_db):
    def artifact(body: str, tree: str) -> dict:
        return {
            "kind": "artifact",
            "metadata": {"key": "notes", "project": "tags-test", "tree": tree},
            "spec": {"body": body, "db_key": "notes"},
        }

    embedded_db.store_artifact("notes", artifact("one", "run-1"), project="tags-test")
    embedded_db.store_artifact("notes", artifact("two", "run-2"), project="tags-test", tag="v2")
    # The same producer storing again replaces its version instead of adding one.
    embedded_db.store_artifact("notes", artifact("two!", "run-2"), project="tags-test", tag="v2")

    latest = embedded_db.read_artifact("notes", project="tags-test")
    assert latest["spec"]["body"] == "two!" and latest["metadata"]["tree"] == "run-2"
    first = embedded_db.read_artifact("notes", project="tags-test", tree="run-1")
    assert first["spec"]["body"] == "one"
    assert embedded_db.read_artifact("notes", project="tags-test", tag="v2")["spec"]["body"] == "two!"
    # A URI written while run-1's version was "latest" still finds it after the tag moved.
    pinned = embedded_db.read_artifact("notes", project="tags-test", tag="latest", tree="run-1")
    assert pinned["spec"]["body"] == "one"
    assert len(embedded_db.list_artifacts(project="tags-test")) == 2
    assert len(embedded_db.list_artifacts(project="tags-test", tag="latest")) == 1
    with pytest.raises(mlrun.errors.MLRunNotFoundError):
        embedded_db.read_artifact("notes", project="tags-test", tag="v3")


def test_update_run_applies_dotted_updates(embedded_db):
    run = {"metadata": {"name": "r", "uid": "u1", "project": "upd"}, "status": {"state": "running"}}
    embedded_db.store_run(run, "u1", "upd")
    embedded_db.update_run({"status.state": "completed", "status.results": {"x": 1}}, "u1", "upd")
    stored = embedded_db.read_run("u1", "upd")
    assert stored["status"] == {"state": "completed", "results": {"x": 1}}
    with pytest.raises(mlrun.errors.MLRunNotFoundError):
        embedded_db.update_run({"status.state": "error"}, "missing", "upd")


def test_functions_are_versioned_by_hash(embedded_db):
    function = mlrun.new_function("fn", kind="job", image="mlrun/mlrun", project="fn-test")
    hash_key = embedded_db.store_function(function.to_dict(), "fn", "fn-test", versioned=True)
    assert embedded_db.get_function("fn", "fn-test")["metadata"]["hash"] == hash_key
    assert embedded_db.get_function("fn", "fn-test", hash_key=hash_key)["kind"] == "job"
    assert [f["metadata"]["name"] for f in embedded_db.list_functions(project="fn-test")] == ["fn"]


_WRITER = """
import sys, mlrun
from genai_flow import local_mode
local_mode.enable()
db = mlrun.get_run_db()
writer, count = sys.argv[1], int(sys.argv[2])
for i in range(count):
    uid = f"{writer}-{i}"
    db.store_run({"metadata": {"name": writer, "uid": uid, "project": "race"},
                  "status": {"state": "running", "start_time": f"2026-01-01T00:00:{i % 60:02d}"}},
                 uid, "race")
    db.update_run({"status.state": "completed", "status.results": {"i": i}}, uid, "race")
    db.store_artifact(f"{writer}_a{i}", {"kind": "artifact",
                      "metadata": {"key": f"a{i}", "project": "race", "tree": uid},
                      "spec": {"db_key": f"{writer}_a{i}"}}, project="race", tree=uid)
    db.store_log(uid, "race", f"line {i}\\n".encode(), append=True)
"""


def test_two_processes_writing_at_once_lose_nothing(embedded_db, tmp_path):
    count = 150
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, name, str(count)], stderr=subprocess.PIPE)
        for name in ("alpha", "beta")
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err.decode()

    runs = embedded_db.list_runs(project="race")
    assert len(runs) == 2 * count
    assert {r["status"]["state"] for r in runs} == {"completed"}
    assert len(embedded_db.list_artifacts(project="race")) == 2 * count
    assert embedded_db.get_log("alpha-7", "race")[1] == b"line 7\n"


def test_unreadable_db_file_gives_a_clear_error(tmp_path):
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"this is not a SQLite database, just some bytes" * 100)
    db = EmbeddedRunDB(str(broken))
    with pytest.raises(EmbeddedRunDBError) as error:
        db.connect()
    assert str(broken) in str(error.value)


def test_db_folder_that_cannot_be_created_names_the_file(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    db = EmbeddedRunDB(str(blocker / "rundb.sqlite"))
    with pytest.raises(EmbeddedRunDBError, match="rundb.sqlite"):
        db.connect()


def test_http_dbpath_uses_the_real_mlrun_api_client(monkeypatch):
    from mlrun.db.factory import RunDBFactory
    from mlrun.db.httpdb import HTTPRunDB

    factory = RunDBFactory()
    monkeypatch.setattr(HTTPRunDB, "connect", lambda self, secrets=None: self)
    db = factory.create_run_db("http://mlrun-api:8080", force_reconnect=True)
    try:
        assert isinstance(db, HTTPRunDB)
    finally:
        factory._run_db = None
        factory._last_db_url = None


def test_a_corrupt_db_file_is_one_line_naming_it_from_the_cli(tmp_path):
    broken = tmp_path / "rundb.sqlite"
    broken.write_bytes(b"SQLite format 3\x00" + b"garbage" * 500)
    result = run_cli("runs", env={"MLRUN_DBPATH": str(broken), "GENAI_FLOW_RUNDB_PATH": str(broken)}, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        f"Error: the embedded run DB {broken} is unreadable or corrupt (file is not a database); "
        "move it away to start with an empty one")


# A workflow of the rows function in its own process: project folder, artifacts, project name,
# workflow file (in ASSETS), then its one argument as name=value.
_WORKFLOW_PROCESS = """
import json, os, sys, mlrun
from genai_flow import local_mode
local_mode.enable()
context, artifacts, name, workflow, argument = sys.argv[1:6]
project = mlrun.get_or_create_project(name, context=context)
project.spec.artifact_path = artifacts
project.set_function(os.path.join(os.path.dirname(workflow), "two_step.py"), name="rows", kind="job",
                     image="mlrun/mlrun")
project.set_workflow("main", workflow)
key, value = argument.split("=")
status = project.run("main", arguments={key: json.loads(value)}, engine="local", watch=True)
sys.exit(0 if status.state == "Succeeded" else 1)
"""


def _workflow_process(tmp_path, name: str, workflow: str, argument: str) -> list[str]:
    return [sys.executable, "-c", _WORKFLOW_PROCESS, str(tmp_path / "project"), str(tmp_path / "artifacts"), name,
            str(ASSETS / workflow), argument]


def test_a_killed_workflow_is_marked_aborted_by_the_next_command_and_a_rerun_succeeds(tmp_path):
    import signal
    import time

    db_file = tmp_path / "rundb.sqlite"
    env = {**os.environ, "MLRUN_DBPATH": str(db_file), "GENAI_FLOW_RUNDB_PATH": str(db_file)}
    running = subprocess.Popen(_workflow_process(tmp_path, "killed-test", "slow_workflow.py", "seconds=120"), env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    db, deadline = EmbeddedRunDB(str(db_file)), time.monotonic() + 120

    def sleeping_runs():
        if not db_file.exists():
            return []
        return [run for run in db.list_runs(project="killed-test") if run["metadata"]["name"] == "rows-sleep-for"]

    while not [run for run in sleeping_runs() if run["status"]["state"] == "running"]:
        assert running.poll() is None and time.monotonic() < deadline, running.stderr.read().decode()[-2000:]
        time.sleep(0.5)
    running.send_signal(signal.SIGKILL)  # in the middle of the step
    running.wait(timeout=30)
    (killed,) = sleeping_runs()
    assert killed["status"]["state"] == "running"  # nobody has noticed yet

    run_cli("runs", "--project", "killed-test", env=env)  # any next command notices
    (aborted,) = sleeping_runs()
    assert aborted["status"]["state"] == "aborted"
    error = aborted["status"]["error"]
    assert f"pid {running.pid}" in error and "ended before it finished" in error

    rerun = subprocess.run(_workflow_process(tmp_path, "killed-test", "slow_workflow.py", "seconds=0"), env=env,
                           capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    states = sorted(run["status"]["state"] for run in sleeping_runs())
    assert states == ["aborted", "completed"]


def test_two_workflows_started_at_once_both_succeed_and_the_run_db_stays_consistent(tmp_path):
    db_file = tmp_path / "rundb.sqlite"
    env = {**os.environ, "MLRUN_DBPATH": str(db_file), "GENAI_FLOW_RUNDB_PATH": str(db_file)}
    starts = [subprocess.Popen(_workflow_process(tmp_path, "together-test", "two_step_workflow.py", f"rows={rows}"),
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for rows in (3, 7)]
    outputs = [process.communicate(timeout=300) for process in starts]
    assert [process.returncode for process in starts] == [0, 0], [err[-2000:] for _, err in outputs]
    db = EmbeddedRunDB(str(db_file))
    runs = db.list_runs(project="together-test")
    assert len(runs) == 4 and {run["status"]["state"] for run in runs} == {"completed"}
    # Each workflow's second step read its own first step's table, not the other's.
    counts = sorted(run["status"]["results"]["count"] for run in runs if run["metadata"]["name"] == "rows-count-rows")
    assert counts == [3, 7]
