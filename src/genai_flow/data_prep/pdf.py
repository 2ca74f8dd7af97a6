"""PDF files as articles, through pypdf: the text of every page, one document per file.

A PDF that can't be read (corrupt, encrypted with a password, or without any extractable text,
such as a scan) is a reported rejection, not a failed run: folders of PDFs often hold a few.
"""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader

# pypdf logs a warning for every small defect it repairs while reading; what matters is
# whether text comes out, and that is reported per file.
logging.getLogger("pypdf").setLevel(logging.ERROR)


class UnreadablePdf(ValueError):
    """A PDF whose text can't be read; the message says why."""


def pdf_text(data: bytes) -> tuple[str, str, int]:
    """(title from the metadata or "", the pages' text joined by blank lines, page count).

    :raises UnreadablePdf: corrupt, or encrypted with a password.
    """
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted and not reader.decrypt("")  # "" opens many PDFs
        if not encrypted:
            pages = [page.extract_text() or "" for page in reader.pages]
            title = (reader.metadata.title if reader.metadata else None) or ""
    except Exception as exc:  # corrupt files raise all sorts of errors inside pypdf
        raise UnreadablePdf(f"cannot read the PDF: {type(exc).__name__}: {exc}") from exc
    if encrypted:
        raise UnreadablePdf("encrypted PDF: its text needs a password")
    return str(title).strip(), "\n\n".join(page.strip() for page in pages), len(pages)
