"""The fine-tune stage: LoRA fine-tuning with TRL's SFTTrainer (handler.py is the MLRun function).

config.py (the stage's settings), examples.py (prompt + answer tokens, the loss mask),
lora.py (the adapter's configuration), trainer.py (SFTTrainer, checkpoints), callbacks.py
(loss per step to the MLRun run), plots.py (the loss curve).
"""

from .config import FineTuneConfig

__all__ = ["FineTuneConfig"]
