"""PII detection and masking with Presidio, offline (spaCy model from an installed package).

    from genai_flow.pii import mask_text
    masked, entities = mask_text("Call me at (415) 839-2671, Priya")
    # "Call me at <PHONE_NUMBER>, <PERSON>", [{"type": "PHONE_NUMBER", "start": 11, ...}, ...]

Modules:
- ``masker``: the analyzer (loaded once per process) and anonymizer, ``mask_text(s)``;
- ``registry``: the recognizers tuned for support text, with ``address`` and ``cues`` (names
  and places the text announces) built on ``regex_recognizer``;
- ``resolve``: overlapping detections -> the entities that get masked;
- ``operators``: replace / mask / hash / redact / keep;
- ``table``: masking the text columns of a DataFrame; ``report``: HTML and counts;
- ``evaluation``: precision and recall against labeled texts (``data/pii_eval/``);
- ``offline``: no downloads, ever.
"""

from .masker import PiiMasker, get_masker, mask_text, mask_texts
from .registry import SUPPORTED_ENTITIES

__all__ = ["PiiMasker", "SUPPORTED_ENTITIES", "get_masker", "mask_text", "mask_texts"]
