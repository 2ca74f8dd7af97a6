"""Hybrid retrieval (MiniLM + BM25, reciprocal-rank fusion): real MiniLM, real Chroma folders.

A small synthetic knowledge base: a table of hub fault codes that look alike (ORB-4222,
ORB-4212, ORB-2241), and one chunk about something else that names ORB-4221 in passing. Asked
"What does error 4221 mean?", MiniLM prefers the look-alike codes; only BM25 sees the exact
number.
"""

from __future__ import annotations

import pandas as pd
import pytest

from genai_flow.embed import (
    EmbedConfig,
    RetrievalConfig,
    index_chunks,
    lexical,
    retrieve,
    store_location,
)
from genai_flow.embed.search import RRF_K
from genai_flow.model_loading import ModelConfig

MODELS = ModelConfig.from_settings()
COLLECTION = "hybrid-kb"
QUESTION = "What does error 4221 mean?"  # no chunk but TARGET shares a word with it
TARGET = "hy-rollback"

ARTICLES = [  # id, split, subject, text
    ("hy-codes-1", "train", "Hub fault codes, part 1",
     "ORB-4222 means a door sensor stopped answering; re-pair it from the app."),
    ("hy-codes-2", "train", "Hub fault codes, part 2",
     "ORB-4212 means the hub lost power for a moment; no action is needed."),
    ("hy-codes-3", "train", "Hub fault codes, part 3",
     "ORB-2241 means the memory card is full; delete old recordings."),
    (TARGET, "train", "Going back to older firmware",
     ("If an update stops halfway, hold the reset button for ten seconds until the light turns "
      "amber. The app offers the previous version; confirm it and keep the device plugged in for "
      "about six minutes (it lists ORB-4221 meanwhile). Settings and paired devices are kept.")),
    ("hy-lights", "train", "Status light colours",
     "A red light signals a fault; amber signals an update in progress; green is normal."),
    ("hy-billing", "train", "Invoices and payment", "Invoices are sent by email on the first day of each month."),
    ("hy-wifi", "train", "Joining a wireless network",
     "Hold the pairing button for five seconds and pick your 2.4 GHz network in the app."),
    ("hy-battery", "test", "Replacing a sensor battery", "Twist the back cover open and swap the CR2032 coin cell."),
    ("hy-glossary", "test", "Glossary of fault codes", "A fault code is a short label for a problem the hub detected."),
]


def index(location, articles=ARTICLES):
    frame = pd.DataFrame([{"id": i, "source": f"kb/{i}.html", "type": "article", "split": split,
                           "subject": subject, "text": text, "answer": "", "chunk": 0}
                          for i, split, subject, text in articles])
    return index_chunks(frame, EmbedConfig.from_settings(collection=COLLECTION), location, MODELS, progress=False)


def config(**overrides) -> RetrievalConfig:  # min_score -1: keep every hit
    return RetrievalConfig.from_settings(**{"collection": COLLECTION, "min_score": -1.0, "hybrid": True, **overrides})


def ids(hits) -> list[str]:
    return [hit["id"] for hit in hits]


def dense_rank(location, question=QUESTION) -> int:
    return ids(retrieve(question, config(k=len(ARTICLES), hybrid=False), location, MODELS)).index(TARGET) + 1


@pytest.fixture(scope="module")
def location(tmp_path_factory):
    location = store_location(path=tmp_path_factory.mktemp("hybrid"))
    index(location)
    return location


def test_an_exact_rare_code_comes_first_with_hybrid_and_not_dense_only(location):
    dense = retrieve(QUESTION, config(k=3, hybrid=False), location, MODELS)
    assert TARGET not in ids(dense), [(h["id"], h["score"]) for h in dense]
    hybrid = retrieve(QUESTION, config(k=3), location, MODELS)
    assert hybrid[0]["id"] == TARGET, [(h["id"], h["rank_score"], h["lexical_rank"]) for h in hybrid]
    best = hybrid[0]
    assert best["lexical_rank"] == 1 and "ORB-4221" in best["text"]
    assert best["rank_score"] == pytest.approx(1 / (RRF_K + dense_rank(location)) + 1 / (RRF_K + 1), abs=1e-6)
    # The rest in dense order, no lexical rank: no other chunk shares a word with the question.
    assert ids(hybrid[1:]) == ids(dense[:2]) and [h["lexical_rank"] for h in hybrid[1:]] == [None, None]
    assert [h["rank_score"] for h in hybrid[1:]] == [round(1 / (RRF_K + 1), 6), round(1 / (RRF_K + 2), 6)]


def test_score_stays_the_cosine_in_both_modes(location):
    dense = retrieve(QUESTION, config(k=len(ARTICLES), hybrid=False), location, MODELS)
    cosine = {h["key"]: h["score"] for h in dense}
    assert len(cosine) == len(ARTICLES)
    assert all((h["rank_score"], h["lexical_rank"]) == (h["score"], None) for h in dense)
    for hit in retrieve(QUESTION, config(k=len(ARTICLES)), location, MODELS):
        assert hit["score"] == pytest.approx(cosine[hit["key"]], abs=1e-5)
        assert hit["score"] + hit["distance"] == pytest.approx(1.0, abs=1e-5)


