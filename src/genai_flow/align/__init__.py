"""The align stage: preference optimization (RLHF without a reward model: TRL's DPOTrainer) on
top of the supervised LoRA adapter (handler.py is the MLRun function).

config.py (the stage's settings), pairs.py (preference pairs from feedback and from the
training split, the held-out split), tokens.py (pairs as the prompt/chosen/rejected tokens),
trainer.py (DPOTrainer on pre-tokenized pairs), callbacks.py (loss and reward margins per step).
"""

from .config import AlignConfig

__all__ = ["AlignConfig"]
