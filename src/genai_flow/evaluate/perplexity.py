"""Perplexity of reference answers under a model, given the shared prompt (answer tokens only)."""

from __future__ import annotations

import math
from typing import Optional, Sequence

import pandas as pd
import torch
from transformers import DataCollatorForSeq2Seq

from ..fine_tune.examples import IGNORE_INDEX, answer_labels, build_examples
from ..prompts import Passage
from ..tuned_model import TunedModel


@torch.inference_mode()
def answer_perplexity(
    tuned: TunedModel,
    rows: pd.DataFrame,
    max_length: int,
    batch_size: int,
    passages: Optional[Sequence[Sequence[Passage]]] = None,
) -> float:
    """exp(mean negative log-likelihood per answer token) over all rows: the quantity the
    fine-tune loss minimizes (same prompt + answer tokens, same mask, the same retrieved
    ``passages`` in the prompt), on held-out answers."""
    examples, _ = build_examples(rows, tuned.tokenizer, tuned.template, max_length, passages, progress=False)
    # Pads like fine-tune's collator (labels with IGNORE_INDEX); transformers' own, so the
    # evaluate image needs no TRL.
    collator = DataCollatorForSeq2Seq(tuned.tokenizer, padding=True, label_pad_token_id=IGNORE_INDEX)
    total_nll, total_tokens = 0.0, 0
    for start in range(0, len(examples), batch_size):
        chunk = examples.select(range(start, min(start + batch_size, len(examples))))
        batch = collator([
            {"input_ids": e["input_ids"], "attention_mask": [1] * len(e["input_ids"]), "labels": answer_labels(e)}
            for e in chunk
        ])
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
