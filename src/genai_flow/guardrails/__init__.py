"""Guardrails: the toxicity classifier (an `evaluate` measurement module) and its guard API."""

from .guard import MODULE_DIR, ToxicityGuard, ToxicityUnavailable, load_toxicity

__all__ = ["MODULE_DIR", "ToxicityGuard", "ToxicityUnavailable", "load_toxicity"]
