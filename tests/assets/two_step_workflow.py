"""A two-step workflow: the second step reads the first step's dataset through the run DB."""

import mlrun
from kfp import dsl


@dsl.pipeline(name="two-step")
def pipeline(rows: int = 4):
    make = mlrun.run_function("rows", handler="make_rows", params={"rows": rows}, outputs=["table"])
    mlrun.run_function("rows", handler="count_rows", inputs={"table": make.outputs["table"]})
