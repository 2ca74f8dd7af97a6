"""MLRun function `embed`: Embed dataset chunks into a Chroma collection."""

import mlrun


def embed_chunks(context: mlrun.MLClientCtx, **kwargs) -> None:
    """Embed dataset chunks into a Chroma collection.

    Not implemented yet: this handler arrives with issue #3.
    """
    raise NotImplementedError("the embed function is not implemented yet (issue #3)")
