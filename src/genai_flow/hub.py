"""MLRun Function Hub items this project can use, and their offline stand-ins.

``hub_imports/manifest.yaml`` pins each hub item (name, version) and names the project code
that stands in for it. :func:`resolve` picks one:

- an MLRun API is configured (``MLRUN_DBPATH=http(s)://...``): the hub item,
  ``hub://<name>:<version>``, fetched through that API (``hub://`` needs one);
- otherwise, or when the API cannot reach the hub: the local twin.

It logs which it chose and why. No hub code lives in this repository.

Example::

    pii = genai_flow.hub.resolve("pii-recognizer")
    project.run_function(pii.get_function(project), ...)    # hub function or the `pii` job
    guard = genai_flow.hub.resolve("toxicity_guardrail")
    graph.to(class_name=guard.class_name, name="toxicity-guard")  # hub:// URL or local class
"""

from __future__ import annotations

import importlib
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import mlrun
import yaml

from .project import is_local_mode
from .settings import repository_root

logger = logging.getLogger(__name__)

KINDS = ("function", "step")
# A pinned version: digits and dots (a semantic version), never a moving tag such as "latest".
_PINNED = re.compile(r"^\d+(\.\d+){1,2}$")


class ManifestError(ValueError):
    """The manifest is missing, unreadable, or an item in it is incomplete."""


class HubUnavailable(RuntimeError):
    """The hub was required (``prefer="hub"``) but the item could not be fetched."""


@dataclass(frozen=True)
class HubItem:
    """One pinned hub item and its local twin, as the manifest declares them."""

    name: str
    kind: str  # "function" or "step"
    version: str
    hub_kind: str
    handler: str  # the hub handler (function) or class (step)
    local: dict  # {"function", "handler"} or {"class_name"}
    description: str = ""
    parameters: dict = field(default_factory=dict)
    differences: str = ""

    @property
    def hub_url(self) -> str:
        return f"hub://{self.name}:{self.version}"

    @property
    def local_target(self) -> str:
        """The twin's dotted path: a handler function or a step class."""
        return self.local["handler"] if self.kind == "function" else self.local["class_name"]


@dataclass
class Resolved:
    """What to use for one item here and now."""

    item: HubItem
    source: str  # "hub" or "local"
    uri: str  # hub://name:version, or the local dotted path
    reason: str  # why this source was chosen
    hub_object: Any = None  # the imported hub function / the hub step's metadata

    @property
    def class_name(self) -> str:
        """For a step: what ``graph.to(class_name=...)`` takes (a hub URL or a local class)."""
        if self.item.kind != "step":
            raise TypeError(f"{self.item.name} is a function, not a serving step")
        return self.uri

    def get_function(self, project: mlrun.projects.MlrunProject):
        """For a function: the imported hub function, or the project's own twin (e.g. `pii`)."""
        if self.item.kind != "function":
            raise TypeError(f"{self.item.name} is a serving step: use .class_name in a graph")
        if self.source == "hub":
            return self.hub_object
        return project.get_function(self.item.local["function"])


def default_manifest_path() -> Path:
    """The manifest that ships with this code (it names this code's local twins)."""
    return repository_root() / "hub_imports" / "manifest.yaml"


def load_manifest(path: Optional[Path] = None) -> dict[str, HubItem]:
    """The manifest's items by name; :class:`ManifestError` naming the file and the problem."""
    path = Path(path or default_manifest_path())
    try:
        document = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as error:
        raise ManifestError(f"cannot read hub manifest {path}: {error}") from None
    items = (document or {}).get("items")
    if not isinstance(items, dict) or not items:
        raise ManifestError(f"{path}: expected a non-empty mapping under `items`")
    return {name: _item(path, name, entry) for name, entry in items.items()}


def _item(path: Path, name: str, entry: Any) -> HubItem:
    def problem(text: str) -> ManifestError:
        return ManifestError(f"{path}: item {name}: {text}")

    if not isinstance(entry, dict):
        raise problem("expected a mapping")
    missing = [key for key in ("kind", "version", "hub_kind", "handler", "local") if not entry.get(key)]
    if missing:
        raise problem(f"missing {', '.join(missing)}")
    if entry["kind"] not in KINDS:
        raise problem(f"kind must be one of {', '.join(KINDS)}, got {entry['kind']!r}")
    version = str(entry["version"])
    if not _PINNED.match(version):
        raise problem(f"version must be pinned (e.g. 1.0.0), got {version!r}")
    local = entry["local"]
    needed = ("function", "handler") if entry["kind"] == "function" else ("class_name",)
    if not isinstance(local, dict) or any(not local.get(key) for key in needed):
        raise problem(f"local must give {' and '.join(needed)}")
    return HubItem(
        name=name,
        kind=entry["kind"],
        version=version,
        hub_kind=entry["hub_kind"],
        handler=entry["handler"],
        local=dict(local),
        description=entry.get("description", ""),
        parameters=dict(entry.get("parameters") or {}),
        differences=entry.get("differences", ""),
    )


def import_local(item: HubItem):
    """The local twin itself (the handler function or step class); ImportError if it is gone."""
    module_name, _, attribute = item.local_target.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)


def resolve(
    name: str,
    prefer: str = "auto",
    manifest: Optional[dict[str, HubItem]] = None,
) -> Resolved:
    """The hub item or its local twin, logged.

    :param name: a manifest item, e.g. "pii-recognizer" or "toxicity_guardrail".
    :param prefer: "auto" (the hub when an MLRun API is configured and reaches it, else the
        twin), "hub" (the hub or :class:`HubUnavailable`), "local" (always the twin).
    :param manifest: items to choose from (default: hub_imports/manifest.yaml).
    """
    if prefer not in ("auto", "hub", "local"):
        raise ValueError(f"prefer must be auto, hub or local, got {prefer!r}")
    items = manifest if manifest is not None else load_manifest()
    if name not in items:
        raise KeyError(f"{name!r} is not in the hub manifest (it has: {', '.join(sorted(items))})")
    item = items[name]

    if prefer == "local":
        return _local(item, "local requested")
    if is_local_mode():
        if prefer == "hub":
            raise HubUnavailable(f"{item.hub_url} needs an MLRun API: set MLRUN_DBPATH to its URL")
        return _local(item, "no MLRun API configured (hub:// needs one)")
    try:
        hub_object = _fetch(item)
    except Exception as error:  # whatever the API or the hub answered; the message names it
        if prefer == "hub":
            raise HubUnavailable(f"cannot fetch {item.hub_url}: {error}") from error
        return _local(item, f"the MLRun API could not fetch {item.hub_url}: {error}")
    logger.info("hub item %s: using %s (from the MLRun API's hub)", item.name, item.hub_url)
    return Resolved(item, "hub", item.hub_url, "MLRun API configured", hub_object)


def _fetch(item: HubItem):
    # mlrun.* through the module, so that tests can stand in for the hub at this boundary.
    if item.kind == "function":
        return mlrun.import_function(item.hub_url)
    return mlrun.get_hub_step(item.hub_url, download_files=False)


def _local(item: HubItem, reason: str) -> Resolved:
    logger.info("hub item %s: using the local twin %s (%s)", item.name, item.local_target, reason)
    return Resolved(item, "local", item.local_target, reason)