def test_a_bm25_only_hit_gets_its_cosine_from_its_stored_vector(location):
    rank = dense_rank(location)
    assert rank > 3  # so three dense candidates leave it out
    cosine = {h["id"]: h["score"] for h in retrieve(QUESTION, config(k=len(ARTICLES), hybrid=False), location, MODELS)}
    hits = retrieve(QUESTION, config(k=3, candidates=3), location, MODELS)
    assert len(hits) == 3 and TARGET in ids(hits)
    lexical_only = hits[ids(hits).index(TARGET)]
    assert lexical_only["lexical_rank"] == 1
    assert lexical_only["rank_score"] == pytest.approx(1 / (RRF_K + 1), abs=1e-6)  # no dense rank
    assert lexical_only["score"] == pytest.approx(cosine[TARGET], abs=1e-5)
    assert lexical_only["distance"] == pytest.approx(1 - cosine[TARGET], abs=1e-5)
    assert lexical_only["text"].startswith("If an update stops halfway")
    assert (lexical_only["subject"], lexical_only["split"], lexical_only["source"]) == (
        "Going back to older firmware", "train", f"kb/{TARGET}.html")


def test_min_score_drops_hits_by_cosine_not_by_rank(location):
    hybrid = retrieve(QUESTION, config(k=len(ARTICLES)), location, MODELS)
    assert hybrid[0]["id"] == TARGET
    floor = hybrid[0]["score"] + 1e-4
    kept = retrieve(QUESTION, config(k=len(ARTICLES), min_score=floor), location, MODELS)
    assert kept and ids(kept) == [h["id"] for h in hybrid if h["score"] >= floor]
    assert TARGET not in ids(kept)  # first by rank, yet below the cosine floor


def test_where_filters_both_rankings(location):
    test_split = retrieve(QUESTION, config(k=len(ARTICLES)), location, MODELS, where={"split": "test"})
    assert sorted(ids(test_split)) == ["hy-battery", "hy-glossary"]  # BM25 unfiltered would add TARGET
    assert all(h["lexical_rank"] is None for h in test_split)
    same = retrieve(QUESTION, config(k=len(ARTICLES)), location, MODELS, where={"split": {"$in": ["test"]}})
    assert ids(same) == ids(test_split)
    train = retrieve(QUESTION, config(k=len(ARTICLES)), location, MODELS, where={"split": "train"})
    assert train[0]["id"] == TARGET and train[0]["lexical_rank"] == 1
    assert len(train) == 7 and {h["split"] for h in train} == {"train"}


def test_the_bm25_index_is_rebuilt_when_chunks_are_added(tmp_path):
    location = store_location(path=tmp_path)
    index(location, ARTICLES[:3])
    question = "Where do I find Zeta-77?"
    assert all(h["lexical_rank"] is None for h in retrieve(question, config(k=3), location, MODELS))
    assert lexical._indexes[(location, COLLECTION)].key[1] == 3

    menu = ("hy-menu", "train", "Advanced settings", "Under Settings, open Zeta-77 to change the radio channel.")
    index(location, [*ARTICLES[:3], menu])
    after = retrieve(question, config(k=3), location, MODELS)
    assert after[0]["id"] == "hy-menu" and after[0]["lexical_rank"] == 1
    assert lexical._indexes[(location, COLLECTION)].key[1] == 4


def _replace_code(location, new_code: str):
    changed = [(i, split, subject, text.replace("ORB-4221", new_code)) for i, split, subject, text in ARTICLES]
    report = index(location, changed)
    assert (report.replaced, report.total) == (1, len(ARTICLES))  # the same count: the key cannot tell


def test_a_chunk_replaced_at_the_same_count_is_indexed_when_dense_returns_it(tmp_path):
    location = store_location(path=tmp_path)
    index(location)
    assert retrieve(QUESTION, config(k=1), location, MODELS)[0]["id"] == TARGET  # index built
    _replace_code(location, "ORB-5150")
    hits = retrieve("What does error 5150 mean?", config(k=3), location, MODELS)  # all 9 are dense candidates
    assert hits[0]["id"] == TARGET and hits[0]["lexical_rank"] == 1 and "ORB-5150" in hits[0]["text"]


def test_a_deleted_chunk_the_stale_index_ranks_is_skipped_and_the_index_rebuilt(tmp_path):
    location = store_location(path=tmp_path)
    index(location)
    assert retrieve(QUESTION, config(k=3), location, MODELS)[0]["id"] == TARGET  # index built
    _replace_code(location, "ORB-5150")
    assert dense_rank(location) > 3  # not among three dense candidates: only the stale index sees it
    stale = retrieve(QUESTION, config(k=3, candidates=3), location, MODELS)
    assert len(stale) == 3 and all("ORB-4221" not in h["text"] and h["lexical_rank"] is None for h in stale)
    assert (location, COLLECTION) not in lexical._indexes  # forgotten: the next query rebuilds it
    fresh = retrieve("What does error 5150 mean?", config(k=3, candidates=3), location, MODELS)
    assert TARGET in ids(fresh) and fresh[ids(fresh).index(TARGET)]["lexical_rank"] == 1


def test_dense_only_keeps_its_behaviour_and_candidates_must_cover_k(location):
    hits = retrieve(QUESTION, config(k=2, hybrid=False, candidates=2), location, MODELS)
    assert len(hits) == 2 and hits[0]["score"] >= hits[1]["score"]
    assert config(k=3, candidates=3).candidates == 3
    with pytest.raises(ValueError, match=r"candidates must be at least k \(5\), not 4"):
        config(k=5, candidates=4)


def test_words_are_lower_case_letters_and_digits():
    assert lexical.tokenize("Error ORB-4221: see Settings > Zeta_77!") == [
        "error", "orb", "4221", "see", "settings", "zeta", "77"]
