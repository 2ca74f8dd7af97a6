"""genai-flow: raw text to a guarded, fine-tuned LLM behind an HTTP endpoint, as an MLRun project.

Importing the package applies two local-mode policies, both undone by configuration:
- with no MLRun API configured (``MLRUN_DBPATH`` unset or not a URL) MLRun records runs,
  artifacts and functions in the embedded SQLite run DB (:mod:`genai_flow.rundb`);
- with ``GENAI_FLOW_OFFLINE`` true (the default) the Hugging Face libraries never reach the hub:
  every default model ships in an installed package.
"""

import os

from . import rundb
from .settings import get_settings

__version__ = "0.1.0"

if get_settings().offline:
    for _variable in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ.setdefault(_variable, "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

rundb.enable()
