"""The embed stage and retrieval: real MiniLM, real Chroma on disk and a real Chroma server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import httpx
import mlrun
import pandas as pd
import pytest
from mlrun.runtimes.utils import RunError

from genai_flow.project import load_project
from genai_flow.embed import (
    EmbedConfig, RetrievalConfig, StoreLocation, content_key, index_chunks, open_collection, retrieve,
    store_location,
)
from genai_flow.model_loading import ModelConfig
from genai_flow.embed.store import get_client
from genai_flow.schema import COLUMNS
from genai_flow.settings import get_settings, reload_settings

MODELS = ModelConfig.from_settings()

from ..helpers import ASSETS, REPO_ROOT, free_port

KB = ASSETS / "embed" / "kb.csv"  # ten articles about a fictional smart-home hub, two tickets

# Questions worded unlike the articles they should find.
PARAPHRASES = {
    "The ring on my hub is orange, what is wrong?": "kb-007",
    "Can I get my money back if I cancel the yearly plan?": "kb-004",
    "The coin cell in my door sensor is dead, how do I swap it?": "kb-008",
    "How do I connect the hub to my home wireless network?": "kb-002",
    "I lost my phone with the authenticator app, how do I get into my account?": "kb-006",
    "Where can I download all my old temperature readings?": "kb-005",
}


def kb_frame() -> pd.DataFrame:
    return pd.read_csv(KB, keep_default_na=False)


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    """The knowledge base indexed once into a folder, for the retrieval tests."""
    location = store_location(path=tmp_path_factory.mktemp("chroma"))
    report = index_chunks(kb_frame(), EmbedConfig.from_settings(collection="kb-tests"), location, MODELS, progress=False)
    return location, report


# --------------------------------------------------------------------- indexing (plain)
def test_a_chunk_longer_than_the_model_reads_is_named(tmp_path):
    frame = kb_frame().head(3)
    long_text = " ".join(["The warranty covers water damage for two years after purchase."] * 40)
    frame.loc[frame.index[1], "text"] = long_text  # about 440 word pieces; MiniLM reads 256
    report = index_chunks(frame, EmbedConfig.from_settings(collection="long-chunks"),
                          store_location(path=tmp_path), MODELS, progress=False)
    assert report.added == 3 and report.truncated == [frame.iloc[1]["id"]]
    assert report.summary()["truncated"] == 1


def test_index_embeds_articles_only_with_metadata(indexed):
    location, report = indexed
    assert (report.selected, report.added, report.skipped, report.total) == (10, 10, 0, 10)
    assert report.client == "persistent" and report.dimension == 384
    assert report.embedding_model == "all-MiniLM-L6-v2"
    stored = open_collection(location, "kb-tests").get(include=["metadatas", "documents"])
    assert len(stored["ids"]) == 10
    first = next(m for m in stored["metadatas"] if m["id"] == "kb-001")
    assert first == {"id": "kb-001", "source": "kb/kb-001.html", "type": "article", "split": "train",
                     "subject": "Resetting your Nimbus account password", "chunk": 0}
    row = kb_frame().iloc[0]
    assert content_key(row["id"], row["subject"], row["text"]) in stored["ids"]
    assert (location.path / "chroma.sqlite3").is_file()  # persisted in the folder


def test_collection_is_cosine_and_remembers_its_model(indexed):
    location, _ = indexed
    collection = open_collection(location, "kb-tests")
    assert collection.metadata == {"hnsw:space": "cosine", "embedding_model": "all-MiniLM-L6-v2"}
    with pytest.raises(ValueError, match="holds all-MiniLM-L6-v2 embeddings, not other-model"):
        open_collection(location, "kb-tests", "other-model")


def test_collection_names_need_three_characters(tmp_path):
    with pytest.raises(ValueError, match="3 to 63 characters"):
        index_chunks(kb_frame(), EmbedConfig.from_settings(collection="kb"), store_location(path=tmp_path), MODELS, progress=False)


def test_bad_rows_are_rejected_with_reasons_and_the_rest_indexed(tmp_path):
    frame = kb_frame().head(4)
    frame.loc[1, "text"] = "   "
    frame.loc[2, "id"] = "kb-001"
    frame.loc[3, "chunk"] = "first"
    report = index_chunks(frame, EmbedConfig.from_settings(collection="bad-rows"), store_location(path=tmp_path), MODELS, progress=False)
    assert report.added == report.total == 1
    assert report.rejected[["row", "id", "reason"]].to_dict("records") == [
        {"row": 1, "id": "kb-002", "reason": "blank text"},
        {"row": 2, "id": "kb-001", "reason": "duplicate id (first at row 0)"},
        {"row": 3, "id": "kb-004", "reason": "chunk is not an integer: 'first'"},
    ]
    with pytest.raises(ValueError, match=r"all 2 rows of type article were rejected \(first: row 0, empty text\)"):
        index_chunks(frame.head(2).assign(text=""), EmbedConfig.from_settings(collection="bad-rows"), store_location(path=tmp_path), MODELS, progress=False)


# ----------------------------------------------------------------------------- retrieval
@pytest.mark.parametrize("question", sorted(PARAPHRASES))
def test_retrieve_finds_the_article_for_a_paraphrased_question(indexed, question):
    location, _ = indexed
    hits = retrieve(question, RetrievalConfig.from_settings(k=3, collection="kb-tests"), location, MODELS)
    assert hits[0]["id"] == PARAPHRASES[question], [(h["id"], h["score"]) for h in hits]


def test_retrieve_hits_carry_text_metadata_and_ordered_scores(indexed):
    location, _ = indexed
    hits = retrieve("I forgot my password", RetrievalConfig.from_settings(k=4, collection="kb-tests"), location, MODELS)
    assert len(hits) == 4
    best = hits[0]
    assert best["id"] == "kb-001" and best["text"].startswith("If you forgot your Nimbus password")
    assert best["subject"] == "Resetting your Nimbus account password" and best["source"] == "kb/kb-001.html"
    scores = [hit["score"] for hit in hits]
    assert scores == sorted(scores, reverse=True) and 0.3 < scores[0] <= 1.0
    assert all(abs(hit["score"] + hit["distance"] - 1.0) < 1e-5 for hit in hits)
    assert len(retrieve("I forgot my password", RetrievalConfig.from_settings(k=50, collection="kb-tests"), location, MODELS)) == 10
    floor = retrieve("I forgot my password", RetrievalConfig.from_settings(k=10, collection="kb-tests", min_score=scores[1] + 1e-4), location, MODELS)
    assert [hit["id"] for hit in floor] == ["kb-001"]


def test_retrieve_without_a_collection_returns_nothing_and_checks_its_input(tmp_path):
    location = store_location(path=tmp_path)
    assert retrieve("anything at all", RetrievalConfig.from_settings(collection="never-built"), location, MODELS) == []
    with pytest.raises(ValueError, match="non-empty query"):
        retrieve("  ", RetrievalConfig.from_settings(), location, MODELS)
    with pytest.raises(ValueError, match="k must be at least 1"):
        retrieve("a question", RetrievalConfig.from_settings(k=0), location, MODELS)


def test_concurrent_first_requests_on_a_new_folder_share_one_client(tmp_path):
    # The serving host's first requests arrive together: each used to build its own Chroma
    # system, and all but one failed migrating the new folder ("table collections already exists").
    import concurrent.futures

    location = store_location(path=tmp_path / "fresh")
    config = RetrievalConfig.from_settings(collection="never-built")
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        clients = list(pool.map(lambda _: get_client(location), range(8)))
        found = list(pool.map(lambda _: retrieve("a question", config, location, MODELS), range(8)))
    assert len({id(client) for client in clients}) == 1 and found == [[]] * 8


# -------------------------------------------------------------- MLRun function (local)
@pytest.fixture
def project(embedded_db, tmp_path, monkeypatch):
    monkeypatch.setenv("GENAI_FLOW_CHROMA_PATH", str(tmp_path / "chroma"))
    reload_settings()  # embedded_db's teardown undoes the variable and reloads again
    return load_project(REPO_ROOT)


def _run_embed(project, dataset, **params):
    run = project.run_function("embed", inputs={"dataset": str(dataset)}, params=params, local=True)
    assert run.state() == "completed"
    return run


def test_embed_function_is_idempotent_and_adds_changed_rows(project, tmp_path):
    dataset = tmp_path / "kb.parquet"
    kb_frame().to_parquet(dataset)
    run = _run_embed(project, dataset)
    assert {k: run.status.results[k] for k in ("added", "skipped", "total", "rows_rejected", "chunks_truncated")} == {
        "added": 10, "skipped": 0, "total": 10, "rows_rejected": 0, "chunks_truncated": 0}
    collection = json.loads(mlrun.get_dataitem(run.outputs["collection"]).get())
    assert collection["name"] == "knowledge-base" and collection["count"] == 10
    assert collection["embedding_model"] == "all-MiniLM-L6-v2" and collection["client"] == "persistent"
    assert collection["location"] == str((tmp_path / "chroma").resolve())
    assert (collection["added"], collection["skipped"]) == (10, 0)
    assert project.get_artifact("embed-embed-chunks_collection") is not None

    rerun = _run_embed(project, dataset)
    assert (rerun.status.results["added"], rerun.status.results["skipped"]) == (0, 10)
    assert open_collection(StoreLocation.from_settings(get_settings()), "knowledge-base").count() == 10  # the store did not grow

    changed = kb_frame()
    changed.loc[changed["id"] == "kb-003", "text"] = "Firmware updates now install at 4 a.m. local time."
    extra = changed.iloc[[0]].assign(id="kb-011", subject="Gift cards",
                                     text="Nimbus gift cards never expire and can pay for Nimbus Plus.")
    pd.concat([changed, extra]).to_parquet(dataset)
    third = _run_embed(project, dataset)
    results = third.status.results
    assert (results["added"], results["skipped"], results["replaced"], results["total"]) == (2, 9, 1, 11)
    hits = retrieve("When does the firmware update run?", RetrievalConfig.from_settings(k=1), StoreLocation.from_settings(get_settings()), MODELS)
    assert hits[0]["id"] == "kb-003" and "4 a.m." in hits[0]["text"]  # the old text is gone


def test_embed_function_logs_rejected_rows(project, tmp_path):
    frame = kb_frame()
    frame.loc[0, "text"] = ""
    dataset = tmp_path / "kb.csv"
    frame.to_csv(dataset, index=False)
    run = _run_embed(project, dataset, collection="with-bad-rows", types=["article", "ticket"])
    assert run.status.results["added"] == 11 and run.status.results["rows_rejected"] == 1
    rejected = mlrun.get_dataitem(run.outputs["rejected"]).as_df()
    assert rejected[["id", "reason"]].to_dict("records") == [{"id": "kb-001", "reason": "empty text"}]


def test_embed_function_refuses_a_missing_column(project, tmp_path):
    dataset = tmp_path / "kb.csv"
    kb_frame().drop(columns=["subject"]).to_csv(dataset, index=False)
    with pytest.raises(RunError, match=r"kb.csv is missing the column\(s\) subject \(it has: id, source"):
        project.run_function("embed", inputs={"dataset": str(dataset)}, local=True)


def test_embed_function_refuses_an_empty_dataset_and_one_without_articles(project, tmp_path):
    empty = tmp_path / "empty.parquet"
    pd.DataFrame(columns=COLUMNS).astype(str).to_parquet(empty)
    with pytest.raises(RunError, match="empty.parquet has no rows"):
        project.run_function("embed", inputs={"dataset": str(empty)}, local=True)
    tickets = tmp_path / "tickets.csv"
    kb_frame().query("type == 'ticket'").to_csv(tickets, index=False)
    with pytest.raises(RunError, match=r"has no rows of type article \(types present: ticket\)"):
        project.run_function("embed", inputs={"dataset": str(tickets)}, local=True)


def test_embed_function_names_an_unreadable_dataset(project, tmp_path):
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"this is not parquet")
    with pytest.raises(RunError, match="cannot read dataset .*broken.parquet"):
        project.run_function("embed", inputs={"dataset": str(broken)}, local=True)


# ------------------------------------------------------------ Chroma server (HttpClient)
@pytest.fixture
def chroma_server(tmp_path):
    """A real Chroma server (chromadb's own app under uvicorn) on 127.0.0.1, data in tmp_path."""
    port = free_port()
    env = {**os.environ, "IS_PERSISTENT": "TRUE", "PERSIST_DIRECTORY": str(tmp_path / "server"),
           "ANONYMIZED_TELEMETRY": "FALSE",
           "CHROMA_TELEMETRY_IMPL": "genai_flow.embed.store.NoTelemetry"}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "chromadb.app:app", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v1/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"chroma server did not start:\n{server.stdout.read()}")
            time.sleep(0.2)
        yield url, tmp_path / "server"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_configured_url_selects_the_chroma_server(monkeypatch, chroma_server):
    url, folder = chroma_server
    monkeypatch.setenv("GENAI_FLOW_CHROMA_URL", url + "/")
    monkeypatch.setenv("GENAI_FLOW_CHROMA_HEADERS", '{"X-Team": "support"}')
    reload_settings()
    try:
        location = StoreLocation.from_settings(get_settings())
        assert (location.kind, location.url, location.headers) == ("http", url, (("X-Team", "support"),))
        assert type(get_client(location)).__name__ == "FastAPI"  # chromadb.HttpClient's API class
        first = index_chunks(kb_frame(), EmbedConfig.from_settings(collection="served-kb"), StoreLocation.from_settings(get_settings()), MODELS, progress=False)
        again = index_chunks(kb_frame(), EmbedConfig.from_settings(collection="served-kb"), StoreLocation.from_settings(get_settings()), MODELS, progress=False)
        assert (first.added, again.added, again.skipped, again.total) == (10, 0, 10, 10)
        assert first.client == "http" and first.location == url
        assert retrieve("Is water damage covered?", RetrievalConfig.from_settings(k=1, collection="served-kb"), StoreLocation.from_settings(get_settings()), MODELS)[0]["id"] == "kb-009"
        assert (folder / "chroma.sqlite3").is_file()  # the server, not this process, stored it
    finally:
        monkeypatch.undo()
        reload_settings()


def test_store_location_refuses_a_malformed_url(tmp_path):
    location = store_location(url="ftp://somewhere")
    with pytest.raises(ValueError, match="chroma_url must look like http://host:port"):
        get_client(location)
    assert store_location(path=tmp_path).kind == "persistent"
