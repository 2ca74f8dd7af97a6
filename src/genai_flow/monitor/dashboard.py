"""The monitor's HTML dashboard: every figure with its status, the thresholds crossed, the
retraining verdict, and time series of the window (traffic, latency, rates, cost, drift)."""

from __future__ import annotations

import base64
import datetime
import html
import io

import matplotlib

matplotlib.use("Agg")  # no display in jobs and tests
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

STATUS_COLOURS = {"ok": "#1a7f37", "warning": "#9a6700", "alert": "#cf222e", "no_data": "#6e7781"}


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode()


def _times(series: list[dict]) -> list[datetime.datetime]:
    return [datetime.datetime.fromtimestamp(point["start"], tz=datetime.timezone.utc) for point in series]


def _plot(series: list[dict], lines: dict, title: str, ylabel: str, levels=None) -> str:
    """One time-series panel: ``lines`` maps a label to a function of a bucket's figures."""
    figure, axes = plt.subplots(figsize=(6.4, 2.8))
    times = _times(series)
    for label, value in lines.items():
        values = [value(point) for point in series]
        axes.plot(times, [np.nan if v is None else v for v in values], marker="o", markersize=3, label=label)
    for level, colour in zip(levels or (), ("#9a6700", "#cf222e")):
        if level < 1e8:
            axes.axhline(level, color=colour, linestyle="--", linewidth=1)
    axes.set_title(title)
    axes.set_ylabel(ylabel)
    axes.grid(alpha=0.3)
    if len(lines) > 1:
        axes.legend(fontsize=8)
    figure.autofmt_xdate()
    figure.tight_layout()
    return _png(figure)


def _drift_histogram(nearest: np.ndarray, floor: float) -> str:
    figure, axes = plt.subplots(figsize=(6.4, 2.8))
    if len(nearest):
        axes.hist(nearest, bins=30, color="#0969da", alpha=0.8)
    if np.isfinite(floor):
        axes.axvline(floor, color="#cf222e", linestyle="--", label=f"unlike below {floor:.2f}")
        axes.legend(fontsize=8)
    axes.set_title("each question's similarity to its nearest training question")
    axes.set_xlabel("cosine")
    axes.set_ylabel("questions")
    figure.tight_layout()
    return _png(figure)


def dashboard_html(summary: dict, series: list[dict], nearest: np.ndarray, floor: float, config) -> str:
    """``summary``: the monitor's summary; ``series``: each time bucket's figures (with its
    ``start`` and ``unlike_share``); ``nearest``: the window's per-question nearest cosines."""
    def rows():
        for check in summary["checks"]:
            value = "—" if check["status"] == "no_data" else f"{check['value']:.4g}"
            levels = "" if not check["levels"] else f"{check['levels'][0]:g} / {check['levels'][1]:g}"
            colour = STATUS_COLOURS[check["status"]]
            yield (f"<tr><td>{check['name']}</td><td>{value}</td><td>{levels}</td>"
                   f"<td style='color:{colour};font-weight:600'>{check['status']}</td>"
                   f"<td>{html.escape(check['reason'])}</td></tr>")

    panels = [
        _plot(series, {"requests": lambda p: p["requests"]}, "requests per bucket", "requests"),
        _plot(series, {"p50": lambda p: p["latency_ms"]["p50"], "p95": lambda p: p["latency_ms"]["p95"]},
              "latency", "ms", config.latency_p95_ms),
        _plot(series, {"refused": lambda p: p["refusal_rate"], "withheld": lambda p: p["withheld_rate"],
                       "low confidence": lambda p: p["low_confidence_rate"],
                       "weak retrieval": lambda p: p["weak_retrieval_rate"]}, "answer rates", "share"),
        _plot(series, {"negative feedback": lambda p: p["negative_feedback_rate"],
                       "PII hits": lambda p: p["pii_hit_rate"]}, "feedback and PII", "share"),
        _plot(series, {"cost per 1k requests": lambda p: p["cost"]["per_1k_requests"]}, "cost",
              "currency units", config.cost_per_1k_requests),
        _plot(series, {"unlike share": lambda p: p["unlike_share"]}, "input drift per bucket", "share",
              (config.drift_min_share / 2, config.drift_min_share)),
        _drift_histogram(nearest, floor),
    ]
    retrain = summary["retrain"]
    verdict = "recommended" if retrain["recommended"] else "not recommended"
    reasons = "".join(f"<li>{html.escape(reason)}</li>" for reason in retrain["reasons"]) or "<li>no trigger fired</li>"
    crossed = "".join(f"<li><b>{c['status']}</b>: {html.escape(c['reason'])}</li>" for c in summary["crossed"])
    window = summary["window"]
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>genai-flow LiveOps monitor</title>
<style>body{{font-family:system-ui,sans-serif;margin:2em;max-width:1400px}}
table{{border-collapse:collapse}}td,th{{border:1px solid #d0d7de;padding:4px 8px;text-align:left}}
img{{margin:4px}}</style></head><body>
<h1>LiveOps monitor</h1>
<p>window {html.escape(window['since'] or 'start')} to {html.escape(window['until'] or 'now')}:
<b>{summary['requests']}</b> requests, <b>{summary['feedback']['count']}</b> feedback items.
Model: {html.escape(', '.join(summary['models']) or 'none')}.</p>
<h2>Retraining: {verdict}</h2><ul>{reasons}</ul>
<h2>Thresholds crossed</h2><ul>{crossed or '<li>none</li>'}</ul>
<h2>Risk</h2><p>at-risk answers (refused, withheld, low confidence or rated -1):
{summary['risk']['at_risk_rate'] if summary['risk']['at_risk_rate'] is not None else '—'};
cost per 1k requests: {summary['cost']['per_1k_requests']} ({summary['cost']['basis']})</p>
<h2>Figures</h2><table><tr><th>figure</th><th>value</th><th>warning / alert</th><th>status</th><th>why</th></tr>
{''.join(rows())}</table>
<h2>Over time</h2>{''.join(f'<img src="data:image/png;base64,{p}">' for p in panels)}
</body></html>"""
