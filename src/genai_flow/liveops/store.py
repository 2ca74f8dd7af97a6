"""The LiveOps store: monitoring events and human feedback in one SQLite file inside the
project folder.

WAL mode lets one process write (the serving process) while others read (the monitor, the
CLI). Each event is kept whole as JSON, keyed by its request id, with its time indexed for
windows; feedback is one row per request id (new feedback for a request replaces the old).
Every call opens its own connection, so any thread may use the store.
"""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Optional

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    request_id TEXT PRIMARY KEY,
    time REAL NOT NULL,
    event TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_time ON events (time);
CREATE TABLE IF NOT EXISTS feedback (
    request_id TEXT PRIMARY KEY,
    time REAL NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    correction TEXT,
    comment TEXT
);
"""
FEEDBACK_COLUMNS = ("request_id", "time", "rating", "correction", "comment")
FEEDBACK_FIELDS = (*FEEDBACK_COLUMNS, "question", "answer")  # what feedback() gives per item
BUSY_TIMEOUT_S = 5.0  # a reader's or writer's wait for the other's lock


class EventStore:
    """Monitoring events in the SQLite file ``path`` (created with its folder on first use)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)
        if not self._ready:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(SCHEMA)
            self._ready = True
        return connection

    def add_events(self, events: list[dict]) -> None:
        """Write ``events`` (each with ``request_id`` and ``time``, epoch seconds) in one transaction."""
        rows = [(event["request_id"], float(event["time"]), json.dumps(event, ensure_ascii=False)) for event in events]
        with closing(self._connect()) as connection, connection:
            connection.executemany("INSERT OR REPLACE INTO events VALUES (?, ?, ?)", rows)

    def events(self, since: Optional[float] = None, until: Optional[float] = None) -> list[dict]:
        """The events with ``since <= time < until`` (epoch seconds; None: unbounded), oldest first."""
        query, bounds = "SELECT event FROM events WHERE time >= ? AND time < ? ORDER BY time", (
            float("-inf") if since is None else since, float("inf") if until is None else until)
        with closing(self._connect()) as connection:
            return [json.loads(row[0]) for row in connection.execute(query, bounds)]

    def event(self, request_id: str) -> Optional[dict]:
        with closing(self._connect()) as connection:
            row = connection.execute("SELECT event FROM events WHERE request_id = ?", (request_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def count(self) -> int:
        with closing(self._connect()) as connection:
            return connection.execute("SELECT COUNT(*) FROM events").fetchone()[0]

    def put_feedback(self, request_id: str, rating: int, correction: Optional[str] = None,
                     comment: Optional[str] = None, at: Optional[float] = None) -> dict:
        """Store feedback on the answer ``request_id`` (replacing earlier feedback on it).

        :raises KeyError: no event has that request id.
        """
        row = (request_id, time.time() if at is None else at, rating, correction, comment)
        with closing(self._connect()) as connection, connection:
            if connection.execute("SELECT 1 FROM events WHERE request_id = ?", (request_id,)).fetchone() is None:
                raise KeyError(request_id)
            connection.execute("INSERT OR REPLACE INTO feedback VALUES (?, ?, ?, ?, ?)", row)
        return dict(zip(FEEDBACK_COLUMNS, row))

    def feedback(self, since: Optional[float] = None, until: Optional[float] = None) -> list[dict]:
        """Feedback given in ``since <= time < until``, oldest first, each with its event's
        question and answer (``question``, ``answer``)."""
        query = ("SELECT f.request_id, f.time, f.rating, f.correction, f.comment, e.event FROM feedback f "
                 "JOIN events e USING (request_id) WHERE f.time >= ? AND f.time < ? ORDER BY f.time")
        bounds = (float("-inf") if since is None else since, float("inf") if until is None else until)
        with closing(self._connect()) as connection:
            rows = connection.execute(query, bounds).fetchall()
        result = []
        for row in rows:
            event = json.loads(row[-1])
            result.append({**dict(zip(FEEDBACK_COLUMNS, row[:-1])), "question": event.get("question"),
                           "answer": event.get("answer")})
        return result
