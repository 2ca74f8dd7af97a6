"""Monitoring events cost the request nothing it would notice: serving latency with recording
on against recording off, in the same run.

Two local HTTP hosts run in this process, the same base model behind each, one recording
every answered request into the LiveOps store (``GENAI_FLOW_LIVEOPS_RECORD=true``, the
default) and one not. The same question with the same number of new tokens goes to each in
turn, ``--requests`` times, so drift on the machine hits both alike. Also timed: the record
step's own work, ``EventRecorder.record`` called directly (what a request waits for).

    python bench/bench_recording.py [--requests 40] [--tokens 8]

Target: p50 overhead of recording at most 2%.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("GENAI_FLOW_SERVING_RETRIEVAL", "false")

import httpx  # noqa: E402
from tabulate import tabulate  # noqa: E402

from genai_flow import local_mode  # noqa: E402
from genai_flow.liveops import EventRecorder, EventStore, close_recorders  # noqa: E402
from genai_flow.settings import reload_settings  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_serving import percentile, start_server  # noqa: E402

local_mode.enable()  # offline models


def start(record: bool, store: Path):
    """A host whose graph is built with recording ``record`` (settings are read at build time)."""
    os.environ["GENAI_FLOW_LIVEOPS_RECORD"] = "true" if record else "false"
    os.environ["GENAI_FLOW_LIVEOPS_STORE_PATH"] = str(store)
    reload_settings()
    return start_server()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--tokens", type=int, default=8)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-recording-"))
    store = folder / "liveops.sqlite"

    recording, recording_url = start(True, store)
    plain, plain_url = start(False, store)
    client = httpx.Client(timeout=600)
    body = {"question": "How do I export my boards to a spreadsheet?", "max_new_tokens": args.tokens}
    for url in (recording_url, plain_url):  # warm-up: PII model, guard, first generation
        client.post(url, json=body).raise_for_status()

    on, off = [], []
    for _ in range(args.requests):
        for url, times in ((recording_url, on), (plain_url, off)):
            start_time = time.perf_counter()
            client.post(url, json=body).raise_for_status()
            times.append(time.perf_counter() - start_time)
    recording.should_exit = plain.should_exit = True
    stats = close_recorders().get(store.resolve(), {})
    recorded = EventStore(store).count()

    # What the record step makes a request wait for: putting one event on the queue.
    recorder = EventRecorder(EventStore(folder / "direct.sqlite"), capacity=100_000)
    event = EventStore(store).events()[-1]
    calls = 10_000
    start_time = time.perf_counter()
    for n in range(calls):
        recorder.record({**event, "request_id": f"direct-{n}"})
    per_call_us = (time.perf_counter() - start_time) / calls * 1e6
    recorder.close()

    overhead = statistics.median(on) / statistics.median(off) - 1
    print(f"{args.requests} requests each, {args.tokens} new tokens; {recorded} events recorded "
          f"(dropped {stats.get('dropped')}, lost {stats.get('lost')})")
    print(tabulate(
        [["recording off", f"{statistics.median(off) * 1000:.1f}", f"{percentile(off, 95) * 1000:.1f}", ""],
         ["recording on", f"{statistics.median(on) * 1000:.1f}", f"{percentile(on, 95) * 1000:.1f}",
          f"{overhead:+.2%}"]],
        headers=["latency", "p50 ms", "p95 ms", "p50 overhead (target <= 2%)"],
    ))
    print(f"EventRecorder.record: {per_call_us:.1f} us per event ({calls} calls)")
    ok = overhead <= 0.02 and recorded == args.requests + 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
