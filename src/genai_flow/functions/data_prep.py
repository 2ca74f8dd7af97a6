"""MLRun function `data-prep`: Collect, filter, normalize, chunk and label raw text into a dataset."""

import mlrun


def prep_data(context: mlrun.MLClientCtx, **kwargs) -> None:
    """Collect, filter, normalize, chunk and label raw text into a dataset.

    Not implemented yet: this handler arrives with issue #3.
    """
    raise NotImplementedError("the data-prep function is not implemented yet (issue #3)")
