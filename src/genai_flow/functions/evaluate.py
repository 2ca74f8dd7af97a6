"""MLRun function `evaluate`: Compare the base and tuned models and decide whether to deploy."""

import mlrun


def evaluate(context: mlrun.MLClientCtx, **kwargs) -> None:
    """Compare the base and tuned models and decide whether to deploy.

    Not implemented yet: this handler arrives with issue #4.
    """
    raise NotImplementedError("the evaluate function is not implemented yet (issue #4)")
