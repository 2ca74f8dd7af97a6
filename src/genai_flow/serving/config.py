"""The serving graph's settings, resolved once when the graph is built (see graph.py).

The values travel to the steps as class arguments, so the function spec a cluster receives
shows exactly what its steps will use.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from pathlib import Path
from typing import Optional

from ..settings import Settings, setting, stage_config


@dataclasses.dataclass(frozen=True)
class ServingConfig:
    """The endpoint's knobs (settings ``serving_*``)."""

    quantization: str  # "8bit" (load_in_8bit on CUDA, dynamic int8 on CPU), "4bit" or "none"
    max_new_tokens: int  # answer length when a request gives none
    max_new_tokens_limit: int  # the most a request may ask for
    max_question_chars: int
    max_subject_chars: int
    max_body_bytes: int
    min_confidence: float  # below: the fallback answer, low_confidence: true (settings default)
    min_groundedness: float  # below: the extractive answer, flag_reason "ungrounded" (default)
    off_topic_score: float  # best passage's cosine below: declined (default)
    extract_sentences: int
    off_topic_answer: str
    fallback_answer: str
    refusal: str
    mask_pii: bool
    retrieval: bool
    max_batch_size: int
    batch_wait_ms: float
    max_in_flight: int  # graph requests at once; more get 503 with Retry-After
    request_timeout_s: float  # a graph request's deadline (504)
    host: str
    port: int
    auth_token: Optional[str]
    prompt: Optional[str]  # None: the served model's own prompt; else a library "key[@version]"
    liveops_record: bool = dataclasses.field(metadata=setting("liveops_record"))  # monitoring events on
    liveops_store: Path = dataclasses.field(metadata=setting("liveops_store_file"))  # events and feedback
    liveops_queue_size: int = dataclasses.field(metadata=setting("liveops_queue_size"))

    def is_loopback(self) -> bool:
        """Whether ``host`` is reachable from this machine only."""
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:  # a host name: it may resolve to anything
            return False

    @classmethod
    def from_settings(cls, settings: Optional[Settings] = None, **overrides) -> "ServingConfig":
        return stage_config(cls, "serving_", settings, **overrides)
