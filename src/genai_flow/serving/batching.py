"""Dynamic batching: concurrent callers' generation jobs run together as one batch.

Callers block in :meth:`GenerationBatcher.submit` while one worker thread takes whatever jobs
are waiting (after a short window for simultaneous arrivals), runs them as one batch and hands
each caller its own result. Jobs that arrive during a batch form the next one.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future
from typing import Any, Callable, Sequence

_STOP = object()


class GenerationBatcher:
    def __init__(
        self,
        run_batch: Callable[[Sequence[Any]], Sequence[Any]],
        max_batch_size: int,
        max_wait_s: float,
        name: str = "generation-batcher",
    ):
        if max_batch_size < 1:
            raise ValueError("max_batch_size must be at least 1")
        self._run_batch = run_batch
        self.max_batch_size = max_batch_size
        self.max_wait_s = max_wait_s
        self._jobs: queue.Queue = queue.Queue()
        self.batch_sizes: list[int] = []  # what ran, for tests and logs
        self._worker = threading.Thread(target=self._serve, name=name, daemon=True)
        self._worker.start()

    def submit(self, job: Any) -> Future:
        """Queue one job; the future resolves to its result (or raises its batch's error)."""
        future: Future = Future()
        self._jobs.put((job, future))
        return future

    def pending(self) -> int:
        """Jobs waiting for the model (not counting the batch it is generating)."""
        return self._jobs.qsize()

    def close(self) -> None:
        self._jobs.put((_STOP, None))
        self._worker.join(timeout=30)

    def _serve(self) -> None:
        while True:
            first = self._jobs.get()
            if first[0] is _STOP:
                return
            batch = [first]
            stop_after = False
            try:
                while len(batch) < self.max_batch_size:
                    item = self._jobs.get(timeout=self.max_wait_s)
                    if item[0] is _STOP:
                        stop_after = True
                        break
                    batch.append(item)
            except queue.Empty:
                pass
            self._run(batch)
            if stop_after:
                return

    def _run(self, batch: list) -> None:
        self.batch_sizes.append(len(batch))
        try:
            results = self._run_batch([job for job, _ in batch])
            if len(results) != len(batch):
                raise RuntimeError(f"batch of {len(batch)} jobs returned {len(results)} results")
        except BaseException as error:  # every waiting caller must hear about it
            for _, future in batch:
                future.set_exception(error)
            return
        for (_, future), result in zip(batch, results):
            future.set_result(result)
