"""MLRun function `data-prep`: collect, filter, normalize, chunk and label raw text into a dataset.

The logic lives in :mod:`genai_flow.data_prep`; this module only wires it to MLRun.
"""

# No `from __future__ import annotations` here: MLRun reads the handler's type hints as
# objects, and string hints such as 'Optional' are not resolvable from its scope.
import json
from typing import Optional

import mlrun

from . import PrepOptions, prepare, render_summary
from ..settings import get_settings


def prep_data(
    context: mlrun.MLClientCtx,
    source: Optional[str] = None,
    min_chars: Optional[int] = None,
    max_chars: Optional[int] = None,
    chunk_size: Optional[int] = None,
    chunk_overlap: Optional[int] = None,
    near_dup_threshold: Optional[float] = None,
    shingle_size: Optional[int] = None,
    test_fraction: Optional[float] = None,
    min_alpha_ratio: Optional[float] = None,
) -> None:
    """Collect, filter, normalize, chunk and label raw text into a dataset.

    Reads CSV, TSV, JSON Lines, JSON, Parquet, Markdown, plain text and HTML from a folder
    (recursively), a single file or a URL. Every dropped row is reported with its reason.
    Parameters left unset take their value from genai-flow's settings (GENAI_FLOW_<NAME>).

    :param source:             folder, file or URL (default: settings.data_source, the project's
                               data/raw); a relative path is resolved against the project folder
    :param min_chars:          drop texts (and ticket answers) shorter than this (too_short)
    :param max_chars:          drop ticket questions or answers longer than this (too_long)
    :param chunk_size:         maximum characters per article chunk
    :param chunk_overlap:      characters each chunk repeats from the previous one
    :param near_dup_threshold: Jaccard similarity at or above which a row is a near duplicate
    :param shingle_size:       characters per shingle for near-duplicate detection
    :param test_fraction:      held-out share for tickets that come without a split
    :param min_alpha_ratio:    minimum share of letters for a text to count as text

    Outputs: ``dataset`` (parquet, the columns of genai_flow.schema), ``rejected`` (csv: source,
    origin, id, type, reason, detail, snippet), ``stats`` (json), ``summary`` (html) and the
    results rows_in, rows_out, rows_dropped, dropped_<reason> and rows_<type>_<split>.
    """
    settings = get_settings(
        data_source=source, min_chars=min_chars, max_chars=max_chars, chunk_size=chunk_size,
        chunk_overlap=chunk_overlap, near_dup_threshold=near_dup_threshold,
        shingle_size=shingle_size, test_fraction=test_fraction, min_alpha_ratio=min_alpha_ratio,
    )
    options = PrepOptions.from_settings(settings)
    context.logger.info(f"data-prep: reading {settings.data_source}")
    result = prepare(settings.data_source, options, base_dir=settings.project_dir)

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
            f"data-prep kept no rows from {settings.data_source}: all {result.stats['rows_in']} "
            "were rejected (see the 'rejected' artifact for the reasons)"
        )
