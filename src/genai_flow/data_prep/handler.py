"""MLRun function `data-prep`: collect, filter, normalize, chunk and label raw text into a dataset.

The logic lives in :mod:`genai_flow.data_prep`; this module only wires it to MLRun.
"""

# No `from __future__ import annotations` here: MLRun reads the handler's type hints as
# objects, and string hints such as 'Optional' are not resolvable from its scope.
import json
from typing import Optional

import mlrun

from . import Chunker, PrepOptions, prepare, render_summary
from ..model_loading import ModelConfig, resolve_embedder
from ..settings import get_settings


def prep_data(
    context: mlrun.MLClientCtx,
    source: Optional[str] = None,
    min_chars: Optional[int] = None,
    max_chars: Optional[int] = None,
    chunk_tokens: Optional[int] = None,
    chunk_overlap_tokens: Optional[int] = None,
    near_dup_threshold: Optional[float] = None,
    shingle_size: Optional[int] = None,
    test_fraction: Optional[float] = None,
    min_alpha_ratio: Optional[float] = None,
) -> None:
    """Collect, filter, normalize, chunk and label raw text into a dataset.

    Reads CSV, TSV, JSON Lines, JSON, Parquet, Markdown, plain text, HTML and PDF from a folder
    (recursively), a single file or a URL. Every dropped row is reported with its reason.
    Articles are chunked in the embedding model's tokens (settings embedding_model), so that
    the embed stage embeds every chunk whole. Parameters left unset take their value from
    genai-flow's settings (environment GENAI_FLOW_<SETTING>); 0 is a value, not "unset".

    :param source:               folder, file or URL (default: settings data_source,
                                 "data/raw"); a relative path is resolved against the project
                                 folder (settings project_dir)
    :param min_chars:            drop texts (and ticket answers) shorter than this, too_short
                                 (default: settings min_chars, 20)
    :param max_chars:            drop ticket questions or answers longer than this, too_long
                                 (default: settings max_chars, 4000)
    :param chunk_tokens:         embedding-model tokens per article chunk as it is embedded:
                                 subject, text and special tokens; at most what the model reads
                                 (default: settings chunk_tokens, 240; all-MiniLM-L6-v2 reads 256)
    :param chunk_overlap_tokens: at most this many tokens (whole sentences) a chunk repeats
                                 from the previous one (default: settings
                                 chunk_overlap_tokens, 32)
    :param near_dup_threshold:   Jaccard similarity of shingles at or above which a row is a
                                 near duplicate (default: settings near_dup_threshold, 0.85)
    :param shingle_size:         characters per shingle for near-duplicate detection
                                 (default: settings shingle_size, 5)
    :param test_fraction:        held-out share for tickets that come without a split
                                 (default: settings test_fraction, 0.15)
    :param min_alpha_ratio:      minimum share of letters for a text to count as text
                                 (default: settings min_alpha_ratio, 0.5)

    Outputs: ``dataset`` (parquet, the columns of genai_flow.schema), ``rejected`` (csv: source,
    origin, id, type, reason, detail, snippet), ``stats`` (json), ``summary`` (html) and the
    results rows_in, rows_out, rows_dropped, dropped_<reason> and rows_<type>_<split>.
    """
    settings = get_settings()
    options = PrepOptions.from_settings(
        settings, source=source, min_chars=min_chars, max_chars=max_chars,
        chunk_tokens=chunk_tokens, chunk_overlap_tokens=chunk_overlap_tokens,
        near_dup_threshold=near_dup_threshold, shingle_size=shingle_size,
        test_fraction=test_fraction, min_alpha_ratio=min_alpha_ratio,
    )
    embedder = resolve_embedder(ModelConfig.from_settings(settings))
    chunker = Chunker.for_model(embedder, options.chunk_tokens, options.chunk_overlap_tokens,
                                model_name=settings.embedding_model)
    context.logger.info(
        f"data-prep: reading {options.source}; chunks of at most {options.chunk_tokens} tokens "
        f"of {settings.embedding_model} (it reads {chunker.model_limit})"
    )
    result = prepare(options, chunker)

    context.log_dataset("dataset", df=result.dataset, format="parquet")
    context.log_dataset("rejected", df=result.rejected, format="csv")
    context.log_artifact(
        "stats",
        body=json.dumps(result.stats, indent=2, default=str),
        local_path="stats.json",
        format="json",
    )
    context.log_artifact(
        "summary",
        body=render_summary(result.stats, result.rejected),
        local_path="summary.html",
        format="html",
    )
    for key, value in result.results().items():
        context.log_result(key, value)
    context.logger.info(
        f"data-prep: {result.stats['rows_in']} rows in, {result.stats['rows_out']} rows out, "
        f"{result.stats['rows_dropped']} dropped "
        f"({', '.join(f'{k}={v}' for k, v in result.stats['dropped'].items() if v) or 'none'})"
    )
    if result.dataset.empty:
        raise ValueError(
            f"data-prep kept no rows from {options.source}: all {result.stats['rows_in']} "
            "were rejected (see the 'rejected' artifact for the reasons)"
        )
