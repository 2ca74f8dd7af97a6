"""Fine-tune test data: real tickets from data/raw in the dataset schema, the packaged tokenizer."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from genai_flow import schema
from genai_flow.model_loading import ModelConfig, resolve_llm

from ..helpers import REPO_ROOT


def ticket_frame(train: int, test: int = 2) -> pd.DataFrame:
    """The first ``train``/``test`` tickets of each split of data/raw/tickets.jsonl, plus an
    article (which fine-tune must ignore), with the columns of genai_flow.schema."""
    lines = (REPO_ROOT / "data" / "raw" / "tickets.jsonl").read_text().splitlines()
    tickets = [json.loads(line) for line in lines if line.strip()]
    chosen = [t for t in tickets if t["split"] == "train"][:train]
    chosen += [t for t in tickets if t["split"] == "test"][:test]
    rows = [
        {schema.ID: t["id"], schema.SOURCE: "tickets.jsonl", schema.TYPE: schema.TICKET, schema.SPLIT: t["split"],
         schema.SUBJECT: t["subject"], schema.TEXT: t["question"], schema.ANSWER: t["answer"], schema.CHUNK: 0}
        for t in chosen
    ]
    rows.append({schema.ID: "kb-1", schema.SOURCE: "kb.md", schema.TYPE: schema.ARTICLE, schema.SPLIT: "train",
                 schema.SUBJECT: "An article", schema.TEXT: "Articles are not training examples.",
                 schema.ANSWER: "", schema.CHUNK: 0})
    return pd.DataFrame(rows, columns=schema.COLUMNS)


@pytest.fixture(scope="session")
def tokenizer():
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(resolve_llm(ModelConfig.from_settings()))
