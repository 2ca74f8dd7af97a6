"""The preference-optimization curves, as a figure MLRun logs as a plot artifact."""

from __future__ import annotations

from ..fine_tune.plots import plt


def reward_curves(steps: list[int], history: dict[str, list[float]]):
    """DPO loss and reward margin per step (the margin should grow as the loss falls)."""
    figure, (loss_axes, margin_axes) = plt.subplots(1, 2, figsize=(11, 3.8))
    loss_axes.plot(steps, history["dpo_loss"], marker="o", markersize=3)
    loss_axes.set_title("DPO loss (training pairs)")
    margin_axes.plot(steps, history["reward_margin"], marker="o", markersize=3, label="reward margin")
    margin_axes.plot(steps, history["reward_accuracy"], marker="o", markersize=3, label="reward accuracy")
    margin_axes.set_title("chosen vs rejected (training pairs)")
    margin_axes.legend(fontsize=8)
    for axes in (loss_axes, margin_axes):
        axes.set_xlabel("optimizer step")
        axes.grid(alpha=0.3)
    figure.tight_layout()
    return figure
