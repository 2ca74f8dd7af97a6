"""A one-step workflow whose step takes ``seconds``: killed in the middle by a test."""

import mlrun
from kfp import dsl


@dsl.pipeline(name="slow")
def pipeline(seconds: float = 0.0):
    mlrun.run_function("rows", handler="sleep_for", params={"seconds": seconds})
