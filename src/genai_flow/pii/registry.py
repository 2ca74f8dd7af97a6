"""The recognizer registry tuned for support text.

Presidio's default registry loads about twenty recognizers, several for identifiers that never
appear in support tickets and that misfire on ones that do: its UK NHS recognizer tagged a US
phone number as UK_NHS with score 1.0, and the US driver-licence and bank-account recognizers
match order numbers. This registry keeps what support text needs and fixes the built-ins:

- credit cards including Mastercard's 2-series (2221-2720), Luhn-checked;
- US SSNs in the 3-2-4 shape outrank a phone reading of the same digits;
plus phone numbers through libphonenumber for the declared regions (:mod:`.phone`), e-mail
addresses by syntax (:mod:`.email_address`), IBANs from the current registry
(:mod:`.iban`), whole IP addresses and networks (:mod:`.ip_address`), postal addresses
(:mod:`.address`) and announced names and places (:mod:`.cues`).
"""

from __future__ import annotations

from typing import Iterable

from presidio_analyzer import Pattern, RecognizerRegistry
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    SpacyRecognizer,
    UsSsnRecognizer,
)

from .address import AddressRecognizer
from .cues import LocationCueRecognizer, NameCueRecognizer
from .email_address import EmailAddressRecognizer
from .iban import RegistryIbanRecognizer
from .ip_address import IpAddressRecognizer
from .phone import PhoneShapeRecognizer, SupportPhoneRecognizer

# spaCy labels -> Presidio entities. Every other label is ignored: dates, amounts,
# organisations and products are not personal data in support text.
SPACY_LABELS = {"PERSON": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION", "FAC": "LOCATION"}
SPACY_IGNORED_LABELS = (
    "CARDINAL", "DATE", "EVENT", "LANGUAGE", "LAW", "MONEY", "NORP", "ORDINAL", "ORG",
    "PERCENT", "PRODUCT", "QUANTITY", "TIME", "WORK_OF_ART",
)
NER_SCORE = 0.85
NER_RECOGNIZER = "SpacyRecognizer"  # recognizer name on NER results (see resolve.py)


class SupportCreditCardRecognizer(CreditCardRecognizer):
    """Presidio's Luhn-checked card recognizer, plus Mastercard's 2-series prefixes."""

    PATTERNS = [
        Pattern(
            "card number (Luhn-checked)",
            r"\b(?!1\d{12}(?!\d))((4\d{3})|(5[0-5]\d{2})|(2[2-7]\d{2})|(6\d{3})|(1\d{3})|(3\d{3}))"
            r"[- ]?(\d{3,4})[- ]?(\d{3,4})[- ]?(\d{3,5})\b",
            0.3,  # a Luhn-valid match is raised to 1.0 by validate_result
        )
    ]
    CONTEXT = ["card", "credit", "debit", "visa", "mastercard", "amex", "discover", "paid",
               "charged", "payment"]

    def __init__(self):
        super().__init__(patterns=self.PATTERNS, context=self.CONTEXT)


class SupportSsnRecognizer(UsSsnRecognizer):
    """Presidio's SSN recognizer with the 3-2-4 shape scored above a phone reading (0.6)."""

    PATTERNS = [
        *[p for p in UsSsnRecognizer.PATTERNS if p.name != "SSN5 (medium)"],
        Pattern("SSN 3-2-4", r"\b([0-9]{3})([- .])([0-9]{2})\2([0-9]{4})\b", 0.65),
    ]
    CONTEXT = ["ssn", "ssns", "ss#", "social", "security"]

    def __init__(self):
        super().__init__(patterns=self.PATTERNS, context=self.CONTEXT)


def build_registry(phone_regions: Iterable[str]) -> RecognizerRegistry:
    """The tuned registry (English). Which entities run is chosen per analyze call."""
    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in (
        SpacyRecognizer(supported_entities=["PERSON", "LOCATION"], ner_strength=NER_SCORE),
        NameCueRecognizer(),
        LocationCueRecognizer(),
        AddressRecognizer(),
        EmailAddressRecognizer(),
        SupportPhoneRecognizer(phone_regions),
        PhoneShapeRecognizer(),
        SupportCreditCardRecognizer(),
        RegistryIbanRecognizer(),
        SupportSsnRecognizer(),
        IpAddressRecognizer(),
    ):
        registry.add_recognizer(recognizer)
    return registry
