"""Reports training progress to the MLRun run while the Hugging Face Trainer runs."""

from __future__ import annotations

from transformers import TrainerCallback


class MLRunLossCallback(TrainerCallback):
    """Loss per logged step as run results, committed every few steps so the UI (or
    `genai-flow runs`) shows progress before the run ends."""

    def __init__(self, context, commit_every: int = 5):
        self.context = context
        self.commit_every = commit_every
        self.steps: list[int] = []
        self.losses: list[float] = []

    def on_log(self, args, state, control, logs=None, **kwargs):
        if not logs or "loss" not in logs:
            return
        self.steps.append(state.global_step)
        self.losses.append(round(float(logs["loss"]), 5))
        if self.context is None:
            return
        self.context.log_result("train_loss", self.losses[-1])
        self.context.log_result("loss_per_step", list(self.losses))
        if len(self.losses) % self.commit_every == 0:
            self.context.commit(completed=False)
