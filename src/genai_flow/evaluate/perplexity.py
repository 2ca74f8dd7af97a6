"""Perplexity of reference answers under a model, given the shared prompt (answer tokens only)."""

from __future__ import annotations

import math

import pandas as pd
import torch
from transformers import DataCollatorForSeq2Seq

from ..tuned_model import TunedModel
from ..fine_tune.examples import IGNORE_INDEX, build_examples


@torch.inference_mode()
def answer_perplexity(tuned: TunedModel, rows: pd.DataFrame, max_length: int, batch_size: int) -> float:
    """exp(mean negative log-likelihood per answer token) over all rows: the quantity the
    fine-tune loss minimizes, measured on held-out answers."""
    examples, _ = build_examples(rows, tuned.tokenizer, tuned.template, max_length)
    collator = DataCollatorForSeq2Seq(tuned.tokenizer, padding=True, label_pad_token_id=IGNORE_INDEX)
    total_nll, total_tokens = 0.0, 0
    for start in range(0, len(examples), batch_size):
        batch = collator([examples[i] for i in range(start, min(start + batch_size, len(examples)))])
        batch = {key: value.to(tuned.model.device) for key, value in batch.items()}
        logits = tuned.model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
        # Token t is predicted from position t-1.
        shifted_logits = logits[:, :-1].float()
        targets = batch["labels"][:, 1:]
        nll = torch.nn.functional.cross_entropy(
            shifted_logits.reshape(-1, shifted_logits.size(-1)),
            targets.reshape(-1),
            ignore_index=IGNORE_INDEX,
            reduction="sum",
        )
        total_nll += float(nll)
        total_tokens += int((targets != IGNORE_INDEX).sum())
    if not total_tokens:
        raise ValueError("no answer tokens to score")
    return math.exp(total_nll / total_tokens)
