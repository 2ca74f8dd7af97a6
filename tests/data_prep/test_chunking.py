"""Chunking in the embedding model's tokens: every chunk is embedded whole, ids stay stable."""

from __future__ import annotations

import re

import mlrun
import pandas as pd
import pytest

from genai_flow.data_prep import Chunker, PrepOptions, SubjectTooLong, load_tokenizer, prepare
from genai_flow.schema import embedding_text
from genai_flow.model_loading import ModelConfig, load_embedder, resolve_embedder
from genai_flow.project import load_project

from ..helpers import ASSETS, REPO_ROOT

GUIDE = ASSETS / "data_prep" / "formats" / "guide.md"


@pytest.fixture(scope="module")
def embedder_folder() -> str:
    return resolve_embedder(ModelConfig.from_settings())


@pytest.fixture(scope="module")
def chunker(embedder_folder) -> Chunker:
    return Chunker.for_model(embedder_folder, chunk_tokens=64, overlap_tokens=16)


@pytest.fixture
def project(embedded_db):
    return load_project(REPO_ROOT)


def _dataset(run) -> pd.DataFrame:
    return mlrun.get_dataitem(run.outputs["dataset"]).as_df()


def test_the_longest_chunk_of_the_default_data_set_fits_the_embedder_whole(project):
    """Counted as the embed stage embeds it (subject + text) by sentence-transformers' own
    tokenizer, special tokens included, against the limit the loaded model reports."""
    run = project.run_function("data-prep", local=True)  # the default data set, data/raw
    articles = _dataset(run).query("type == 'article'")
    texts = [embedding_text(s, t) for s, t in zip(articles.subject, articles.text)]
    model = load_embedder(ModelConfig.from_settings())
    lengths = [len(ids) for ids in model.tokenizer(texts, truncation=False)["input_ids"]]
    longest = max(range(len(texts)), key=lengths.__getitem__)
    assert lengths[longest] <= model.max_seq_length == 256, texts[longest]
    # The budget is used: long articles fill chunks close to chunk_tokens (240 by default).
    stats = mlrun.get_dataitem(run.outputs["stats"]).get()
    assert 200 <= lengths[longest] <= 240 and '"model_limit": 256' in stats.decode()
    assert sum(length > 128 for length in lengths) >= len(lengths) // 3


def test_chunks_overlap_and_ids_are_stable_across_runs(project, embedder_folder):
    params = dict(source=str(GUIDE), chunk_tokens=100, chunk_overlap_tokens=30)
    first = _dataset(project.run_function("data-prep", params=params, local=True))
    second = _dataset(project.run_function("data-prep", params=params, local=True))
    pd.testing.assert_frame_equal(first, second)
    assert first.id.tolist() == [f"guide#{n}" for n in range(len(first))]
    assert first.chunk.tolist() == list(range(len(first))) and len(first) >= 10

    tokenizer, _limit = load_tokenizer(embedder_folder)
    chunks = first.text.tolist()
    subject = first.subject.iloc[0]
    assert all(len(tokenizer.encode(embedding_text(subject, c)).ids) <= 100 for c in chunks)
    repeated = 0
    for previous, chunk in zip(chunks, chunks[1:]):
        if chunk.startswith("#"):  # a new section starts fresh
            continue
        shared = next(k for k in range(min(len(previous), len(chunk)), 0, -1)
                      if previous.endswith(chunk[:k]))
        assert shared >= 20, (previous[-100:], chunk[:100])  # the next chunk repeats the tail
        assert len(tokenizer.encode(chunk[:shared], add_special_tokens=False).ids) <= 30
        repeated += 1
    assert repeated >= 5
    for sentence in re.split(r"(?<=\.)\s+", GUIDE.read_text().replace("\n", " ")):
        assert any(sentence.strip() in chunk.replace("\n", " ") for chunk in chunks), sentence


def test_overlap_repeats_the_previous_chunks_tail(chunker):
    sentences = [f"Sentence {n} says one short thing about task number {n}." for n in range(40)]
    chunks = chunker.split("", " ".join(sentences))
    assert len(chunks) >= 4
    for previous, chunk in zip(chunks, chunks[1:]):
        first_sentence = chunk[: chunk.index(".") + 1]
        assert previous.endswith(first_sentence), (previous, chunk)
    no_overlap = Chunker(chunker.tokenizer, chunker.model_limit, 64, 0).split(
        "", " ".join(sentences)
    )
    assert " ".join(no_overlap) == " ".join(sentences)  # nothing repeated, nothing lost


def test_the_subject_counts_against_the_budget(chunker):
    text = " ".join(f"Step {n} explains one thing in a full sentence." for n in range(30))
    bare = chunker.split("", text)
    titled = chunker.split("Set up single sign-on with Okta and Microsoft Entra ID", text)
    assert len(titled) > len(bare)
    for subject, chunks in (("", bare), ("Set up single sign-on with Okta and Microsoft Entra ID",
                                         titled)):
        assert max(chunker.embedded_tokens(subject, c) for c in chunks) <= 64
    assert chunker.split("Short", "A short text.") == ["A short text."]


def test_limits_are_enforced_with_clear_errors(chunker, embedder_folder):
    with pytest.raises(SubjectTooLong, match="more than half of chunk_tokens 64"):
        chunker.split(" ".join(["subject"] * 40), "Some text.")
    with pytest.raises(ValueError, match=r"chunk_tokens 300 is more than .* \(256 tokens\)"):
        Chunker.for_model(embedder_folder, chunk_tokens=300, overlap_tokens=10)
    unbreakable = "x" * 3000  # no boundary at all: cut where the tokens say
    pieces = chunker.split("", unbreakable)
    assert "".join(pieces) == unbreakable
    assert all(chunker.embedded_tokens("", piece) <= 64 for piece in pieces)


def test_a_heading_is_never_a_chunk_of_its_own(chunker):
    # A section too big for one chunk, whose first paragraph alone fills a chunk: the splitter
    # would emit "## Limits" by itself.
    big = " ".join(f"Limit {n} applies to every workspace on every plan." for n in range(12))
    text = f"# Guide\n\nIntro.\n\n## Limits\n\n{big}\n\n## Other\n\nMore text here."
    chunks = chunker.split("", text)
    assert not [c for c in chunks if all(line.startswith("#") for line in c.splitlines() if line)]
    assert any(c.startswith("## Limits\n\nLimit 0") for c in chunks)
    assert all(chunker.embedded_tokens("", c) <= 64 for c in chunks)


def test_a_long_subject_is_rejected_not_truncated(tmp_path, embedder_folder):
    (tmp_path / "doc.md").write_text(
        "---\ntitle: " + " ".join(["Orbitask"] * 150) + "\n---\nThe body of the article.\n"
    )
    (tmp_path / "ok.md").write_text("# Fine\n\nThe body of another article.\n")
    options = PrepOptions.from_settings(source=str(tmp_path))
    chunker = Chunker.for_model(embedder_folder, options.chunk_tokens, options.chunk_overlap_tokens)
    result = prepare(options, chunker, progress=False)
    assert result.dataset.id.tolist() == ["ok#0"]
    rejection = result.rejected.iloc[0]
    assert (rejection.id, rejection.reason) == ("doc", "too_long")
    assert "subject" in rejection.detail and result.stats["dropped"]["too_long"] == 1
