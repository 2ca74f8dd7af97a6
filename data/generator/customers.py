"""Fictional customers with realistic, valid-format PII (seeded Faker + phonenumbers).

Every value is made up: names, companies and addresses come from Faker; phone numbers are
random digits that libphonenumber accepts as valid for the region; card numbers pass Luhn;
IBANs carry correct check digits; SSNs have a valid format.
"""

from __future__ import annotations

import ipaddress
import random
import re
import unicodedata

import phonenumbers
from faker import Faker
from phonenumbers import PhoneNumberFormat

# Faker locale, phone region, weight, top-level domain of company sites
LOCALES = [
    ("en_US", "US", 34, "com"),
    ("en_GB", "GB", 14, "co.uk"),
    ("de_DE", "DE", 12, "de"),
    ("fr_FR", "FR", 11, "fr"),
    ("en_IN", "IN", 11, "in"),
    ("en_AU", "AU", 4, "com.au"),
    ("es_ES", "ES", 4, "es"),
    ("nl_NL", "NL", 4, "nl"),
    ("it_IT", "IT", 3, "it"),
    ("en_IE", "IE", 3, "ie"),
]
IBAN_LOCALES = {"en_GB", "de_DE", "fr_FR", "es_ES", "nl_NL", "it_IT", "en_IE"}
CARD_TYPES = ["visa16", "visa16", "mastercard", "mastercard", "amex", "discover"]
PROJECT_KEYS = ["WEB", "APP", "OPS", "MKT", "FIN", "HR", "DES", "API", "SUP", "OPS"]
# RFC 5737 documentation ranges, common in real tickets that quote examples
DOC_NETWORKS = ["192.0.2.", "198.51.100.", "203.0.113."]


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", folded.lower())


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    skip = ("and", "und", "et", "e", "y", "the")
    words = [w for w in re.split(r"[^a-z0-9]+", folded) if w and w not in skip]
    return "-".join(words[:2]) or "team"


class CustomerFactory:
    """Deterministic customers: the same seed gives the same people in the same order."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.fakers = {}
        for index, (locale, *_rest) in enumerate(LOCALES):
            faker = Faker(locale)
            faker.seed_instance(seed * 1000 + index)
            self.fakers[locale] = faker
        self._weights = [weight for _l, _r, weight, _t in LOCALES]

    # --- single values ----------------------------------------------------------------------
    def phone(self, region: str) -> str:
        example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
        digits = str(example.national_number)
        for _ in range(500):
            candidate = digits[:2] + "".join(str(self.rng.randrange(10)) for _ in digits[2:])
            number = phonenumbers.parse(f"+{example.country_code}{candidate}")
            if phonenumbers.is_valid_number(number):
                break
        else:  # pragma: no cover - every region above yields valid numbers quickly
            number = example
        style = self.rng.random()
        if style < 0.5:
            return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
        if style < 0.85:
            return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
        return phonenumbers.format_number(number, PhoneNumberFormat.E164)

    def card(self) -> str:
        faker = self.fakers["en_US"]
        kind = self.rng.choice(CARD_TYPES)
        number = faker.credit_card_number(card_type=kind)
        style = self.rng.random()
        if style < 0.25:
            return number
        separator = " " if style < 0.8 else "-"
        groups = [4, 6, 5] if len(number) == 15 else [4, 4, 4, 4]
        parts, position = [], 0
        for size in groups:
            parts.append(number[position : position + size])
            position += size
        return separator.join(parts)

    def iban(self, locale: str) -> str:
        if locale not in IBAN_LOCALES:
            locale = self.rng.choice(sorted(IBAN_LOCALES))
        value = self.fakers[locale].iban()
        if self.rng.random() < 0.5:
            return " ".join(value[i : i + 4] for i in range(0, len(value), 4))
        return value

    def ipv4(self) -> str:
        if self.rng.random() < 0.3:
            return self.rng.choice(DOC_NETWORKS) + str(self.rng.randrange(1, 255))
        return self.fakers["en_US"].ipv4_public()

    def ipv6(self) -> str:
        address = ipaddress.IPv6Address(self.fakers["en_US"].ipv6())
        return address.compressed if self.rng.random() < 0.6 else address.exploded

    def address(self, locale: str) -> str:
        faker = self.fakers[locale]
        street = re.sub(r"\b0+(\d)", r"\1", faker.street_address().replace("\n", ", "))
        if locale == "it_IT":
            # Faker's it_IT city() draws from a list built from a set (hash-seed dependent);
            # postcode_city_province() is deterministic and keeps postcode and town consistent.
            return f"{street}, {faker.postcode_city_province().replace(', ', ' ', 1)}"
        city, postcode = faker.city(), faker.postcode()
        if locale == "en_US":
            return f"{street}, {city}, {faker.state_abbr()} {postcode}"
        if locale in ("de_DE", "fr_FR", "es_ES", "nl_NL", "it_IT"):
            return f"{street}, {postcode} {city}"
        return f"{street}, {city} {postcode}"

    def email(self, first: str, last: str, domain: str) -> str:
        first, last = _ascii(first) or "info", _ascii(last) or "team"
        style = self.rng.random()
        if style < 0.5:
            local = f"{first}.{last}"
        elif style < 0.7:
            local = f"{first[0]}{last}"
        elif style < 0.85:
            local = f"{first}{self.rng.randrange(1, 99)}"
        else:
            local = f"{last}.{first[0]}"
        return f"{local}@{domain}"

    # --- a whole customer ---------------------------------------------------------------------
    def customer(self, locales: list[str] | None = None) -> dict:
        """A customer's values for every ticket placeholder (see model.PLACEHOLDER_ENTITIES)."""
        candidates = [row for row in LOCALES if not locales or row[0] in locales]
        locale, region, _weight, tld = self.rng.choices(
            candidates, weights=[row[2] for row in candidates]
        )[0]
        faker = self.fakers[locale]
        first, last = faker.first_name(), faker.last_name()
        colleague_first, colleague_last = faker.first_name(), faker.last_name()
        company = faker.company()
        company_domain = f"{_slug(company).replace('-', '')}.{tld}"
        own_domain = company_domain if self.rng.random() < 0.6 else faker.free_email_domain()
        return {
            "locale": locale,
            "first": first,
            "full": f"{first} {last}",
            "colleague": f"{colleague_first} {colleague_last}",
            "email": self.email(first, last, own_domain),
            "colleague_email": self.email(colleague_first, colleague_last, company_domain),
            "phone": self.phone(region),
            "address": self.address(locale),
            "card": self.card(),
            "iban": self.iban(locale),
            "ip": self.ipv4(),
            "ip6": self.ipv6(),
            "ssn": self.fakers["en_US"].ssn(),
            "company": company,
            "workspace": _slug(company),
            "task_key": f"{self.rng.choice(PROJECT_KEYS)}-{self.rng.randrange(12, 2400)}",
        }
