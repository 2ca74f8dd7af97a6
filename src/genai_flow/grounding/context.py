"""The passages a prompt carries: retrieved for the question as serving retrieves them, then
the best that fit the context budget. Fine-tune and evaluate build their prompts with this, so
they train and score on the prompt shape the endpoint sends."""

from __future__ import annotations

from typing import Optional, Sequence

from tqdm.auto import tqdm

from ..embed import RetrievalConfig, StoreLocation, retrieve
from ..model_loading import ModelConfig
from ..prompts import Passage, PromptTemplate


def prompt_passages(
    queries: Sequence[str],
    retrieval: Optional[RetrievalConfig],
    location: StoreLocation,
    models: ModelConfig,
    tokenizer,
    template: PromptTemplate,
    context_tokens: int,
    progress: bool = True,
) -> list[list[Passage]]:
    """For each query (``schema.embedding_text(subject, question)``, as serving retrieves), the
    retrieved passages that fit ``context_tokens``; empty lists when retrieval is off (None),
    the budget is 0 or nothing is indexed."""
    if retrieval is None or context_tokens <= 0:
        return [[] for _ in queries]
    found = []
    for query in tqdm(queries, desc="retrieving passages", unit="question", disable=not progress):
        hits = retrieve(query, retrieval, location, models)
        found.append(template.fit_passages(tokenizer, [Passage.of(hit) for hit in hits], context_tokens))
    return found
