"""The human-readable summary of a data-prep run: one self-contained HTML page."""

from __future__ import annotations

import html

from .records import REASONS

_STYLE = """
body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:4px 8px;
text-align:left;vertical-align:top;font-size:13px}th{background:#f3f3f3}
td.n{text-align:right}.zero{color:#999}.bar{background:#c0392b;height:10px;display:inline-block}
"""


def _table(header: list[str], rows: list[list], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(
            f"<td class='n'>{html.escape(str(v))}</td>" if i in numeric
            else f"<td>{html.escape(str(v))}</td>"
            for i, v in enumerate(row)
        ) + "</tr>"
        for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def render_summary(stats: dict, rejected, examples: int = 25) -> str:
    """HTML page: totals, rows per type and split, drops per reason, skipped files, examples."""
    totals = _table(
        ["files read", "files skipped", "rows in", "rows dropped", "records kept", "rows out",
         "articles chunked"],
        [[stats["files_read"], len(stats["files_skipped"]), stats["rows_in"], stats["rows_dropped"],
          stats["records_kept"], stats["rows_out"], stats["articles_chunked"]]],
        numeric=set(range(7)),
    )
    split_rows = [
        [row_type, split, count]
        for row_type, splits in stats["rows_by_type_split"].items()
        for split, count in splits.items()
    ]
    most = max(stats["dropped"].values() or [0]) or 1
    reasons = "".join(
        f"<tr class='{'zero' if count == 0 else ''}'><td>{reason}</td><td class='n'>{count}</td>"
        f"<td><span class='bar' style='width:{int(200 * count / most)}px'></span></td>"
        f"<td>{html.escape(REASONS[reason])}</td></tr>"
        for reason, count in stats["dropped"].items()
    )
    skipped = (
        _table(["file", "why"], [[s["path"], s["reason"]] for s in stats["files_skipped"]])
        if stats["files_skipped"] else "<p>None.</p>"
    )
    sample = rejected.head(examples)
    examples_html = (
        _table(list(sample.columns), sample.values.tolist()) if len(sample) else "<p>None.</p>"
    )
    chunks, tokens = stats["chunk_chars"], stats["chunk_tokens"]
    options = _table(["option", "value"], [[k, v] for k, v in stats["options"].items()])
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>data-prep summary</title><style>{_STYLE}</style></head>
<body>
<h1>data-prep: {html.escape(str(stats["source"]))}</h1>
{totals}
<h2>Rows out by type and split</h2>
{_table(["type", "split", "rows"], split_rows, numeric={2})}
<p>Article chunks: {chunks["min"]} to {chunks["max"]} characters (mean {chunks["mean"]});
{tokens["min"]} to {tokens["max"]} tokens as embedded with their subject (mean {tokens["mean"]};
{html.escape(str(tokens["model"]))} reads at most {tokens["model_limit"]}).</p>
<h2>Dropped rows by reason</h2>
<table><tr><th>reason</th><th>rows</th><th></th><th>meaning</th></tr>{reasons}</table>
<h2>Skipped files</h2>
{skipped}
<h2>Rejected rows (first {examples} of {len(rejected)}; all in the "rejected" artifact)</h2>
{examples_html}
<h2>Options</h2>
{options}
</body></html>
"""
