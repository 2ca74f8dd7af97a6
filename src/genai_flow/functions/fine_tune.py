"""MLRun function `fine-tune`: LoRA fine-tuning of the LLM on the masked training split."""

import mlrun


def fine_tune(context: mlrun.MLClientCtx, **kwargs) -> None:
    """LoRA fine-tuning of the LLM on the masked training split.

    Not implemented yet: this handler arrives with issue #4.
    """
    raise NotImplementedError("the fine-tune function is not implemented yet (issue #4)")
