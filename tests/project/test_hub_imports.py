"""hub_imports/: the pinned MLRun Function Hub items, their local twins, and how one is chosen.

The hub is not reachable here (``hub://`` needs an MLRun API with internet access): tests named
``..._mock_hub`` stand in for ``mlrun.import_function`` / ``mlrun.get_hub_step``, the calls that
would fetch from it, and check what is asked for and what is used.
"""

from __future__ import annotations

import inspect
import logging

import mlrun
import pytest
from mlrun.config import config as mlconf

from genai_flow import hub
from genai_flow.project import load_project

from ..helpers import REPO_ROOT

API_URL = "http://mlrun-api.example:8080"


@pytest.fixture
def api_configured():
    """MLRUN_DBPATH pointing at an MLRun API (nothing is sent to it here)."""
    previous = mlconf.dbpath
    mlconf.dbpath = API_URL  # mlconf attributes are dynamic: set and restore by hand
    yield API_URL
    mlconf.dbpath = previous


@pytest.fixture
def fake_hub(monkeypatch, api_configured):
    """A configured MLRun API and a hub that answers: records what was fetched."""
    fetched = []

    def import_function(url, *args, **kwargs):
        fetched.append(url)
        return {"imported": url}

    def get_hub_step(url, *args, download_files=True, **kwargs):
        fetched.append(url)
        assert download_files is False  # MLRun fetches the step code itself, at graph init
        return {"step": url}

    monkeypatch.setattr(mlrun, "import_function", import_function)
    monkeypatch.setattr(mlrun, "get_hub_step", get_hub_step)
    return fetched


