"""The SQLite file behind the embedded run DB: schema, connections and transactions.

One file holds projects, runs, logs, artifacts and functions as JSON documents with a few
indexed columns to filter on. Several processes may use the file at once (a workflow and the
serving process, say): the journal is in WAL mode, writers take the lock up front
(``BEGIN IMMEDIATE``) and wait for each other, and every change is one transaction, so a crash
mid-write loses nothing that was committed.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from pathlib import Path
from typing import Iterator

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS projects (
    name TEXT PRIMARY KEY,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    project TEXT NOT NULL,
    uid TEXT NOT NULL,
    iter INTEGER NOT NULL,
    name TEXT,
    state TEXT,
    start_time TEXT,
    updated TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (project, uid, iter)
);
CREATE INDEX IF NOT EXISTS runs_by_start ON runs (project, start_time);
CREATE TABLE IF NOT EXISTS logs (
    project TEXT NOT NULL,
    uid TEXT NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (project, uid)
);
CREATE TABLE IF NOT EXISTS artifacts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project TEXT NOT NULL,
    key TEXT NOT NULL,
    iter INTEGER NOT NULL,
    tree TEXT NOT NULL,
    uid TEXT NOT NULL,
    kind TEXT NOT NULL,
    updated TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (project, key, iter, tree)
);
CREATE TABLE IF NOT EXISTS artifact_tags (
    project TEXT NOT NULL,
    key TEXT NOT NULL,
    tag TEXT NOT NULL,
    artifact_id INTEGER NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
    PRIMARY KEY (project, key, tag)
);
CREATE TABLE IF NOT EXISTS functions (
    project TEXT NOT NULL,
    name TEXT NOT NULL,
    hash_key TEXT NOT NULL,
    kind TEXT,
    updated TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (project, name, hash_key)
);
CREATE TABLE IF NOT EXISTS function_tags (
    project TEXT NOT NULL,
    name TEXT NOT NULL,
    tag TEXT NOT NULL,
    hash_key TEXT NOT NULL,
    PRIMARY KEY (project, name, tag)
);
"""


class EmbeddedRunDBError(RuntimeError):
    """The embedded run DB file cannot be used; the message names the file."""


class SQLiteStore:
    """Connections and transactions over one SQLite file, created on first use."""

    def __init__(self, path: Path | str, busy_timeout_s: float = 60.0):
        self.path = Path(path).expanduser().resolve()
        self.busy_timeout_s = busy_timeout_s
        self._local = threading.local()  # sqlite3 connections must stay in their thread
        self._ready = False

    def open(self) -> None:
        """Create the file and schema if needed and check that the file is a usable run DB."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise EmbeddedRunDBError(
                f"cannot create the folder of the embedded run DB {self.path}: {exc}"
            ) from exc
        with self._errors_named():
            conn = self._connection()
            conn.execute("PRAGMA journal_mode=WAL")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise EmbeddedRunDBError(
                    f"the embedded run DB {self.path} has schema version {version}, newer than "
                    f"this genai-flow understands ({SCHEMA_VERSION}): upgrade genai-flow"
                )
            if version < SCHEMA_VERSION:
                # One script, one transaction: a second process creating it too just waits.
                conn.executescript(
                    f"BEGIN IMMEDIATE;{_SCHEMA}PRAGMA user_version={SCHEMA_VERSION};COMMIT;"
                )
        self._ready = True

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A connection for queries (WAL readers see the last committed state)."""
        self._ensure_open()
        with self._errors_named():
            yield self._connection()

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        self._ensure_open()
        with self._errors_named():
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _ensure_open(self) -> None:
        if not self._ready:
            self.open()

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self.path.exists() and not self.path.is_file():
                raise EmbeddedRunDBError(f"the embedded run DB {self.path} is not a file")
            # isolation_level=None: transactions are explicit (see write()).
            conn = sqlite3.connect(
                self.path, timeout=self.busy_timeout_s, isolation_level=None
            )
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    @contextlib.contextmanager
    def _errors_named(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            # Drop the connection: after "file is not a database" it stays unusable.
            conn, self._local.conn = getattr(self._local, "conn", None), None
            if conn is not None:
                conn.close()
            raise EmbeddedRunDBError(
                f"the embedded run DB {self.path} is unreadable or corrupt ({exc}); "
                "move it away to start with an empty one"
            ) from exc
