"""Record monitoring events without ever blocking or failing a request.

``EventRecorder.record`` only puts the event on a bounded queue: when the queue is full the
event is dropped and counted. A background thread writes what is queued to the store in
batches; a failed write (store unreachable, disk full) loses that batch, counted, and the
thread goes on. ``close`` flushes what is queued (a graceful shutdown); a killed process loses
at most the events still in the queue.
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
import time
from pathlib import Path
from typing import Optional

from .store import EventStore

log = logging.getLogger(__name__)
_STOP = object()


class EventRecorder:
    """A bounded queue in front of an :class:`EventStore`, drained by a background thread."""

    def __init__(self, store: EventStore, capacity: int = 10_000, batch_size: int = 256):
        self.store = store
        self.batch_size = batch_size
        self._queue: queue.Queue = queue.Queue(maxsize=capacity)
        self._lock = threading.Lock()
        self.recorded = self.dropped = self.lost = 0  # written / queue full / write failed
        self.last_error: Optional[str] = None
        self._closed = False
        self._thread = threading.Thread(target=self._drain, name="liveops-recorder", daemon=True)
        self._thread.start()

    def record(self, event: dict) -> bool:
        """Queue ``event``; never blocks or raises. False when it was dropped (queue full or closed)."""
        if not self._closed:
            try:
                self._queue.put_nowait(event)
                return True
            except queue.Full:
                pass
        with self._lock:
            self.dropped += 1
        return False

    def flush(self, timeout_s: float = 5.0) -> bool:
        """Wait until every event queued so far is written (or lost); False on timeout."""
        deadline = time.monotonic() + timeout_s
        with self._queue.all_tasks_done:
            while self._queue.unfinished_tasks:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._queue.all_tasks_done.wait(remaining)
        return True

    def stats(self) -> dict:
        with self._lock:
            return {"recorded": self.recorded, "dropped": self.dropped, "lost": self.lost,
                    "queued": self._queue.qsize(), "last_error": self.last_error}

    def close(self, timeout_s: float = 30.0) -> dict:
        """Write what is queued, stop the thread, return :meth:`stats`."""
        if not self._closed:
            self._closed = True
            try:  # after every queued event: all of them are written first
                self._queue.put(_STOP, timeout=timeout_s)
            except queue.Full:  # the writer is stuck: what is queued stays unwritten
                log.warning("liveops: the recorder did not drain in %.0f s", timeout_s)
                return self.stats()
            self._thread.join(timeout_s)
        return self.stats()

    def _drain(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < self.batch_size:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            events = [item for item in batch if item is not _STOP]
            stop = len(events) < len(batch)  # an event that raced past close() is still written
            if events:
                self._write(events)
            for _ in batch:
                self._queue.task_done()
            if stop:
                return

    def _write(self, batch: list[dict]) -> None:
        try:
            self.store.add_events(batch)
        except Exception as error:  # the store is down or full: count the loss and go on
            with self._lock:
                self.lost += len(batch)
                self.last_error = f"{type(error).__name__}: {error}"
            log.warning("liveops: %d monitoring events lost (%s)", len(batch), self.last_error)
            return
        with self._lock:
            self.recorded += len(batch)


_recorders: dict[Path, EventRecorder] = {}
_registry_lock = threading.Lock()


def recorder_for(path: str | Path, capacity: int = 10_000) -> EventRecorder:
    """The process's recorder for the store at ``path`` (one per file, so the graph's steps
    and a restarted graph share it); flushed at exit."""
    path = Path(path).resolve()
    with _registry_lock:
        recorder = _recorders.get(path)
        if recorder is None or recorder._closed:
            recorder = _recorders[path] = EventRecorder(EventStore(path), capacity)
        return recorder


def flush_recorders(timeout_s: float = 5.0) -> bool:
    """Wait until every recorder of this process has written what is queued; False on timeout."""
    with _registry_lock:
        recorders = list(_recorders.values())
    return all([recorder.flush(timeout_s) for recorder in recorders])


@atexit.register
def close_recorders() -> dict[Path, dict]:
    """Flush and stop every recorder of this process (a graceful shutdown calls this); returns
    each store file's :meth:`EventRecorder.stats`."""
    with _registry_lock:
        recorders = dict(_recorders)
    stats = {path: recorder.close() for path, recorder in recorders.items()}
    for path, figures in stats.items():
        if figures["dropped"] or figures["lost"]:
            log.warning("liveops: %s: %s", path, figures)
    return stats
