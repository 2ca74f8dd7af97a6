"""One Hugging Face ``Trainer`` run over tokenized examples, resumable from checkpoints."""

from __future__ import annotations

from pathlib import Path
from typing import Optional, Union

from datasets import Dataset
from transformers import DataCollatorForSeq2Seq, Trainer, TrainingArguments
from transformers.trainer_utils import get_last_checkpoint

from .examples import IGNORE_INDEX


def resolve_checkpoint(resume_from_checkpoint: Union[str, bool, None], output_dir: Path) -> Optional[str]:
    """``"latest"``/True: the newest checkpoint in ``output_dir`` (None if there is none yet);
    a path: that checkpoint; empty/None/False: start fresh."""
    if not resume_from_checkpoint:
        return None
    if resume_from_checkpoint is True or str(resume_from_checkpoint).lower() in ("latest", "true"):
        return get_last_checkpoint(str(output_dir)) if output_dir.is_dir() else None
    path = Path(resume_from_checkpoint)
    if not path.is_dir():
        raise FileNotFoundError(f"checkpoint {path} does not exist")
    return str(path)


def train(
    model,
    tokenizer,
    examples: Dataset,
    output_dir: Path,
    *,
    epochs: float,
    max_steps: Optional[int],
    learning_rate: float,
    batch_size: int,
    gradient_accumulation_steps: int,
    save_steps: int,
    seed: int,
    on_cuda: bool,
    resume_from_checkpoint: Optional[str] = None,
    callbacks: Optional[list] = None,
):
    """Train and return ``(trainer, train_output)``; checkpoints land in ``output_dir``."""
    args = TrainingArguments(
        output_dir=str(output_dir),
        per_device_train_batch_size=batch_size,
        gradient_accumulation_steps=gradient_accumulation_steps,
        num_train_epochs=epochs,
        max_steps=max_steps or -1,
        learning_rate=learning_rate,
        lr_scheduler_type="cosine",
        warmup_steps=0.1,
        logging_steps=1,
        save_strategy="steps",
        save_steps=save_steps,
        save_total_limit=2,
        report_to=[],
        seed=seed,
        data_seed=seed,
        use_cpu=not on_cuda,
        fp16=on_cuda,
        train_sampling_strategy="group_by_length",  # less padding: faster on CPU
        dataloader_num_workers=0,
        remove_unused_columns=False,
        disable_tqdm=False,
    )
    collator = DataCollatorForSeq2Seq(tokenizer, padding=True, label_pad_token_id=IGNORE_INDEX)
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=examples,
        data_collator=collator,
        callbacks=callbacks or [],
    )
    output = trainer.train(resume_from_checkpoint=resume_from_checkpoint)
    return trainer, output
