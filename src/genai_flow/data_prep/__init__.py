"""data-prep: raw text (folders, files, URLs) to the dataset every later stage reads.

The steps are plain functions (collect, clean, deduplicate, label, chunk); :func:`prepare` runs
them in order. ``genai_flow.data_prep.handler.prep_data`` is the MLRun handler around it.
"""

from .chunking import chunk_text
from .pipeline import PrepOptions, PrepResult, collect, prepare
from .records import REASONS, Record, Rejection
from .report import render_summary
from .sources import SourceError

__all__ = [
    "PrepOptions", "PrepResult", "REASONS", "Record", "Rejection", "SourceError", "chunk_text",
    "collect", "prepare", "render_summary",
]
