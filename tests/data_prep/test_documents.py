"""Documents: Markdown through markdown-it-py, PDF through pypdf (files the tests write)."""

from __future__ import annotations

import json

import matplotlib
import mlrun
import pytest
from pypdf import PdfWriter

from genai_flow.data_prep.text import html_to_text, markdown_to_text, normalize
from genai_flow.project import load_project

from ..helpers import ASSETS, REPO_ROOT

matplotlib.use("Agg")

OFFLINE = ["Offline mode keeps the last 30 days of tasks on your device.",
           "Edits made offline sync as soon as the app is back online."]
CONFLICTS = ["When two people edit the same field offline, the newest edit wins."]


@pytest.fixture
def project(embedded_db):
    return load_project(REPO_ROOT)


def write_pdf(path, pages: list[list[str]], title: str | None = None) -> None:
    """A real PDF with text that pypdf can extract: each page's lines drawn with fig.text."""
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    with PdfPages(path, metadata={"Title": title} if title else None) as pdf:
        for lines in pages:
            figure = plt.figure(figsize=(8.5, 11))
            for number, line in enumerate(lines):
                figure.text(0.08, 0.9 - 0.04 * number, line)
            pdf.savefig(figure)
            plt.close(figure)


def test_pdfs_are_articles_and_unreadable_ones_are_reported(project, tmp_path):
    folder = tmp_path / "pdfs"  # not tmp_path itself: the run's artifacts land there
    folder.mkdir()
    write_pdf(folder / "offline-mode.pdf", [OFFLINE, CONFLICTS], title="Working offline")
    write_pdf(folder / "sync_conflicts.pdf", [CONFLICTS + ["Older edits stay in the history."]])
    locked = PdfWriter(clone_from=folder / "offline-mode.pdf")
    locked.encrypt("secret")
    locked.write(folder / "locked.pdf")
    blank = PdfWriter()
    blank.add_blank_page(612, 792)  # a page without text, as a scan without OCR looks
    blank.write(folder / "scan.pdf")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog")

    run = project.run_function("data-prep", params={"source": str(folder)}, local=True)
    dataset = mlrun.get_dataitem(run.outputs["dataset"]).as_df().set_index("id")
    assert sorted(dataset.index) == ["offline-mode#0", "sync_conflicts#0"]  # one per file
    offline = dataset.loc["offline-mode#0"]
    assert offline.subject == "Working offline"  # the PDF's title metadata
    assert offline.type == "article" and offline.source == "offline-mode.pdf"
    for line in OFFLINE + CONFLICTS:  # the text of both pages
        assert line in offline.text
    assert dataset.loc["sync_conflicts#0", "subject"] == "sync conflicts"  # the file name

    rejected = mlrun.get_dataitem(run.outputs["rejected"]).as_df().set_index("source")
    assert rejected.loc["locked.pdf", "reason"] == "unparseable"
    assert "needs a password" in rejected.loc["locked.pdf", "detail"]
    assert rejected.loc["broken.pdf", "reason"] == "unparseable"
    assert "cannot read the PDF" in rejected.loc["broken.pdf", "detail"]
    assert rejected.loc["scan.pdf", "reason"] == "empty"
    assert "no extractable text on its 1 page" in rejected.loc["scan.pdf", "detail"]
    stats = json.loads(mlrun.get_dataitem(run.outputs["stats"]).get())
    assert stats["rows_in"] == 5 and stats["files_read"] == 5 and stats["rows_dropped"] == 3

    # A single PDF as the source works too.
    alone = project.run_function(
        "data-prep", params={"source": str(folder / "offline-mode.pdf")}, local=True
    )
    assert mlrun.get_dataitem(alone.outputs["dataset"]).as_df().id.tolist() == ["offline-mode#0"]


def test_markdown_tables_and_code_come_out_as_plain_text(project):
    source = ASSETS / "data_prep" / "markdown" / "api-tokens.md"
    run = project.run_function("data-prep", params={"source": str(source)}, local=True)
    row = mlrun.get_dataitem(run.outputs["dataset"]).as_df().iloc[0]
    assert row.subject == "API tokens"
    text = row.text
    # Code spans lose their backticks and keep their contents, <token> included.
    assert "send it as Authorization: Bearer <token>; tokens never expire" in text
    assert "unless you press Revoke. See the limits below." in text
    # A table is one line per row, cells joined by " | ", without the |---| rule.
    assert "Plan | Requests per minute | Burst\nStarter | 300 | 50\nPro | 600 | 100" in text
    # Fenced code keeps its lines; numbered lists keep their numbers (a "loose" list too).
    assert 'curl -H "Authorization: Bearer $ORBITASK_TOKEN" \\\nhttps://api.orbitask.com' in text
    assert "1. Open Settings.\n2. Press Create token." in text
    for noise in ("`", "**", "|---", "```", "https://example.com", "*Settings*"):
        assert noise not in text


def test_markdown_and_html_read_the_same():
    markdown = "# Exports\n\n- CSV\n- `XLSX`\n\n| Format | Size |\n|---|---|\n| CSV | 10 MB |\n"
    html = ("<h1>Exports</h1><ul><li>CSV</li><li><code>XLSX</code></li></ul>"
            "<table><tr><th>Format</th><th>Size</th></tr><tr><td>CSV</td><td>10 MB</td></tr>"
            "</table>")
    from_markdown, from_html = markdown_to_text(markdown), html_to_text(html)
    assert from_markdown[0] == from_html[0] == "Exports"
    assert normalize(from_markdown[1]) == normalize(from_html[1]) == (
        "# Exports\n\n- CSV\n- XLSX\n\nFormat | Size\nCSV | 10 MB"
    )
