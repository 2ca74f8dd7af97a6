"""Guardrails: the toxicity classifier (an `evaluate` measurement module) and its guard API."""

from .config import ToxicityConfig

__all__ = ["MODULE_DIR", "ToxicityConfig", "ToxicityGuard", "ToxicityUnavailable", "load_toxicity"]


def __getattr__(name: str):
    # The guard (and the `evaluate` library) loads on first use: importing the config stays
    # cheap for the serving graph builder, which runs on every project load.
    if name in __all__:
        from . import guard

        return getattr(guard, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