@pytest.fixture
def no_hub_calls(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the hub must not be contacted")

    monkeypatch.setattr(mlrun, "import_function", refuse)
    monkeypatch.setattr(mlrun, "get_hub_step", refuse)


def test_manifest_pins_pii_recognizer_and_toxicity_guardrail():
    items = hub.load_manifest(REPO_ROOT / "hub_imports" / "manifest.yaml")
    pii = items["pii-recognizer"]
    assert (pii.kind, pii.version, pii.hub_kind, pii.handler) == ("function", "0.4.0", "job", "recognize_pii")
    assert pii.hub_url == "hub://pii-recognizer:0.4.0"
    assert pii.local == {"function": "pii", "handler": "genai_flow.pii.handler.mask_pii"}
    guard = items["toxicity_guardrail"]
    assert (guard.kind, guard.version, guard.handler) == ("step", "1.0.0", "ToxicityGuardrailStep")
    assert guard.local_target == "genai_flow.serving.steps.ToxicityFilter"
    assert guard.parameters["threshold"] == 0.5
    for item in items.values():
        assert item.differences and item.description, item.name


def test_local_twins_exist_and_share_the_hub_parameter_names(embedded_db):
    items = hub.load_manifest()
    mask_pii = hub.import_local(items["pii-recognizer"])
    parameters = inspect.signature(mask_pii).parameters
    shared = ("entities", "entity_operator_map", "score_threshold", "generate_html", "generate_json", "html_key")
    assert all(name in parameters for name in shared)
    assert all(name in items["pii-recognizer"].parameters for name in shared)
    # The twin is the project's `pii` function, whose handler is that function.
    project = load_project(REPO_ROOT)
    assert project.get_function("pii").spec.default_handler == items["pii-recognizer"].local["handler"]
    filter_class = hub.import_local(items["toxicity_guardrail"])
    assert inspect.isclass(filter_class) and callable(getattr(filter_class, "do", None))


def test_resolve_without_an_api_uses_the_local_twin_and_logs_it(embedded_db, no_hub_calls, caplog):
    project = load_project(REPO_ROOT)
    with caplog.at_level(logging.INFO, logger="genai_flow.hub"):
        pii = hub.resolve("pii-recognizer")
        guard = hub.resolve("toxicity_guardrail")
    assert (pii.source, pii.uri) == ("local", "genai_flow.pii.handler.mask_pii")
    assert pii.get_function(project).metadata.name == "pii"
    assert (guard.source, guard.class_name) == ("local", "genai_flow.serving.steps.ToxicityFilter")
    assert "no MLRun API configured" in pii.reason
    logged = caplog.text
    assert "pii-recognizer: using the local twin genai_flow.pii.handler.mask_pii" in logged
    assert "toxicity_guardrail: using the local twin genai_flow.serving.steps.ToxicityFilter" in logged
    with pytest.raises(hub.HubUnavailable, match="needs an MLRun API"):
        hub.resolve("pii-recognizer", prefer="hub")


def test_resolve_with_an_api_uses_the_pinned_hub_items_mock_hub(fake_hub, caplog):
    with caplog.at_level(logging.INFO, logger="genai_flow.hub"):
        pii = hub.resolve("pii-recognizer")
        guard = hub.resolve("toxicity_guardrail")
    assert fake_hub == ["hub://pii-recognizer:0.4.0", "hub://toxicity_guardrail:1.0.0"]
    assert (pii.source, pii.uri) == ("hub", "hub://pii-recognizer:0.4.0")
    assert pii.get_function(project=None) == {"imported": "hub://pii-recognizer:0.4.0"}
    assert guard.class_name == "hub://toxicity_guardrail:1.0.0"  # graph.to(class_name=...) takes it
    assert "pii-recognizer: using hub://pii-recognizer:0.4.0" in caplog.text
    with pytest.raises(TypeError):
        pii.class_name
    with pytest.raises(TypeError):
        guard.get_function(project=None)


def test_resolve_prefers_local_when_asked_even_with_an_api_mock_hub(fake_hub):
    resolved = hub.resolve("pii-recognizer", prefer="local")
    assert resolved.source == "local" and fake_hub == []


def test_resolve_falls_back_when_the_api_cannot_fetch_the_item_mock_hub(
    monkeypatch, api_configured, caplog
):
    def missing(url, *args, **kwargs):
        raise mlrun.errors.MLRunNotFoundError(f"Item={url} not found in any hub source")

    monkeypatch.setattr(mlrun, "import_function", missing)
    with caplog.at_level(logging.INFO, logger="genai_flow.hub"):
        resolved = hub.resolve("pii-recognizer")
    assert resolved.source == "local"
    assert "could not fetch hub://pii-recognizer:0.4.0" in resolved.reason
    assert "not found in any hub source" in caplog.text
    with pytest.raises(hub.HubUnavailable, match="cannot fetch hub://pii-recognizer:0.4.0"):
        hub.resolve("pii-recognizer", prefer="hub")


@pytest.mark.parametrize(
    "entry, message",
    [
        ({"kind": "function", "version": "latest", "hub_kind": "job", "handler": "h",
          "local": {"function": "f", "handler": "m.h"}}, "version must be pinned"),
        ({"kind": "function", "version": "1.0.0", "hub_kind": "job", "handler": "h",
          "local": {"function": "f"}}, "local must give function and handler"),
        ({"kind": "module", "version": "1.0.0", "hub_kind": "job", "handler": "h",
          "local": {"class_name": "m.C"}}, "kind must be one of function, step"),
        ({"kind": "step", "version": "1.0.0", "handler": "C",
          "local": {"class_name": "m.C"}}, "missing hub_kind"),
    ],
)
def test_manifest_errors_name_the_item_and_the_problem(tmp_path, entry, message):
    path = tmp_path / "manifest.yaml"
    path.write_text(__import__("yaml").safe_dump({"items": {"broken": entry}}))
    with pytest.raises(hub.ManifestError, match=f"item broken: {message}"):
        hub.load_manifest(path)


def test_unknown_items_and_unreadable_manifests_fail_clearly(tmp_path):
    with pytest.raises(KeyError, match="'describe' is not in the hub manifest"):
        hub.resolve("describe")
    with pytest.raises(hub.ManifestError, match="cannot read hub manifest"):
        hub.load_manifest(tmp_path / "missing.yaml")
    with pytest.raises(ValueError, match="prefer must be"):
        hub.resolve("pii-recognizer", prefer="sometimes")
