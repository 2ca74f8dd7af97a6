"""What a person looks at after a masking run: an HTML page with the detected entities
highlighted (one colour per type) and the counts per entity type, as a table and a chart."""

from __future__ import annotations

import html
from collections import Counter
from typing import Iterable, Optional, Sequence

import pandas as pd

from .table import Cell

COLOURS = {
    "PERSON": "#ffd6a5", "EMAIL_ADDRESS": "#caffbf", "PHONE_NUMBER": "#9bf6ff",
    "ADDRESS": "#bdb2ff", "LOCATION": "#ffc6ff", "CREDIT_CARD": "#ffadad",
    "IBAN_CODE": "#fdffb6", "US_SSN": "#ff8fab", "IP_ADDRESS": "#a0c4ff",
}
_SPARE = ["#d0f4de", "#e4c1f9", "#fcf6bd", "#a9def9", "#ffb5a7"]


def colour(entity: str) -> str:
    """The highlight colour of an entity type (stable for types outside the table too)."""
    return COLOURS.get(entity) or _SPARE[sum(map(ord, entity)) % len(_SPARE)]


def highlight(text: str, entities: Sequence[dict], show_values: bool = True) -> str:
    """``text`` as HTML with each entity in a coloured ``<mark>`` (its type and score in the
    tooltip). With ``show_values=False`` the values themselves are replaced by their type."""
    parts, cursor = [], 0
    for entity in sorted(entities, key=lambda e: e["start"]):
        parts.append(html.escape(text[cursor : entity["start"]]))
        value = text[entity["start"] : entity["end"]] if show_values else entity["type"]
        parts.append(
            f'<mark style="background:{colour(entity["type"])}" '
            f'title="{entity["type"]} ({entity.get("score", 1.0):.2f})">{html.escape(value)}'
            f'<sub>{entity["type"]}</sub></mark>'
        )
        cursor = entity["end"]
    parts.append(html.escape(text[cursor:]))
    return "".join(parts).replace("\n", "<br>")


def entity_counts(cells: Iterable[Cell]) -> pd.DataFrame:
    """Detected entities per type and column: columns ``entity_type``, ``column``, ``count``."""
    counts = Counter((e["type"], cell.column) for cell in cells for e in cell.entities)
    rows = [{"entity_type": t, "column": c, "count": n} for (t, c), n in sorted(counts.items())]
    return pd.DataFrame(rows, columns=["entity_type", "column", "count"])


def counts_chart(counts: pd.DataFrame, title: str = "PII entities found"):
    """A horizontal bar chart of the counts per entity type (a matplotlib figure).

    Built without pyplot: no display backend, nothing left open in a global figure registry.
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    totals = counts.groupby("entity_type")["count"].sum().sort_values()
    figure = Figure(figsize=(7, 0.45 * max(len(totals), 1) + 1.2))
    axes = figure.subplots()
    axes.barh(totals.index, totals.values, color=[colour(t) for t in totals.index],
              edgecolor="#555")
    for y, value in enumerate(totals.values):
        axes.text(value, y, f" {value}", va="center")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("entities masked")
    axes.set_title(title)
    figure.tight_layout()
    return figure


def html_report(
    cells: Sequence[Cell],
    counts: pd.DataFrame,
    summary: dict,
    row_ids: Optional[Sequence] = None,
    sample_size: int = 20,
    show_values: bool = True,
) -> str:
    """A self-contained HTML page: summary, legend with counts, and up to ``sample_size``
    cells that contain PII, original (highlighted) next to masked."""
    totals = counts.groupby("entity_type")["count"].sum().to_dict() if len(counts) else {}
    legend = " ".join(
        f'<span class="tag" style="background:{colour(t)}">{html.escape(t)}: {n}</span>'
        for t, n in sorted(totals.items(), key=lambda item: -item[1])
    ) or "<em>no PII found</em>"
    facts = "".join(
        f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
        for k, v in summary.items()
    )
    with_pii = [cell for cell in cells if cell.entities][:sample_size]
    rows = "".join(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td class='masked'>{}</td></tr>".format(
            html.escape(str(row_ids[cell.row] if row_ids is not None else cell.row)),
            html.escape(cell.column),
            highlight(cell.text, cell.entities, show_values),
            html.escape(cell.masked).replace("\n", "<br>"),
        )
        for cell in with_pii
    )
    warning = (
        "<p class='warn'>This report shows the detected values: keep it where the raw data "
        "may be seen (or log it with html_show_values=False).</p>"
        if show_values and with_pii else ""
    )
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>PII report</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }}
table {{ border-collapse: collapse; margin-bottom: 1.2em; }}
td, th {{ border: 1px solid #ddd; padding: 6px 8px; vertical-align: top; text-align: left; }}
mark {{ padding: 1px 3px; border-radius: 3px; }}
mark sub {{ font-size: 0.65em; color: #444; margin-left: 2px; }}
.tag {{ display: inline-block; padding: 2px 8px; margin: 2px; border-radius: 10px; }}
.masked {{ color: #555; font-family: ui-monospace, monospace; font-size: 0.9em; }}
.warn {{ color: #8a4b00; }}
</style></head><body>
<h1>PII report</h1>
<table>{facts}</table>
<h2>Entities found</h2><p>{legend}</p>
<h2>Sample ({len(with_pii)} of {sum(1 for c in cells if c.entities)} cells with PII)</h2>
{warning}
<table><tr><th>row</th><th>column</th><th>original</th><th>masked</th></tr>{rows}</table>
</body></html>
"""
