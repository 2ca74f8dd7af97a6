"""Align test data: the fine-tune tests' tickets and tokenizer."""

from ..fine_tune.conftest import tokenizer  # noqa: F401 (a fixture)
