"""MLRun's run DB interface, answered from a local SQLite file.

MLRun 1.12 falls back to ``NopDB`` when no API server is configured: runs execute, but nothing
is recorded, so ``run.outputs`` cannot pass an artifact to the next step. ``EmbeddedRunDB``
keeps NopDB's harmless defaults for the server-only features (hub, model monitoring, alerts,
Nuclio builds) and stores what a local project needs: projects, runs, logs, artifacts and
functions, with the same semantics as the MLRun API (artifact versions keyed by producer,
``latest`` tags, function hashes, ``MLRunNotFoundError`` for missing objects).
"""

from __future__ import annotations

import copy
import datetime
import json
import os
import socket
from pathlib import Path
from typing import Any, Iterable, Optional, Union

import mlrun
import mlrun.common.schemas
import mlrun.errors
import mlrun.lists
from mlrun.artifacts.base import fill_artifact_object_hash
from mlrun.config import config as mlconf
from mlrun.db.nopdb import NopDB
from mlrun.utils.helpers import fill_function_hash, get_in, match_labels, update_in

from .sqlite_store import SQLiteStore

# Which process runs an unfinished run (host:pid:process start time), so that a run whose
# process was killed is not left "running" forever: see EmbeddedRunDB.reap_abandoned_runs.
OWNER_ANNOTATION = "genai-flow/owner"
_UNFINISHED = ("created", "pending", "running")


def _process_started(pid: int) -> Optional[float]:
    import psutil

    try:
        return round(psutil.Process(pid).create_time(), 2)
    except psutil.Error:
        return None


def _this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{_process_started(os.getpid())}"


def _gone(owner: str) -> bool:
    """True when ``owner`` (an owner annotation) names a process of this host that has ended."""
    host, pid, started = owner.rsplit(":", 2)
    if host != socket.gethostname():
        return False  # another machine's process: not ours to judge
    now = _process_started(int(pid))
    return now is None or (started != "None" and now != float(started))  # ended, or its pid reused

LATEST = "latest"
ALL_PROJECTS = "*"


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat()


def _dumps(obj: Any) -> str:
    return json.dumps(obj, default=str)


def _label_conditions(labels) -> list[str]:
    """MLRun accepts labels as "a=b,c", ["a=b", "c"] or {"a": "b", "c": None}."""
    if not labels:
        return []
    if isinstance(labels, str):
        return [part for part in labels.split(",") if part.strip()]
    if isinstance(labels, dict):
        return [key if value is None else f"{key}={value}" for key, value in labels.items()]
    return list(labels)


def _utc(value) -> Optional[datetime.datetime]:
    if value is None or value == "":
        return None
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.fromisoformat(str(value))
    return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)


def _in_time_range(value, since, until) -> bool:
    since, until = _utc(since), _utc(until)
    if not since and not until:
        return True
    moment = _utc(value)
    if moment is None:
        return False
    return (not since or moment >= since) and (not until or moment <= until)


def _like(name: str) -> tuple[str, str]:
    """MLRun's ``~name`` means a case-insensitive substring match."""
    if name.startswith("~"):
        return "LIKE", f"%{name[1:]}%"
    return "=", name


