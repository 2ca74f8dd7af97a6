"""MLRun function `pii`: Detect and mask PII in chosen text columns."""

import mlrun


def mask_pii(context: mlrun.MLClientCtx, **kwargs) -> None:
    """Detect and mask PII in chosen text columns.

    Not implemented yet: this handler arrives with issue #3.
    """
    raise NotImplementedError("the pii function is not implemented yet (issue #3)")
