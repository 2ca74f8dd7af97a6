"""Reading and checking a dataset input (an MLRun DataItem), with errors that name it."""

import mlrun
import pandas as pd


def read_dataset(item: mlrun.DataItem) -> pd.DataFrame:
    """The table behind ``item`` (parquet, csv, json or jsonl); a ``ValueError`` naming the
    source if it cannot be read, so a step's failure says which input was bad."""
    url = item.url or item.key
    try:
        if str(url).endswith(".jsonl"):  # MLRun's as_df() reads .json but not JSON lines
            return pd.read_json(item.local(), lines=True, dtype=False)
        return item.as_df()
    except Exception as error:  # the reader's own message, with the source named
        raise ValueError(f"cannot read dataset {url}: {error}") from error


def require_columns(frame: pd.DataFrame, columns, source: str = "dataset") -> None:
    """A ``ValueError`` naming the source, the missing columns and the ones it has."""
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(
            f"{source} is missing the column(s) {', '.join(map(str, missing))} "
            f"(it has: {', '.join(map(str, frame.columns)) or 'none'})"
        )
