"""data-prep: raw text (folders, files, URLs) to the dataset every later stage reads.

The steps are plain functions (collect, clean, deduplicate, label, chunk); :func:`prepare` runs
them in order with the :class:`PrepOptions` and :class:`Chunker` the handler resolved.
``genai_flow.data_prep.handler.prep_data`` is the MLRun handler around it.
"""

from .chunking import Chunker, SubjectTooLong, load_tokenizer
from .config import PrepOptions
from .pipeline import PrepResult, collect, prepare
from .records import REASONS, Record, Rejection
from .report import render_summary
from .sources import SourceError

__all__ = [
    "Chunker", "PrepOptions", "PrepResult", "REASONS", "Record", "Rejection", "SourceError",
    "SubjectTooLong", "collect", "load_tokenizer", "prepare", "render_summary",
]
