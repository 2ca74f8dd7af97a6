"""PII detection and masking with Presidio, offline (spaCy model from an installed package).

    from genai_flow.pii import PiiConfig, mask_text
    config = PiiConfig.from_settings()  # settings pii_*; keyword overrides by field name
    masked, entities = mask_text("Call me at (415) 839-2671, Priya", config)
    # "Call me at <PHONE_NUMBER>, <PERSON>", [{"type": "PHONE_NUMBER", "start": 11, ...}, ...]

Modules:
- ``config``: :class:`PiiConfig`, the stage's settings resolved once;
- ``masker``: the analyzer (loaded once per process) and anonymizer, ``get_masker(config)``
  (one masker per config), ``mask_text(text, config)``;
- ``registry``: the recognizers tuned for support text, from ``phone`` (libphonenumber for
  the declared regions, phone layouts after a phone word), ``email_address`` (any valid
  domain), ``iban`` (the current IBAN registry, ``schwifty``), ``ip_address`` (whole
  addresses and networks), ``address`` (postal address blocks, with ``address_lines``,
  ``address_parts`` and ``address_words``) and ``cues`` (names and places the text
  announces); ``regex_recognizer``: the flags every pattern runs with and the recognizer
  shapes Presidio lacks;
- ``invalid``: values shaped like an IBAN, IP, SSN or card that fail its check, left alone;
- ``resolve``: overlapping detections -> the entities that get masked;
- ``operators``: replace / mask / hash / redact / keep;
- ``table``: masking the text columns of a DataFrame, each cell with the entity types its
  column and row type allow; ``report``: HTML and counts;
- ``evaluation``: precision and recall against labeled texts (``data/pii_eval/``);
- ``offline``: no downloads, ever;
- ``handler``: the MLRun function.
"""

from .config import SUPPORTED_ENTITIES, PiiConfig

__all__ = ["PiiConfig", "PiiMasker", "SUPPORTED_ENTITIES", "get_masker", "mask_text", "mask_texts"]


def __getattr__(name: str):
    # The masker (Presidio, spaCy) loads on first use, so that importing the config (the
    # serving graph builder does on every project load) stays cheap.
    if name in ("PiiMasker", "get_masker", "mask_text", "mask_texts"):
        from . import masker

        return getattr(masker, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
