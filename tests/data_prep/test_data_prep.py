"""The data-prep MLRun function: real files, a real local HTTP server, local MLRun runs."""

from __future__ import annotations

import json
import random
import re
import shutil
from http.server import SimpleHTTPRequestHandler

import mlrun
import pandas as pd
import pytest

from genai_flow import schema
from genai_flow.data_prep import REASONS, PrepOptions
from genai_flow.data_prep.text import decode_bytes, non_text_reason
from genai_flow.project import load_project

from ..helpers import ASSETS, REPO_ROOT, free_port
from ..helpers import http_server as serve_http

DATA = ASSETS / "data_prep"
EXPORT_CSV = (
    "id,question,answer\n"
    'x-1,Where do I find the audit log?,"Hi Ro,\n\nAdmin > Security > Audit log."\n'
)


@pytest.fixture
def project(embedded_db):
    return load_project(REPO_ROOT)


def run_prep(project, **params):
    return project.run_function("data-prep", params=params, local=True)


def output_df(run, key: str) -> pd.DataFrame:
    return mlrun.get_dataitem(run.outputs[key]).as_df()


@pytest.fixture
def http_server():
    """The formats fixtures over real HTTP on 127.0.0.1, plus a CSV export known only by its
    content type (no suffix in the URL)."""

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(DATA / "formats"), **kwargs)

        def do_GET(self):
            if self.path == "/api/export":
                body = EXPORT_CSV.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/csv; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            super().do_GET()

        def log_message(self, *args):
            pass

    with serve_http(Handler) as url:
        yield url


def _refused_url() -> str:
    # A port that was free a moment ago: nothing listens there.
    return f"http://127.0.0.1:{free_port()}/tickets.jsonl"


# --- the default data set -----------------------------------------------------------------------
def test_default_data_set_is_kept_whole_labelled_and_chunked(project):
    run = run_prep(project)  # no source: the project's data/raw
    assert run.status.state == "completed"
    lines = (REPO_ROOT / "data/raw/tickets.jsonl").read_text().splitlines()
    tickets = [json.loads(line) for line in lines]
    articles = sorted(p for p in (REPO_ROOT / "data/raw/kb").rglob("*.*"))
    results = run.status.results
    assert results["rows_in"] == len(tickets) + len(articles)
    assert results["rows_dropped"] == 0 and all(
        results[f"dropped_{reason}"] == 0 for reason in REASONS
    )

    dataset = output_df(run, "dataset")
    assert list(dataset.columns) == schema.COLUMNS and len(dataset) == results["rows_out"]
    ticket_rows = dataset[dataset.type == schema.TICKET].set_index("id")
    assert sorted(ticket_rows.index) == sorted(t["id"] for t in tickets)
    for ticket in tickets[:50]:  # questions and answers arrive intact, splits are kept
        row = ticket_rows.loc[ticket["id"]]
        assert (row.text, row.answer, row.split, row.subject) == (
            ticket["question"], ticket["answer"], ticket["split"], ticket["subject"]
        )
        assert row.source == "tickets.jsonl" and row.chunk == 0
    assert results["rows_ticket_test"] == sum(t["split"] == "test" for t in tickets)

    article_rows = dataset[dataset.type == schema.ARTICLE]
    assert set(article_rows.split) == {schema.TRAIN} and set(article_rows.answer) == {""}
    assert article_rows.id.str.fullmatch(r"kb/[\w-]+/[\w-]+#\d+").all()
    sso = article_rows[article_rows.source == "kb/admin/saml-sso-setup.md"].sort_values("chunk")
    assert len(sso) >= 4 and list(sso.chunk) == list(range(len(sso)))
    assert set(sso.subject) == {"Set up SAML single sign-on (Okta, Entra ID, Google Workspace)"}
    html_page = article_rows[article_rows.source == "kb/account-security/security-overview.html"]
    assert html_page.subject.iloc[0] == "Security at Orbitask"
    assert "<" not in "".join(html_page.text) and "Help Center" not in "".join(html_page.text)

    stats = json.loads(mlrun.get_dataitem(run.outputs["stats"]).get())
    assert stats["rows_in"] == results["rows_in"] and stats["articles_chunked"] >= 5
    assert stats["rows_by_type_split"]["ticket"]["test"] == results["rows_ticket_test"]
    assert "data-prep" in mlrun.get_dataitem(run.outputs["summary"]).get().decode()
    assert output_df(run, "rejected").empty


