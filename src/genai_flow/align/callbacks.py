"""Reports the preference-optimization progress to the MLRun run while DPOTrainer runs."""

from __future__ import annotations

from transformers import TrainerCallback

LOGGED = {"loss": "dpo_loss", "rewards/margins": "reward_margin", "rewards/accuracies": "reward_accuracy"}


class MLRunRewardCallback(TrainerCallback):
    """Per logged training step: DPO loss, reward margin (chosen minus rejected implicit reward)
    and reward accuracy (share of pairs whose chosen answer wins), as run results."""

    def __init__(self, context):
        self.context = context
        self.steps: list[int] = []
        self.history: dict[str, list[float]] = {name: [] for name in LOGGED.values()}

    def on_log(self, args, state, control, logs=None, **kwargs):
        if not logs or "loss" not in logs or "eval_loss" in logs:
            return
        self.steps.append(state.global_step)
        for key, name in LOGGED.items():
            self.history[name].append(round(float(logs.get(key, float("nan"))), 5))
        if self.context is not None:
            self.context.log_results({f"{name}_per_step": list(values) for name, values in self.history.items()})
