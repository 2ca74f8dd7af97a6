"""The monitor's thresholds and prices (settings ``monitor_*``), resolved once by the caller.

The config travels to the monitoring application as a plain dict (its class arguments), so a
cluster's function spec shows exactly which thresholds and prices its application uses.
"""

from __future__ import annotations

import dataclasses
from typing import Optional

from ..settings import Settings, stage_config

Levels = tuple[float, float]  # (warning, alert): a value at or above a level reaches it


@dataclasses.dataclass(frozen=True)
class MonitorConfig:
    refusal_rate: Levels
    withheld_rate: Levels
    low_confidence_rate: Levels
    negative_feedback_rate: Levels
    pii_hit_rate: Levels
    weak_retrieval_rate: Levels
    weak_retrieval_score: float
    latency_p95_ms: Levels
    cost_per_1k_requests: Levels
    price_per_1k_tokens: float
    gpu_hour_price: float
    tokens_per_second: float
    drift_min_share: float
    drift_alpha: float
    min_events: int
    min_feedback: int

    @classmethod
    def from_settings(cls, settings: Optional[Settings] = None, **overrides) -> "MonitorConfig":
        return stage_config(cls, "monitor_", settings, **overrides)

    @classmethod
    def from_dict(cls, values: dict) -> "MonitorConfig":
        """From :meth:`to_dict` (JSON turns the level pairs into lists)."""
        return cls(**{key: tuple(value) if isinstance(value, list) else value for key, value in values.items()})

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def levels(self, figure: str) -> Levels:
        return getattr(self, figure)