# --- formats ------------------------------------------------------------------------------------
def test_every_format_maps_onto_the_schema(project, tmp_path):
    source = tmp_path / "formats"
    shutil.copytree(DATA / "formats", source)
    (source / "tables").mkdir()
    pd.DataFrame(
        {
            "Title": ["Storage quotas", "Guests"],
            "Body": ["Free includes 2 GB, Starter 100 GB and Pro 1 TB of storage.",
                     "Pro includes 5 free guests per paid member."],
            "ID": [7, None],
            "split": [None, None],
        }
    ).to_parquet(source / "tables" / "articles.parquet")

    run = run_prep(project, source=str(source))
    dataset = output_df(run, "dataset").set_index("id")
    assert run.status.results["rows_dropped"] == 0
    assert set(dataset.source) == {
        "faq.csv", "guide.md", "nested/release-notes.md", "notes.txt", "page.html",
        "tables/articles.parquet", "tickets.jsonl",
    }

    # CSV: tickets keep their split, HTML answers become text, a row without answer is an article
    assert dataset.loc["csv-1", ["type", "split", "subject"]].tolist() == [
        "ticket", "train", "Export to Excel"
    ]
    assert dataset.loc["csv-2", "answer"] == (
        "Hi Ben,\n\nThe reset link is valid for 60 minutes; request a new one from the sign-in "
        "page.\n\nBest regards,\nOrbitask Support"
    )
    assert dataset.loc["csv-3", "split"] in (schema.TRAIN, schema.TEST)
    csv_article = dataset[(dataset.source == "faq.csv") & (dataset.type == "article")]
    assert csv_article.index[0].startswith("faq.csv:") and csv_article.index[0].endswith("#0")
    assert csv_article.text.iloc[0] == (
        "Press ? anywhere to see every keyboard shortcut, and C to create a task."
    )

    # JSON Lines: aliases (title, text, response), numeric ids, split case
    assert dataset.loc["3", ["subject", "split"]].tolist() == ["API limits", "test"]
    assert dataset.loc["3", "answer"].startswith("Hi Fay,")
    assert dataset.loc["jl-1", "split"] == "train"

    # Parquet: Body is the text, a missing id gets a content id, NaN split gets labelled
    assert dataset.loc["7#0", ["subject", "type", "split"]].tolist() == [
        "Storage quotas", "article", "train"
    ]
    assert any(i.startswith("tables/articles.parquet:") for i in dataset.index)

    # Markdown: first heading or front matter; links, images, comments and bold markers go
    notes = dataset.loc["release-notes-2024-06#0"]  # the id from its front matter
    assert notes.subject == "Release notes, June 2024"
    assert "new importer for ClickUp" in notes.text and "formula fields" in notes.text
    for noise in ("**", "https://", "internal", "---"):
        assert noise not in notes.text
    assert dataset.loc["guide#0", "subject"] == "The long onboarding guide"

    # Plain text: the file name is the subject
    assert dataset.loc["notes#0", "subject"] == "notes"
    # HTML: <title>, no page furniture, whitespace and entities normalized, lists kept readable
    page = dataset.loc["page#0"]
    assert page.subject == "Webhook retries"
    assert "within 10 seconds" in page.text and "- 6 times over 24 hours," in page.text
    assert "# Webhook retries" in page.text and "X-Orbitask-Signature | HMAC-SHA256" in page.text
    for noise in ("tracking", "comment", "Help Center", "Orbitask Labs", "font-family", "\xa0"):
        assert noise not in page.text


def test_url_sources_through_a_real_http_server(project, http_server):
    run = run_prep(project, source=f"{http_server}/tickets.jsonl")
    dataset = output_df(run, "dataset")
    assert sorted(dataset.id) == ["3", "jl-1", "jl-2"]
    assert set(dataset.source) == {f"{http_server}/tickets.jsonl"}

    page = output_df(run_prep(project, source=f"{http_server}/page.html"), "dataset")
    assert page.id.tolist() == [f"{http_server}/page#0"] and page.subject[0] == "Webhook retries"

    # No suffix in the URL: the Content-Type header decides the format.
    export = output_df(run_prep(project, source=f"{http_server}/api/export"), "dataset")
    assert export.id.tolist() == ["x-1"] and export.answer[0].endswith("Audit log.")

    # Other schemes go through MLRun's data stores (s3://, v3io://... on a cluster).
    local_url = (DATA / "formats" / "tickets.jsonl").resolve().as_uri()
    assert output_df(run_prep(project, source=local_url), "dataset").source.unique().tolist() == [
        local_url
    ]


