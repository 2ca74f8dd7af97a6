"""The serving thresholds: fitted by evaluate and stored with the model, else the settings'.

evaluate writes ``calibration.json`` into the model artifact's folder; the serving graph reads
it from the model it serves when it is built, so an endpoint runs with the thresholds fitted to
its own model. A threshold of None is a signal evaluate dropped because it did not separate
good answers from bad: serving then does not act on it.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path
from typing import Any, Optional

CALIBRATION_FILE = "calibration.json"
logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class ServingThresholds:
    min_confidence: Optional[float]  # answer confidence below: the fallback answer
    min_groundedness: Optional[float]  # groundedness below: the extractive answer
    off_topic_score: Optional[float]  # best passage's cosine below: declined without the LLM
    source: str = "settings"  # or the calibration file they were read from

    FIELDS = ("min_confidence", "min_groundedness", "off_topic_score")

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def save(self, folder: Path, details: Optional[dict] = None) -> Path:
        """Write the thresholds (and what they were fitted on) as ``calibration.json``."""
        path = Path(folder) / CALIBRATION_FILE
        values = {key: getattr(self, key) for key in self.FIELDS}
        path.write_text(json.dumps({"thresholds": values, **(details or {})}, indent=2, default=str))
        return path

    def for_model(self, model: Any) -> "ServingThresholds":
        """These thresholds overridden by those stored with ``model`` (an artifact URI or a
        folder); unchanged for the base model (empty) or a model that was never calibrated."""
        if not model:
            return self
        from ..tuned_model import model_folder

        path = model_folder(model) / CALIBRATION_FILE
        if not path.is_file():
            logger.info("model %s has no %s: serving uses the settings' thresholds", model, CALIBRATION_FILE)
            return self
        stored = json.loads(path.read_text()).get("thresholds", {})
        values = {key: stored[key] for key in self.FIELDS if key in stored}
        return dataclasses.replace(self, **values, source=str(path))
