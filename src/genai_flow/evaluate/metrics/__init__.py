"""Metric modules for Hugging Face `evaluate`, shipped with the project so that nothing is
fetched from the hub at run time (``evaluate.load("rouge")`` downloads its script)."""

from __future__ import annotations

import functools
from pathlib import Path

import evaluate

MODULES_DIR = Path(__file__).resolve().parent


@functools.lru_cache(maxsize=None)
def load_metric(name: str) -> evaluate.EvaluationModule:
    """``evaluate.load`` of the module folder ``metrics/<name>/`` (offline, cached per process)."""
    folder = MODULES_DIR / name
    if not (folder / f"{name}.py").is_file():
        raise ValueError(f"no evaluate module named {name!r} in {MODULES_DIR}")
    return evaluate.load(str(folder))