@pytest.mark.parametrize(
    "source, message",
    [
        ("tests/assets/data_prep/no/such/folder",
         r"source not found: .*tests/assets/data_prep/no/such/folder"),
        ("errors/no_text_column.csv",
         r"no_text_column\.csv has no text column .*columns found: id, title, category"),
        ("errors/empty.csv", r"empty\.csv is empty"),
        ("errors/header_only.csv", r"header_only\.csv has no rows"),
        ("errors/not_json.jsonl", r"cannot parse .*not_json\.jsonl as JSON Lines: line 1"),
        ("errors/corrupt.parquet", r"cannot parse .*corrupt\.parquet as Parquet"),
        ("errors/wrong_shape.json", r"cannot read .*wrong_shape\.json: expected a JSON list"),
        ("errors/notes.docx", r"unsupported file type: .*notes\.docx"),
        ("errors", r"cannot parse .*corrupt\.parquet"),  # a folder fails on its first bad file
    ],
)
def test_unreadable_sources_fail_with_a_message_naming_them(project, source, message):
    if source.startswith("errors"):
        source = str(DATA / source)
    with pytest.raises(mlrun.runtimes.utils.RunError, match=message):
        run_prep(project, source=source)
    failed = project.list_runs()[0]
    assert failed["status"]["state"] == "error" and re.search(message, failed["status"]["error"])


def test_unreachable_urls_fail_with_a_message_naming_them(project, http_server):
    missing = f"{http_server}/no-such-file.csv"
    with pytest.raises(mlrun.runtimes.utils.RunError,
                       match=rf"cannot fetch {re.escape(missing)}: HTTP 404"):
        run_prep(project, source=missing)
    refused = _refused_url()
    with pytest.raises(mlrun.runtimes.utils.RunError,
                       match=rf"cannot fetch {re.escape(refused)}: connection refused"):
        run_prep(project, source=refused)


# --- filters ------------------------------------------------------------------------------------
EXPECTED_REJECTIONS = {  # (source, id or origin) -> reason
    ("rows.jsonl", "line 4"): "unparseable",
    ("rows.jsonl", "line 20"): "unparseable",
    ("rows.jsonl", "bad-type"): "invalid_field",
    ("rows.jsonl", "bad-split"): "invalid_field",
    ("rows.jsonl", "article-with-answer"): "invalid_field",
    ("rows.jsonl", "base64-blob"): "non_text",
    ("rows.jsonl", "symbols"): "non_text",
    ("scan.txt", "scan"): "non_text",
    ("rows.jsonl", "empty"): "empty",
    ("empty.md", "empty"): "empty",
    ("rows.jsonl", "no-question"): "missing_field",
    ("rows.jsonl", "no-answer"): "missing_field",
    ("rows.jsonl", "short"): "too_short",
    ("rows.jsonl", "short-answer"): "too_short",
    ("rows.jsonl", "too-long"): "too_long",
    ("rows.jsonl", "dup-exact"): "duplicate",
    ("rows.jsonl", "line 17"): "duplicate_id",
    ("rows.jsonl", "near-dup"): "near_duplicate",
}


