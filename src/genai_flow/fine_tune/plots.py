"""The loss curve, as a figure MLRun logs as a plot artifact."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # no display in jobs and tests
import matplotlib.pyplot as plt  # noqa: E402


def loss_curve(steps: list[int], losses: list[float], title: str = "LoRA fine-tuning loss"):
    figure, axes = plt.subplots(figsize=(7, 4))
    axes.plot(steps, losses, marker="o", markersize=3, linewidth=1.5)
    axes.set_xlabel("optimizer step")
    axes.set_ylabel("training loss (answer tokens)")
    axes.set_title(title)
    axes.grid(alpha=0.3)
    figure.tight_layout()
    return figure
