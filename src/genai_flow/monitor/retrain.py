"""Retraining from human feedback: a new data version (the training data plus every correction
users gave, as training tickets) and the main workflow run on it, with the model now serving
as the gate's baseline, so the gate still decides whether the new model replaces it."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path
from typing import Optional

from .. import schema
from ..data_prep.sources import is_url
from ..liveops.store import EventStore

# Sorts before the data's own files (kb/, tickets.jsonl): when a correction and an old ticket
# are near duplicates, data-prep keeps the first, the correction. The data keeps its own
# relative paths, so its articles keep their ids and the knowledge base gets no second copy.
CORRECTIONS_FILE = "feedback-corrections/corrections.jsonl"


class RetrainError(RuntimeError):
    """Retraining cannot start; the message says why."""


def corrections(store: EventStore) -> list[dict]:
    """Every correction given so far as a training ticket: the (masked) question of the answer
    that was corrected, with the correction (masked when it was given) as its answer."""
    tickets = []
    for item in store.feedback():
        if not item.get("correction") or not (item.get("question") or "").strip():
            continue
        tickets.append({
            schema.ID: f"feedback-{item['request_id']}",
            schema.TYPE: schema.TICKET,
            schema.SPLIT: schema.TRAIN,  # never the held-out split: evaluate must stay unseen
            schema.SUBJECT: "",
            "question": item["question"],
            schema.ANSWER: item["correction"],
            "rating": item["rating"],
            "feedback_time": item["time"],
        })
    return tickets


def new_data_version(source: str, store: EventStore, versions_dir: Path, now: Optional[float] = None) -> Path:
    """A folder holding a copy of ``source`` (a local folder's files at their own paths, or the
    file) and the corrections; named after its time, e.g. ``v20261130-081500``.

    :raises RetrainError: no corrections were given, or the source is not local.
    """
    if is_url(source):
        raise RetrainError(f"corrections are merged into a local data source, not {source}: export them with "
                           "`genai-flow feedback --export corrections.jsonl` and add them where your data lives")
    tickets = corrections(store)
    if not tickets:
        raise RetrainError("no feedback with a correction yet: there is nothing new to train on")
    source_path = Path(source)
    if not source_path.exists():
        raise RetrainError(f"data source not found: {source_path}")
    stamp = datetime.datetime.fromtimestamp(now or datetime.datetime.now().timestamp(), tz=datetime.timezone.utc)
    version = versions_dir / f"v{stamp:%Y%m%d-%H%M%S}"
    if version.exists():
        raise RetrainError(f"{version} exists already")
    target = version / CORRECTIONS_FILE
    if (source_path / CORRECTIONS_FILE).exists():
        raise RetrainError(f"{source_path} has a {CORRECTIONS_FILE} already: retrain from the original data")
    if source_path.is_dir():
        shutil.copytree(source_path, version, ignore=shutil.ignore_patterns(".*"))
    else:
        version.mkdir(parents=True)
        shutil.copy2(source_path, version / source_path.name)
    target.parent.mkdir(parents=True)
    target.write_text("".join(json.dumps(ticket, ensure_ascii=False) + "\n" for ticket in tickets), encoding="utf-8")
    return version


def retrain_from_feedback(settings, arguments: Optional[dict] = None):
    """Run the main workflow on a new data version (settings' data source, or the ``source``
    argument, plus every correction), with the deployed model as the gate's baseline.

    :returns: (the data version folder, the workflow's status)
    :raises RetrainError: nothing to retrain on; project.WorkflowFailed: the workflow failed.
    """
    from ..data_prep.sources import resolve
    from ..project import run_workflow

    arguments = dict(arguments or {})
    source = resolve(str(arguments.pop("source", settings.data_source)), settings.project_dir)
    store = EventStore(settings.liveops_store_file)
    version = new_data_version(source, store, settings.artifacts_dir / "data_versions")
    status = run_workflow("main", arguments={"deployed_model": "auto", **arguments, "source": str(version)})
    return version, status