def test_every_filter_reason_is_reported_with_its_rows(project, tmp_path):
    source = tmp_path / "bad"
    shutil.copytree(DATA / "bad", source)
    noise = random.Random(0)
    (source / "scan.txt").write_bytes(bytes(noise.randrange(256) for _ in range(4000)))
    (source / "attachment.bin").write_bytes(b"\x89PNG\r\n")

    run = run_prep(project, source=str(source))
    rejected = output_df(run, "rejected").fillna("")
    found = {}
    for row in rejected.itertuples():
        by_origin = row.reason in ("unparseable", "duplicate_id")  # no id, or a reused one
        key = (row.source, row.origin if by_origin else row.id)
        found[key] = row.reason
        assert row.detail and (row.snippet or row.reason == "empty"), row
    assert found == EXPECTED_REJECTIONS

    results = run.status.results
    stats = json.loads(mlrun.get_dataitem(run.outputs["stats"]).get())
    for reason in REASONS:
        expected = sum(r == reason for r in EXPECTED_REJECTIONS.values())
        assert results[f"dropped_{reason}"] == stats["dropped"][reason] == expected, reason
    assert stats["files_skipped"] == [
        {"path": "attachment.bin", "reason": "unsupported file type .bin"}
    ]
    assert sorted(output_df(run, "dataset").id) == ["good-1", "good-2", "good-article#0"]
    summary = mlrun.get_dataitem(run.outputs["summary"]).get().decode()
    assert all(reason in summary for reason in REASONS) and "attachment.bin" in summary


def test_a_run_that_keeps_nothing_fails_but_still_reports_why(project):
    with pytest.raises(mlrun.runtimes.utils.RunError, match="kept no rows .* all 1 were rejected"):
        run_prep(project, source=str(DATA / "bad" / "empty.md"))
    failed = project.list_runs()[0]
    assert failed["status"]["results"]["dropped_empty"] == 1
    rejected = mlrun.get_dataitem(failed["status"]["artifact_uris"]["rejected"]).as_df()
    assert rejected.reason.tolist() == ["empty"]


# --- chunking and ids: see test_chunking.py -------------------------------------------------------
def test_invalid_options_are_refused_with_every_problem_named():
    with pytest.raises(ValueError) as error:
        PrepOptions.from_settings(
            chunk_tokens=200, chunk_overlap_tokens=300, near_dup_threshold=1.5, test_fraction=1
        )
    for name in ("chunk_overlap_tokens", "near_dup_threshold", "test_fraction"):
        assert name in str(error.value)


def test_explicit_zeros_and_empty_values_are_not_replaced_by_defaults():
    options = PrepOptions.from_settings(
        min_chars=0, chunk_overlap_tokens=0, test_fraction=0.0, min_alpha_ratio=0, source=""
    )
    assert (options.min_chars, options.chunk_overlap_tokens, options.test_fraction,
            options.min_alpha_ratio, options.source) == (0, 0, 0.0, 0, "")
    defaults = PrepOptions.from_settings()
    assert defaults.min_chars > 0 and defaults.chunk_overlap_tokens > 0
    assert defaults.source == "data/raw"


def test_the_handler_honours_min_chars_0(project, tmp_path):
    source = tmp_path / "notes"  # not tmp_path itself: the run's artifacts land there
    source.mkdir()
    (source / "tiny.txt").write_text("Tap Sync.")  # 9 characters: under the default 20
    (source / "long.txt").write_text("Offline edits sync as soon as the app is back online.")
    default = run_prep(project, source=str(source))
    assert output_df(default, "rejected").reason.tolist() == ["too_short"]
    zero = run_prep(project, source=str(source), min_chars=0)
    assert sorted(output_df(zero, "dataset").id) == ["long#0", "tiny#0"]
    assert json.loads(mlrun.get_dataitem(zero.outputs["stats"]).get())["options"]["min_chars"] == 0


def test_non_text_detection_and_decoding():
    noise = random.Random(1)
    assert non_text_reason(decode_bytes(bytes(noise.randrange(256) for _ in range(3000))), 0.5)
    assert "encoded blob" in non_text_reason("QUJD" * 60, 0.5)
    assert "non-letters" in non_text_reason("1234 5678 9012 3456 !!! ###", 0.5)
    # A legacy-encoded ticket is decoded, not dropped; IPs and card numbers in text are fine.
    ticket = ("Bonjour, je n'arrive pas à exporter le projet en XLSX depuis hier. "
              "Pourriez-vous m'aider rapidement ? Merci beaucoup, Hélène")
    latin = decode_bytes(ticket.encode("cp1252"))
    assert "à exporter" in latin and non_text_reason(latin, 0.5) is None
    pii = "Our office IP 203.0.113.7 is blocked since card 4111 1111 1111 1111 was charged twice."
    assert non_text_reason(pii, 0.5) is None
