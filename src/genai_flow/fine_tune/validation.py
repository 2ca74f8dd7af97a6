"""The validation loss: answer loss on training tickets held out of training (tune selects by it)."""

from __future__ import annotations

import math
from typing import Optional, Sequence

import pandas as pd

from ..evaluate.perplexity import answer_perplexity
from ..prompts import Passage, PromptTemplate
from ..tuned_model import TunedModel


def validation_loss(
    model, tokenizer, template: PromptTemplate, plan, rows: pd.DataFrame, max_length: int, batch_size: int,
    passages: Optional[Sequence[Sequence[Passage]]] = None,
) -> float:
    """Mean negative log-likelihood per answer token of ``rows`` under the trained ``model``:
    the training loss, measured on answers it did not train on (dropout off)."""
    model.eval()
    tuned = TunedModel(model, tokenizer, template, plan, info={}, folder=None)
    return math.log(answer_perplexity(tuned, rows, max_length, batch_size, passages))
