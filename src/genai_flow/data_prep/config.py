"""data-prep's settings, resolved once by its handler and handed to :func:`~.pipeline.prepare`.

The defaults live in genai_flow/settings.py (the ``# --- data-prep`` block); this class only
names and checks them.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Optional

from ..settings import Settings, setting, stage_config

# Fewer tokens than this can't hold [CLS], [SEP], a subject and a sentence.
MIN_CHUNK_TOKENS = 16


@dataclasses.dataclass(frozen=True)
class PrepOptions:
    """The knobs of data-prep (settings: ``data_source``, ``project_dir`` and the rest by name)."""

    source: str = dataclasses.field(metadata=setting("data_source"))  # folder, file or URL
    project_dir: Path  # a relative source is resolved against it
    min_chars: int  # shorter texts (and ticket answers) are rejected as too_short
    max_chars: int  # longer ticket questions/answers are rejected as too_long
    # Tokens of the embedding model per article chunk *as the embed stage embeds it*: subject,
    # text and the special tokens ([CLS]/[SEP]). At most the model's own limit.
    chunk_tokens: int
    chunk_overlap_tokens: int  # at most this many tokens repeated from the previous chunk
    near_dup_threshold: float  # Jaccard similarity of shingles at or above which: near_duplicate
    shingle_size: int  # characters per shingle
    test_fraction: float  # held-out share of tickets that come without a split
    min_alpha_ratio: float  # below this share of letters a text is non_text

    def __post_init__(self):
        problems = []
        if self.min_chars < 0:
            problems.append(f"min_chars must be >= 0, got {self.min_chars}")
        if self.max_chars <= self.min_chars:
            problems.append(f"max_chars ({self.max_chars}) must be > min_chars ({self.min_chars})")
        if self.chunk_tokens < MIN_CHUNK_TOKENS:
            problems.append(f"chunk_tokens must be >= {MIN_CHUNK_TOKENS}, got {self.chunk_tokens}")
        # A subject may take at most half of chunk_tokens (see chunking.py), so an overlap
        # below half always leaves room for new text in every chunk.
        if not 0 <= self.chunk_overlap_tokens < self.chunk_tokens // 2:
            problems.append(
                f"chunk_overlap_tokens must be >= 0 and < half of chunk_tokens "
                f"({self.chunk_tokens // 2}), got {self.chunk_overlap_tokens}"
            )
        if not 0 < self.near_dup_threshold <= 1:
            problems.append(f"near_dup_threshold must be in (0, 1], got {self.near_dup_threshold}")
        if self.shingle_size < 1:
            problems.append(f"shingle_size must be >= 1, got {self.shingle_size}")
        if not 0 <= self.test_fraction < 1:
            problems.append(f"test_fraction must be in [0, 1), got {self.test_fraction}")
        if not 0 <= self.min_alpha_ratio <= 1:
            problems.append(f"min_alpha_ratio must be in [0, 1], got {self.min_alpha_ratio}")
        if problems:
            raise ValueError("invalid data-prep options: " + "; ".join(problems))

    @classmethod
    def from_settings(cls, settings: Optional[Settings] = None, **overrides) -> "PrepOptions":
        """The options from ``settings`` (default: the environment's), with ``overrides`` keyed
        by field name on top; None means "not given", 0 and "" are values."""
        return stage_config(cls, settings=settings, **overrides)
