"""Two plain MLRun handlers for the embedded run DB tests: one logs a dataset, one reads it."""

import pandas as pd


def make_rows(context, rows: int = 5):
    """Log a small dataset artifact named 'table'."""
    frame = pd.DataFrame({"text": [f"row {i}" for i in range(rows)], "n": range(rows)})
    context.log_dataset("table", df=frame, format="parquet")
    context.log_result("rows", rows)


def count_rows(context, table):
    """Read the dataset passed in as an input and report its length and checksum."""
    frame = table.as_df()
    context.log_result("count", len(frame))
    context.log_result("total", int(frame["n"].sum()))


def fail(context):
    raise ValueError("this step fails on purpose")


def sleep_for(context, seconds: float = 0.0):
    """Take ``seconds`` (a step to kill in the middle of)."""
    import time

    time.sleep(seconds)
    context.log_result("slept", seconds)
