"""Postal addresses (US, UK, German, French, Indian formats) as one ADDRESS span.

Presidio has no address recognizer and spaCy sees only the city ("Baker" in "221B Baker
Street" even comes out as a PERSON). A full address is anchored on a street line and a
postcode; a street line alone ("42 Elm Street") scores below the threshold unless a context
word ("live", "ship", "address") is near.

Each pattern's whole match is the address, so this is Presidio's own ``PatternRecognizer``,
run case-sensitively (a street name is capitalised).
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from .regex_recognizer import CASE_SENSITIVE

_WORD = r"[\p{Lu}][\p{L}'’.\-]*"  # a capitalised word; "." for "St." and "N."
_CITY_WORD = r"[\p{Lu}][\p{L}'’\-]*"
_CITY = rf"{_CITY_WORD}(?:[ \-](?:am|an|der|sur|on|upon|{_CITY_WORD})){{0,3}}"
_NUMBER = r"\d{1,5}[A-Za-z]?(?:[-/]\d{1,4}[A-Za-z]?)?"
_STREET_TYPE = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|"
    r"Terrace|Parkway|Pkwy|Circle|Highway|Hwy|Square|Sq|Close|Crescent|Gardens|Mews|Grove|"
    r"Row|Walk|Hill|Rise|Marg|Salai|Nagar)\b\.?"
)
_UNIT = r"(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Floor|Fl)\.?\s*#?\w{1,6})"
_COUNTRY = (
    r"(?:,\s*(?:USA|U\.S\.A\.|United States|UK|United Kingdom|Germany|Deutschland|France|"
    r"India))?"
)
_STREET = rf"{_NUMBER},?\s+(?:{_WORD}\s+){{1,3}}{_STREET_TYPE}(?:\s+(?:NW|NE|SW|SE|N|S|E|W)\b)?"
_DE_STREET = (
    rf"(?:{_CITY_WORD}(?:straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|ufer)|"
    rf"{_CITY_WORD}\s+(?:Straße|Strasse|Weg|Allee|Platz|Gasse|Ring|Damm))\s+\d{{1,4}}[a-z]?"
)
_FR_LINK = r"(?:(?:de|du|des|la|le|l'|d')\s+)*"
_FR_STREET = (
    r"\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|place|allée|chemin|"
    rf"impasse|quai|cours|route)\s+{_FR_LINK}[\p{{Lu}}][\p{{L}}'\-]*"
    rf"(?:\s+{_FR_LINK}[\p{{Lu}}][\p{{L}}'\-]*){{0,3}}"
)
_IN_HEAD = r"(?:(?:Flat|House No\.|H\.? ?No\.|Plot|Door No\.)\s*[\w/-]{1,6},\s*)?"
_IN_AREA = rf"(?:,\s*{_CITY_WORD}(?:\s+{_CITY_WORD}){{0,2}})?"
_IN_PIN = r"(?:-\s*)?[1-9]\d{2}\s?\d{3}\b"

ADDRESS_PATTERNS = [  # (name, regex, score)
    ("US address",
     rf"{_STREET}{_UNIT}?,\s*{_CITY},?\s+[A-Z]{{2}}\s+\d{{5}}(?:-\d{{4}})?\b{_COUNTRY}", 0.75),
    ("UK address",
     rf"{_STREET}{_UNIT}?,\s*{_CITY},?\s+[A-Z]{{1,2}}\d[A-Z\d]?\s?\d[A-Z]{{2}}\b{_COUNTRY}", 0.75),
    ("German address", rf"{_DE_STREET},?\s+(?:D-)?\d{{5}}\s+{_CITY}{_COUNTRY}", 0.75),
    ("French address", rf"{_FR_STREET},?\s+\d{{5}}\s+{_CITY}(?:\s+CEDEX)?{_COUNTRY}", 0.75),
    ("Indian address",
     rf"{_IN_HEAD}{_NUMBER},?\s+(?:{_WORD}\s+){{0,3}}{_WORD}{_IN_AREA},\s*{_CITY}\s*{_IN_PIN}"
     rf"{_COUNTRY}", 0.7),
    ("street line", rf"{_STREET}{_UNIT}?", 0.3),
    ("German street line", _DE_STREET, 0.3),
]


class AddressRecognizer(PatternRecognizer):
    """Postal addresses in the formats support tickets carry."""

    CONTEXT = ["address", "live", "living", "ship", "shipping", "deliver", "delivery", "send",
               "moved", "moving", "located", "office", "visit", "billing", "street"]

    def __init__(self):
        super().__init__(
            "ADDRESS",
            patterns=[Pattern(name, expr, score) for name, expr, score in ADDRESS_PATTERNS],
            context=self.CONTEXT,
            global_regex_flags=CASE_SENSITIVE,
        )