class EmbeddedRunDB(NopDB):
    """A run DB in one SQLite file; see the module docstring."""

    kind = "embedded-sqlite"

    def __init__(self, url: Union[str, Path, None] = None, *args, **kwargs):
        # MLRun's DB factory passes its dbpath: the SQLite file local_mode.enable() set.
        super().__init__(url, *args, **kwargs)
        self.store = SQLiteStore(Path(url or mlconf.dbpath).expanduser().resolve())

    # NopDB logs a warning on every attribute access; this class answers for real.
    def __getattribute__(self, attr):
        return object.__getattribute__(self, attr)

    def __repr__(self) -> str:
        return f"EmbeddedRunDB({self.store.path})"

    def connect(self, secrets=None):
        self.store.open()
        return self

    @staticmethod
    def _project(project: Optional[str]) -> str:
        return project or mlconf.active_project or mlconf.default_project

    # ------------------------------------------------------------------ projects
    def store_project(self, name: str, project) -> "mlrun.projects.MlrunProject":
        body = project if isinstance(project, dict) else project.to_dict()
        name = name or body["metadata"]["name"]
        now = _now()
        with self.store.write() as tx:
            tx.execute(
                "INSERT INTO projects (name, created, updated, body) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET updated = excluded.updated, body = excluded.body",
                (name, now, now, _dumps(body)),
            )
        return mlrun.projects.MlrunProject.from_dict(body)

    def create_project(self, project) -> "mlrun.projects.MlrunProject":
        body = project if isinstance(project, dict) else project.to_dict()
        name = body["metadata"]["name"]
        with self.store.read() as conn:
            if conn.execute("SELECT 1 FROM projects WHERE name = ?", (name,)).fetchone():
                raise mlrun.errors.MLRunConflictError(f"project {name} already exists")
        return self.store_project(name, body)

    def patch_project(self, name: str, project: dict, patch_mode=None):
        current = self.get_project(name).to_dict()
        for key, value in project.items():
            if isinstance(value, dict) and isinstance(current.get(key), dict):
                current[key].update(value)
            else:
                current[key] = value
        return self.store_project(name, current)

    def get_project(self, name: str) -> "mlrun.projects.MlrunProject":
        with self.store.read() as conn:
            row = conn.execute("SELECT body FROM projects WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise mlrun.errors.MLRunNotFoundError(f"project {name} not found in {self}")
        return mlrun.projects.MlrunProject.from_dict(json.loads(row["body"]))

    def list_projects(self, owner=None, format_=None, labels=None, state=None):
        with self.store.read() as conn:
            rows = conn.execute("SELECT name, body FROM projects ORDER BY name").fetchall()
        conditions = _label_conditions(labels)
        bodies = [json.loads(row["body"]) for row in rows]
        bodies = [
            b for b in bodies if match_labels(get_in(b, "metadata.labels", {}) or {}, conditions)
        ]
        if format_ in (None, mlrun.common.formatters.ProjectFormat.name_only, "name_only"):
            return [b["metadata"]["name"] for b in bodies]
        return [mlrun.projects.MlrunProject.from_dict(b) for b in bodies]

    def delete_project(self, name: str, deletion_strategy=None):
        with self.store.write() as tx:
            for table in ("runs", "logs", "artifact_tags", "artifacts", "functions", "function_tags"):
                tx.execute(f"DELETE FROM {table} WHERE project = ?", (name,))
            tx.execute("DELETE FROM projects WHERE name = ?", (name,))

    # ---------------------------------------------------------------------- runs
    def store_run(self, struct, uid, project="", iter=0):
        struct = struct if isinstance(struct, dict) else struct.to_dict()
        project = project or get_in(struct, "metadata.project") or self._project(None)
        with self.store.write() as tx:
            self._write_run(tx, struct, uid, project, iter)

    def _write_run(self, tx, struct: dict, uid: str, project: str, iter: int) -> None:
        if get_in(struct, "status.state") in _UNFINISHED:
            annotations = struct.setdefault("metadata", {}).setdefault("annotations", {}) or {}
            annotations.setdefault(OWNER_ANNOTATION, _this_process())
            struct["metadata"]["annotations"] = annotations
        tx.execute(
            "INSERT INTO runs (project, uid, iter, name, state, start_time, updated, body) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project, uid, iter) DO UPDATE SET "
            "name = excluded.name, state = excluded.state, start_time = excluded.start_time, "
            "updated = excluded.updated, body = excluded.body",
            (
                project,
                uid,
                int(iter or 0),
                get_in(struct, "metadata.name"),
                get_in(struct, "status.state"),
                str(get_in(struct, "status.start_time") or ""),
                _now(),
                _dumps(struct),
            ),
        )

    def update_run(self, updates: dict, uid, project="", iter=0, timeout=45):
        project = self._project(project)
        with self.store.write() as tx:
            row = tx.execute(
                "SELECT body FROM runs WHERE project = ? AND uid = ? AND iter = ?",
                (project, uid, int(iter or 0)),
            ).fetchone()
            if row is None:
                raise mlrun.errors.MLRunNotFoundError(f"run {project}/{uid} not found in {self}")
            struct = json.loads(row["body"])
            for key, value in (updates or {}).items():
                update_in(struct, key, value)
            self._write_run(tx, struct, uid, project, iter)

    def reap_abandoned_runs(self) -> list[dict]:
        """Mark aborted the unfinished runs whose process has ended on this machine (killed,
        crashed, the machine restarted): without this, a killed workflow's step stays
        "running" forever. Returns ``{project, uid, iter, name, pid}`` for each."""
        with self.store.read() as conn:
            rows = conn.execute(
                f"SELECT project, uid, iter, name, body FROM runs WHERE state IN ({', '.join('?' * len(_UNFINISHED))})",
                _UNFINISHED,
            ).fetchall()
        reaped = []
        for row in rows:
            owner = (json.loads(row["body"]).get("metadata", {}).get("annotations") or {}).get(OWNER_ANNOTATION)
            if not owner or not _gone(owner):
                continue
            pid = owner.rsplit(":", 2)[1]
            reason = f"aborted: the process running it (pid {pid}) ended before it finished (killed or crashed)"
            self.update_run({"status.state": mlrun.common.runtimes.constants.RunStates.aborted,
                             "status.error": reason, "status.status_text": reason},
                            row["uid"], row["project"], row["iter"])
            reaped.append({"project": row["project"], "uid": row["uid"], "iter": row["iter"], "name": row["name"],
                           "pid": int(pid)})
        return reaped

    def abort_run(self, uid, project="", iter=0, timeout=45, status_text=""):
        updates = {"status.state": mlrun.common.runtimes.constants.RunStates.aborted}
        if status_text:
            updates["status.status_text"] = status_text
        self.update_run(updates, uid, project, iter)

    def read_run(self, uid, project="", iter=0, format_=None):
        project = self._project(project)
        with self.store.read() as conn:
            row = conn.execute(
                "SELECT body FROM runs WHERE project = ? AND uid = ? AND iter = ?",
                (project, uid, int(iter or 0)),
            ).fetchone()
        if row is None:
            raise mlrun.errors.MLRunNotFoundError(f"run {project}/{uid} not found in {self}")
        return json.loads(row["body"])

    def list_runs(
        self,
        name: Optional[str] = None,
        uid: Union[str, list[str], None] = None,
        project: Optional[str] = None,
        labels=None,
        states: Optional[list] = None,
        sort: bool = True,
        iter: bool = False,
        start_time_from=None,
        start_time_to=None,
        last_update_time_from=None,
        last_update_time_to=None,
        end_time_from=None,
        end_time_to=None,
        partition_by=None,
        rows_per_partition: int = 1,
        partition_sort_by=None,
        partition_order=None,
        max_partitions: int = 0,
        with_notifications: bool = False,
        state: Optional[str] = None,
        **kwargs,
    ) -> mlrun.lists.RunList:
        """Runs, newest first; the filters mean what they mean for the MLRun API."""
        where, args = [], []
        project = self._project(project)
        if project != ALL_PROJECTS:
            where.append("project = ?")
            args.append(project)
        if name:
            op, value = _like(name)
            where.append(f"name {op} ?")
            args.append(value)
        if uid:
            uids = [uid] if isinstance(uid, str) else list(uid)
            where.append(f"uid IN ({','.join('?' * len(uids))})")
            args.extend(uids)
        wanted_states = list(states or []) + ([state] if state else [])
        if wanted_states:
            where.append(f"state IN ({','.join('?' * len(wanted_states))})")
            args.extend(str(s) for s in wanted_states)
        if not iter:
            where.append("iter = 0")
        query = "SELECT body FROM runs"
        if where:
            query += " WHERE " + " AND ".join(where)
        query += " ORDER BY start_time DESC, rowid DESC" if sort else " ORDER BY rowid"
        with self.store.read() as conn:
            bodies = [json.loads(row["body"]) for row in conn.execute(query, args)]
        conditions = _label_conditions(labels)
        result = mlrun.lists.RunList()
        for body in bodies:
            status = body.get("status", {})
            if conditions and not match_labels(get_in(body, "metadata.labels", {}) or {}, conditions):
                continue
            if not _in_time_range(status.get("start_time"), start_time_from, start_time_to):
                continue
            if not _in_time_range(
                status.get("last_update"), last_update_time_from, last_update_time_to
            ):
                continue
            if not _in_time_range(status.get("end_time"), end_time_from, end_time_to):
                continue
            result.append(body)
        return result

    def paginated_list_runs(self, *args, page=None, page_size=None, page_token=None, **kwargs):
        return self.list_runs(*args, **kwargs), None

    def del_run(self, uid, project="", iter=0):
        project = self._project(project)
        with self.store.write() as tx:
            tx.execute(
                "DELETE FROM runs WHERE project = ? AND uid = ? AND iter = ?",
                (project, uid, int(iter or 0)),
            )

    def del_runs(self, name="", project="", labels=None, state=None, days_ago=0):
        since = None
        if days_ago:
            since = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days_ago)
        runs = self.list_runs(
            name=name, project=project, labels=labels, state=state, iter=True,
            start_time_from=since,
        )
        with self.store.write() as tx:
            for run in runs:
                meta = run["metadata"]
                tx.execute(
                    "DELETE FROM runs WHERE project = ? AND uid = ? AND iter = ?",
                    (meta.get("project"), meta["uid"], int(meta.get("iteration") or 0)),
                )

    # ---------------------------------------------------------------------- logs
    def store_log(self, uid, project="", body=None, append=False):
        if not body:
            return
        body = body.encode() if isinstance(body, str) else bytes(body)
        project = self._project(project)
        with self.store.write() as tx:
            if append:
                tx.execute(
                    "INSERT INTO logs (project, uid, body) VALUES (?, ?, ?) "
                    "ON CONFLICT (project, uid) DO UPDATE SET body = logs.body || excluded.body",
                    (project, uid, body),
                )
            else:
                tx.execute(
                    "INSERT OR REPLACE INTO logs (project, uid, body) VALUES (?, ?, ?)",
                    (project, uid, body),
                )

    def get_log(self, uid, project="", offset=0, size=None, attempt=None):
        project = self._project(project)
        with self.store.read() as conn:
            row = conn.execute(
                "SELECT body FROM logs WHERE project = ? AND uid = ?", (project, uid)
            ).fetchone()
            state_row = conn.execute(
                "SELECT state FROM runs WHERE project = ? AND uid = ? AND iter = 0", (project, uid)
            ).fetchone()
        state = (state_row["state"] if state_row else None) or "unknown"
        body = bytes(row["body"]) if row else b""
        end = None if size is None or size < 0 else offset + size
        return state, body[offset:end]

    def get_log_size(self, uid, project=""):
        return len(self.get_log(uid, project)[1])

    def watch_log(self, uid, project="", watch=True, offset=0, attempt=None):
        # Local runs finish before anyone can watch them: print what is there.
        state, text = self.get_log(uid, project, offset=offset)
        if text:
            print(text.decode(errors="replace"))
        return state, offset + len(text)

    # ----------------------------------------------------------------- artifacts
    def store_artifact(self, key, artifact, iter=None, tag=None, project="", tree=None):
        """Store one artifact version; the same producer (tree) storing a key again replaces it."""
        body = copy.deepcopy(artifact if isinstance(artifact, dict) else artifact.to_dict())
        project = project or get_in(body, "metadata.project") or self._project(None)
        metadata = body.setdefault("metadata", {})
        metadata["key"] = metadata.get("key") or key
        metadata["project"] = project
        tree = tree or metadata.get("tree") or ""
        iteration = int(iter if iter is not None else metadata.get("iter") or 0)
        uid = fill_artifact_object_hash(body, iteration, tree)
        metadata.update(tree=tree, iter=iteration, uid=uid, updated=_now())
        metadata.pop("tag", None)
        kind = body.get("kind") or "artifact"
        with self.store.write() as tx:
            tx.execute(
                "INSERT INTO artifacts (project, key, iter, tree, uid, kind, updated, body) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project, key, iter, tree) DO UPDATE "
                "SET uid = excluded.uid, kind = excluded.kind, updated = excluded.updated, "
                "body = excluded.body",
                (project, key, iteration, tree, uid, kind, metadata["updated"], _dumps(body)),
            )
            artifact_id = tx.execute(
                "SELECT id FROM artifacts WHERE project = ? AND key = ? AND iter = ? AND tree = ?",
                (project, key, iteration, tree),
            ).fetchone()["id"]
            for name in {LATEST, tag or LATEST}:
                tx.execute(
                    "INSERT OR REPLACE INTO artifact_tags (project, key, tag, artifact_id) "
                    "VALUES (?, ?, ?, ?)",
                    (project, key, name, artifact_id),
                )
        metadata["tag"] = tag or LATEST
        return body

    def read_artifact(
        self, key, tag=None, iter=None, project="", tree=None, uid=None, format_=None
    ):
        project = self._project(project)
        where, args = ["a.project = ?", "a.key = ?"], [project, key]
        if uid:
            where.append("a.uid = ?")
            args.append(uid)
        if tree:
            where.append("a.tree = ?")
            args.append(tree)
        if iter is not None:
            where.append("a.iter = ?")
            args.append(int(iter))
        # A uid or tree pins a version; a tag is a pointer that may have moved on since a URI
        # was written (store://...:latest@tree stays valid after a newer "latest").
        if not (uid or tree):
            where.append(
                "a.id IN (SELECT artifact_id FROM artifact_tags WHERE project = ? AND key = ? "
                "AND tag = ?)"
            )
            args.extend([project, key, tag or LATEST])
        rows = self._artifact_rows(" AND ".join(where), args, order="a.iter, a.id DESC")
        if not rows:
            wanted = f"{project}/{key}" + (f":{tag}" if tag else "") + (f"@{tree}" if tree else "")
            raise mlrun.errors.MLRunNotFoundError(f"artifact {wanted} not found in {self}")
        return rows[0]

    def list_artifacts(
        self,
        name="",
        project="",
        tag=None,
        labels=None,
        since=None,
        until=None,
        iter: Optional[int] = None,
        best_iteration: bool = False,
        kind: Optional[str] = None,
        category=None,
        tree: Optional[str] = None,
        producer_uri: Optional[str] = None,
        parent: Optional[str] = None,
        format_=None,
        partition_by=None,
        rows_per_partition: int = 1,
        partition_sort_by=None,
        partition_order=None,
        **kwargs,
    ) -> mlrun.lists.ArtifactList:
        """Artifact versions, newest first; ``tag="latest"`` keeps the newest of each key."""
        project = self._project(project)
        where, args = [], []
        if project != ALL_PROJECTS:
            where.append("a.project = ?")
            args.append(project)
        if name:
            op, value = _like(name)
            where.append(f"a.key {op} ?")
            args.append(value)
        if tag and tag != "*":
            where.append(
                "a.id IN (SELECT artifact_id FROM artifact_tags t WHERE t.project = a.project "
                "AND t.key = a.key AND t.tag = ?)"
            )
            args.append(tag)
        if iter is not None:
            where.append("a.iter = ?")
            args.append(int(iter))
        elif best_iteration:
            where.append("a.iter = 0")
        if kind:
            where.append("a.kind = ?")
            args.append(kind)
        if category:
            kinds, exclude = mlrun.common.schemas.ArtifactCategories(category).to_kinds_filter()
            where.append(f"a.kind {'NOT ' if exclude else ''}IN ({','.join('?' * len(kinds))})")
            args.extend(kinds)
        if tree:
            where.append("a.tree = ?")
            args.append(tree)
        rows = self._artifact_rows(" AND ".join(where) or "1", args, order="a.updated DESC")
        conditions = _label_conditions(labels)
        result = mlrun.lists.ArtifactList()
        for body in rows:
            meta = body["metadata"]
            if conditions and not match_labels(meta.get("labels") or {}, conditions):
                continue
            if producer_uri and get_in(body, "spec.producer.uri") != producer_uri:
                continue
            if not _in_time_range(meta.get("updated"), since, until):
                continue
            result.append(body)
        result.tag = tag or ""
        return result

    def paginated_list_artifacts(self, *args, page=None, page_size=None, page_token=None, **kw):
        return self.list_artifacts(*args, **kw), None

    def _artifact_rows(self, where: str, args: Iterable, order: str) -> list[dict]:
        query = (
            "SELECT a.body, (SELECT group_concat(t.tag) FROM artifact_tags t "
            "WHERE t.artifact_id = a.id) AS tags FROM artifacts a "
            f"WHERE {where} ORDER BY {order}"
        )
        with self.store.read() as conn:
            rows = conn.execute(query, list(args)).fetchall()
        bodies = []
        for row in rows:
            body = json.loads(row["body"])
            tags = sorted((row["tags"] or "").split(",")) if row["tags"] else []
            # An explicit tag reads better than "latest" when a version has both.
            named = [t for t in tags if t != LATEST]
            body["metadata"]["tag"] = named[0] if named else (LATEST if tags else "")
            bodies.append(body)
        return bodies

    def del_artifact(
        self, key, tag=None, project="", tree=None, uid=None, deletion_strategy=None,
        secrets=None, iter=None,
    ):
        project = self._project(project)
        where, args = ["project = ?", "key = ?"], [project, key]
        for column, value in (("tree", tree), ("uid", uid), ("iter", iter)):
            if value is not None and value != "":
                where.append(f"{column} = ?")
                args.append(value)
        if tag:
            where.append(
                "id IN (SELECT artifact_id FROM artifact_tags WHERE project = ? AND key = ? "
                "AND tag = ?)"
            )
            args.extend([project, key, tag])
        with self.store.write() as tx:
            tx.execute(f"DELETE FROM artifacts WHERE {' AND '.join(where)}", args)

    def del_artifacts(self, name="", project="", tag="", labels=None):
        for body in self.list_artifacts(name=name, project=project, tag=tag, labels=labels):
            meta = body["metadata"]
            self.del_artifact(
                meta.get("db_key") or get_in(body, "spec.db_key") or meta["key"],
                project=meta["project"],
                tree=meta.get("tree"),
                uid=meta.get("uid"),
            )

    def list_artifact_tags(self, project=None, category=None):
        with self.store.read() as conn:
            rows = conn.execute(
                "SELECT DISTINCT tag FROM artifact_tags WHERE project = ? ORDER BY tag",
                (self._project(project),),
            ).fetchall()
        return [row["tag"] for row in rows]

    # ----------------------------------------------------------------- functions
    def store_function(self, function, name, project="", tag="", versioned=False):
        body = copy.deepcopy(function if isinstance(function, dict) else function.to_dict())
        project = project or get_in(body, "metadata.project") or self._project(None)
        name = mlrun.utils.normalize_name(name)
        tag = tag or get_in(body, "metadata.tag") or LATEST
        hash_key = fill_function_hash(body, tag) if versioned else "unversioned"
        body.setdefault("metadata", {}).update(name=name, project=project, tag=tag)
        body["metadata"]["hash"] = hash_key if versioned else ""
        now = _now()
        body["metadata"]["updated"] = now
        with self.store.write() as tx:
            tx.execute(
                "INSERT OR REPLACE INTO functions (project, name, hash_key, kind, updated, body) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (project, name, hash_key, body.get("kind"), now, _dumps(body)),
            )
            tx.execute(
                "INSERT OR REPLACE INTO function_tags (project, name, tag, hash_key) "
                "VALUES (?, ?, ?, ?)",
                (project, name, tag, hash_key),
            )
        return hash_key

    def get_function(self, name, project="", tag="", hash_key=""):
        project = self._project(project)
        with self.store.read() as conn:
            if hash_key:
                row = conn.execute(
                    "SELECT body FROM functions WHERE project = ? AND name = ? AND hash_key = ?",
                    (project, name, hash_key),
                ).fetchone()
            else:
                row = conn.execute(
                    "SELECT f.body FROM functions f JOIN function_tags t ON t.project = f.project "
                    "AND t.name = f.name AND t.hash_key = f.hash_key "
                    "WHERE f.project = ? AND f.name = ? AND t.tag = ?",
                    (project, name, tag or LATEST),
                ).fetchone()
        if row is None:
            raise mlrun.errors.MLRunNotFoundError(
                f"function {project}/{name}:{tag or hash_key or LATEST} not found in {self}"
            )
        return json.loads(row["body"])

    def list_functions(
        self, name=None, project=None, tag=None, kind=None, labels=None, states=None,
        format_=None, since=None, until=None, **kwargs,
    ):
        project = self._project(project)
        where, args = [], []
        if project != ALL_PROJECTS:
            where.append("f.project = ?")
            args.append(project)
        if name:
            op, value = _like(name)
            where.append(f"f.name {op} ?")
            args.append(value)
        if kind:
            where.append("f.kind = ?")
            args.append(kind)
        if tag and tag != "*":
            where.append(
                "EXISTS (SELECT 1 FROM function_tags t WHERE t.project = f.project "
                "AND t.name = f.name AND t.hash_key = f.hash_key AND t.tag = ?)"
            )
            args.append(tag)
        query = "SELECT f.body FROM functions f"
        if where:
            query += " WHERE " + " AND ".join(where)
        with self.store.read() as conn:
            bodies = [json.loads(r["body"]) for r in conn.execute(query + " ORDER BY f.updated DESC", args)]
        conditions = _label_conditions(labels)
        return [
            body
            for body in bodies
            if match_labels(get_in(body, "metadata.labels", {}) or {}, conditions)
            and _in_time_range(get_in(body, "metadata.updated"), since, until)
        ]

    def paginated_list_functions(self, *args, page=None, page_size=None, page_token=None, **kw):
        return self.list_functions(*args, **kw), None

    def delete_function(self, name: str, project: str = ""):
        project = self._project(project)
        with self.store.write() as tx:
            tx.execute("DELETE FROM functions WHERE project = ? AND name = ?", (project, name))
            tx.execute("DELETE FROM function_tags WHERE project = ? AND name = ?", (project, name))
