"""All of genai-flow's knobs, with their defaults, in one place.

Precedence, lowest first: the defaults below, environment variables named
``GENAI_FLOW_<FIELD>`` (e.g. ``GENAI_FLOW_LLM_MODEL``), then explicit overrides passed to
:func:`get_settings` (workflow arguments and handler parameters end up there).

Every model setting defaults to a model that ships inside an installed package, so nothing
downloads at run time; any Hugging Face id or local folder is accepted instead.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Optional

from pydantic import BaseSettings, Field


def _default_project_dir() -> Path:
    # From a checkout (editable install) the project is the repository holding project.yaml;
    # anywhere else (a cluster pod, an installed wheel) it is the working directory.
    repo_root = Path(__file__).resolve().parents[2]
    if (repo_root / "project.yaml").is_file():
        return repo_root
    return Path.cwd()


class Settings(BaseSettings):
    """The configuration of one genai-flow project."""

    # --- project and storage -------------------------------------------------------------
    project_name: str = "genai-flow"
    project_dir: Path = Field(default_factory=_default_project_dir)
    rundb_path: Optional[Path] = None  # default: <project_dir>/.mlrun/rundb.sqlite
    artifact_path: Optional[Path] = None  # default: <project_dir>/artifacts
    cache_dir: Optional[Path] = None  # default: <project_dir>/.cache (materialized models)
    offline: bool = True  # forbid Hugging Face hub downloads at run time

    # --- models ------------------------------------------------------------------------------
    llm_model: str = "SmolLM2-135M-Instruct"
    embedding_model: str = "all-MiniLM-L6-v2"
    trust_remote_code: bool = True  # the seed's model_args; only used for hub models on CUDA

    # --- data-prep ------------------------------------------------------------------------------

    # --- pii ------------------------------------------------------------------------------------

    # --- embeddings and retrieval (Chroma) ------------------------------------------------------

    # --- guardrails (toxicity) ------------------------------------------------------------------

    # --- fine-tune ------------------------------------------------------------------------------

    # --- evaluate and the deploy gate -----------------------------------------------------------

    # --- serving --------------------------------------------------------------------------------

    class Config:
        env_prefix = "GENAI_FLOW_"

    @property
    def rundb_file(self) -> Path:
        return Path(self.rundb_path or self.project_dir / ".mlrun" / "rundb.sqlite")

    @property
    def artifacts_dir(self) -> Path:
        return Path(self.artifact_path or self.project_dir / "artifacts")

    @property
    def model_cache_dir(self) -> Path:
        return Path(self.cache_dir or self.project_dir / ".cache") / "models"


@functools.lru_cache(maxsize=1)
def _environment_settings() -> Settings:
    return Settings()


def get_settings(**overrides) -> Settings:
    """Settings from the environment, with ``overrides`` (ignored when None) on top."""
    base = _environment_settings()
    overrides = {key: value for key, value in overrides.items() if value is not None}
    unknown = set(overrides) - set(Settings.__fields__)
    if unknown:
        raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
    if not overrides:
        return base
    return Settings(**{**base.dict(), **overrides})


def reload_settings() -> Settings:
    """Forget cached settings (after the environment changed, e.g. in tests)."""
    _environment_settings.cache_clear()
    return _environment_settings()
