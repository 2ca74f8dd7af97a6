"""The recognizer registry tuned for support text.

Presidio's default registry loads about twenty recognizers, several for identifiers that never
appear in support tickets and that misfire on ones that do: its UK NHS recognizer tagged a US
phone number as UK_NHS with score 1.0, and the US driver-licence and bank-account recognizers
match order numbers. This registry keeps what support text needs and fixes the built-ins:

- phone numbers through libphonenumber for real region codes (Presidio's default list says
  "UK" and "FE", which libphonenumber does not know, so national UK and French numbers were
  never found), scored for libphonenumber's validation instead of needing a context word;
- credit cards including Mastercard's 2-series (2221-2720), Luhn-checked;
- e-mail addresses validated against the bundled public-suffix snapshot (offline);
- IP addresses: Presidio's IP recognizer (its ``ipaddress`` check) with wider candidate
  patterns (Presidio's IPv6 regex misses most compressed forms such as ``2a01:4db0::57aa``);
- US SSNs in the 3-2-4 shape outrank a phone reading of the same digits;
plus postal addresses (:mod:`.address`) and announced names and places (:mod:`.cues`).
"""

from __future__ import annotations

from typing import Iterable

import regex
from presidio_analyzer import Pattern, RecognizerRegistry
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    PhoneRecognizer,
    SpacyRecognizer,
    UsSsnRecognizer,
)

from .address import AddressRecognizer
from .cues import LocationCueRecognizer, NameCueRecognizer
from .offline import offline_tld_extractor
from .regex_recognizer import CASE_SENSITIVE

# spaCy labels -> Presidio entities. Every other label is ignored: dates, amounts,
# organisations and products are not personal data in support text.
SPACY_LABELS = {"PERSON": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION", "FAC": "LOCATION"}
SPACY_IGNORED_LABELS = (
    "CARDINAL", "DATE", "EVENT", "LANGUAGE", "LAW", "MONEY", "NORP", "ORDINAL", "ORG",
    "PERCENT", "PRODUCT", "QUANTITY", "TIME", "WORK_OF_ART",
)
NER_SCORE = 0.85
NER_RECOGNIZER = "SpacyRecognizer"  # recognizer name on NER results (see resolve.py)


class SupportPhoneRecognizer(PhoneRecognizer):
    """Phone numbers valid for one of ``regions`` (national formats) or, with a leading +,
    for any region."""

    SCORE = 0.6  # libphonenumber's validation is evidence enough; Presidio's 0.4 needs context
    CONTEXT = ["phone", "telephone", "tel", "mobile", "cell", "call", "text", "number",
               "reach", "whatsapp", "landline", "fax", "contact"]
    # "Order 4158392608" is an order number that happens to be a valid US phone number.
    NOT_A_PHONE = regex.compile(
        r"(?i)\b(?:order|invoice|ticket|case|tracking|ref|reference|transaction|account|acct|"
        r"customer|serial)(?:\s*(?:no\.?|number|#|id))?\s*[:#]?\s*$"
    )

    def __init__(self, regions: Iterable[str]):
        super().__init__(context=self.CONTEXT, supported_regions=tuple(regions), leniency=1)

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
        if sum(c.isdigit() for c in text) < 7:  # no phone number is shorter; most texts skip
            return []
        results = []
        for result in super().analyze(text, entities, nlp_artifacts):
            # libphonenumber keeps an opening bracket with no partner: "(078-42-1120)" ->
            # "(078-42-1120"; the number starts after it.
            if text[result.start] == "(" and ")" not in text[result.start : result.end]:
                result.start += 1
            if not self.NOT_A_PHONE.search(text[max(0, result.start - 30) : result.start]):
                results.append(result)
        return results


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


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail recognizer; the domain is checked against the bundled public-suffix
    snapshot (the stock one lets tldextract download the list on first use)."""

    CONTEXT = ["email", "e-mail", "mail", "mailbox", "address", "contact"]

    def __init__(self):
        super().__init__(context=self.CONTEXT)

    def validate_result(self, pattern_text: str) -> bool:  # noqa: D102
        return offline_tld_extractor()(pattern_text).fqdn != ""


class SupportSsnRecognizer(UsSsnRecognizer):
    """Presidio's SSN recognizer with the 3-2-4 shape scored above a phone reading (0.6)."""

    PATTERNS = [
        *[p for p in UsSsnRecognizer.PATTERNS if p.name != "SSN5 (medium)"],
        Pattern("SSN 3-2-4", r"\b([0-9]{3})([- .])([0-9]{2})\2([0-9]{4})\b", 0.65),
    ]
    CONTEXT = ["ssn", "ssns", "ss#", "social", "security"]

    def __init__(self):
        super().__init__(patterns=self.PATTERNS, context=self.CONTEXT)


class IpAddressRecognizer(IpRecognizer):
    """IPv4 and IPv6 addresses: regex candidates that ``ipaddress`` accepts (Presidio's
    ``invalidate_result`` drops "10:30:00", a MAC address, "999.1.1.1")."""

    CONTEXT = ["ip", "ipv4", "ipv6", "address", "server", "router", "gateway", "host", "vpn"]
    PATTERNS = [
        Pattern("IPv4", r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)", 0.6),
        Pattern("IPv6", r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}"
                        r"(?:[0-9A-Fa-f]{1,4}|:|(?:\d{1,3}\.){3}\d{1,3})(?:%\w+)?(?![\w:])", 0.7),
    ]

    def __init__(self):
        super().__init__(patterns=self.PATTERNS, context=self.CONTEXT)
        self.global_regex_flags = CASE_SENSITIVE  # as the registry sets it on its own recognizers


def build_registry(phone_regions: Iterable[str]) -> RecognizerRegistry:
    """The tuned registry (English). Which entities run is chosen per analyze call."""
    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in (
        SpacyRecognizer(supported_entities=["PERSON", "LOCATION"], ner_strength=NER_SCORE),
        NameCueRecognizer(),
        LocationCueRecognizer(),
        AddressRecognizer(),
        OfflineEmailRecognizer(),
        SupportPhoneRecognizer(phone_regions),
        SupportCreditCardRecognizer(),
        IbanRecognizer(context=["iban", "bank", "account", "transfer", "sepa", "debit", "refund"]),
        SupportSsnRecognizer(),
        IpAddressRecognizer(),
    ):
        registry.add_recognizer(recognizer)
    return registry
