"""The drift reference: the questions the served model was trained on, as MiniLM embeddings.

The reference is a dataset of the pipeline's own schema (the pii step's ``masked`` output, so
its questions are masked like the monitored ones): its training-split tickets' texts. Locally
the monitor finds the newest one in the run DB; on a cluster it is the application's
``reference`` argument.
"""

from __future__ import annotations

import functools

import numpy as np

from .. import schema
from ..model_loading import ModelConfig

# The workflow's pii step (function "pii", handler mask_pii) logs the masked dataset as "masked".
TRAINING_DATASET_KEY = "pii-mask-pii_masked"
MAX_REFERENCE = 500  # questions sampled from the reference (drift.input_drift's own cap)
SEED = 0


def training_dataset_uri(project_name: str) -> str:
    """The newest masked training dataset of a project (the tag "latest")."""
    return f"store://datasets/{project_name}/{TRAINING_DATASET_KEY}"


def reference_questions(dataset_uri: str, limit: int = MAX_REFERENCE) -> list[str]:
    """The training questions of the dataset at ``dataset_uri`` (a store:// URI or a path),
    at most ``limit``, sampled the same way every time."""
    import mlrun

    frame = mlrun.get_dataitem(dataset_uri).as_df()
    missing = {schema.TYPE, schema.SPLIT, schema.TEXT} - set(frame.columns)
    if missing:
        raise ValueError(f"{dataset_uri} is not a genai-flow dataset: no column(s) {', '.join(sorted(missing))}")
    questions = frame.loc[(frame[schema.TYPE] == schema.TICKET) & (frame[schema.SPLIT] == schema.TRAIN), schema.TEXT]
    questions = [text for text in questions.astype(str) if text.strip()]
    if len(questions) > limit:
        picked = np.random.default_rng(SEED).choice(len(questions), limit, replace=False)
        questions = [questions[i] for i in sorted(picked)]
    return questions


def embed_questions(questions: list[str], models: ModelConfig) -> np.ndarray:
    """Unit-length MiniLM embeddings (the serving process's embedder)."""
    from ..embed.embedder import get_embedder

    if not questions:
        return np.zeros((0, 0))
    return get_embedder(models).encode(list(questions), normalize_embeddings=True, convert_to_numpy=True,
                                       batch_size=64, show_progress_bar=False)


@functools.lru_cache(maxsize=4)
def reference_embeddings(dataset_uri: str, models: ModelConfig) -> np.ndarray:
    """The reference's embeddings, computed once per process (a cluster's application keeps them
    between windows)."""
    return embed_questions(reference_questions(dataset_uri), models)
