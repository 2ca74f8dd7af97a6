"""Phone numbers: libphonenumber for the regions the deployment declares, and numbers written
like phone numbers right after a phone word.

- :class:`SupportPhoneRecognizer`: numbers valid for one of the declared regions (setting
  ``pii_phone_regions``; Presidio's default list says "UK" and "FE", which libphonenumber does
  not know, so national UK and French numbers were never found), scored for libphonenumber's
  validation instead of needing a context word; a number written in international form (+ and
  a country code) counts when its length is possible for that country, valid or not: the
  writer says it is a phone number.
- :class:`PhoneShapeRecognizer`: digit groups in a phone layout ("(96) 627-277",
  "21 212 133 2727", "001-420-335-7509x38548") that no declared region validates, kept only
  with a phone word ("call me on", "phone:", "fax", "mobile", ...) just before it or a phone
  label ("office", "mobile") just after it. The check is made here, not by Presidio's context
  enhancer: spaCy lists "call" as a stop word, so the enhancer never sees it.
"""

from __future__ import annotations

from typing import Iterable

import phonenumbers
import regex
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer
from presidio_analyzer.predefined_recognizers import PhoneRecognizer

from .regex_recognizer import CASE_SENSITIVE

# "Order 4158392608" is an order number that happens to be a valid US phone number.
NOT_A_PHONE = regex.compile(
    r"(?i)\b(?:order|invoice|ticket|case|tracking|ref|reference|transaction|account|acct|"
    r"customer|serial)(?:\s*(?:no\.?|number|#|id))?\s*[:#]?\s*$"
)
PHONE_WORDS = ["phone", "telephone", "tel", "mobile", "cell", "call", "text", "number", "reach",
               "whatsapp", "landline", "fax", "contact", "desk", "office", "dial", "ring"]


class SupportPhoneRecognizer(PhoneRecognizer):
    """Phone numbers valid for one of ``regions`` (national formats) or, with a leading +,
    for any region."""

    SCORE = 0.6  # libphonenumber's validation is evidence enough; Presidio's 0.4 needs context
    CONTEXT = PHONE_WORDS

    def __init__(self, regions: Iterable[str]):
        super().__init__(context=self.CONTEXT, supported_regions=tuple(regions), leniency=1)

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
        if sum(c.isdigit() for c in text) < 7:  # no phone number is shorter; most texts skip
            return []
        found = super().analyze(text, entities, nlp_artifacts)
        if "+" in text:  # international form: a possible length is enough
            found += [
                self._get_recognizer_result(match, text, "ZZ", nlp_artifacts)
                for match in phonenumbers.PhoneNumberMatcher(
                    text, "ZZ", leniency=phonenumbers.Leniency.POSSIBLE
                )
            ]
        results = []
        for result in found:
            # libphonenumber keeps an opening bracket with no partner: "(078-42-1120)" ->
            # "(078-42-1120"; the number starts after it.
            if text[result.start] == "(" and ")" not in text[result.start : result.end]:
                result.start += 1
            if not NOT_A_PHONE.search(text[max(0, result.start - 30) : result.start]):
                results.append(result)
        return EntityRecognizer.remove_duplicates(results)



class PhoneShapeRecognizer(PatternRecognizer):
    """PHONE_NUMBER for 7 to 15 digits in groups, as phone numbers are laid out, with a phone
    word just before or a phone label just after."""

    SCORE = 0.5
    # The phone word, then only connecting words: "call me on", "Phone number:", "fax\n".
    WORD_BEFORE = regex.compile(
        rf"(?i)\b(?:{'|'.join(PHONE_WORDS)})(?:s|ed|ing)?"
        r"(?:[\s:#.,()-]|\b(?:me|us|him|her|them|at|on|is|was|no|nr|number|via|or|my|our|your|"
        r"the|direct|line)\b)*$"
    )
    LABEL_AFTER = regex.compile(r"(?i)^[^\S\n]{0,3}[(\[]?(?:office|mobile|cell|home|work|fax|tel|phone|desk)\b")
    # Optional + or 00, a first group (maybe in brackets), then 1-5 more groups joined by one
    # space, dot or dash, and an optional extension. Dates are not phone numbers.
    PATTERN = (
        r"(?<![\w+.-])(?!\d{4}-\d\d-\d\d\b|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b)"
        r"(?:\+|00)?(?:\(\d{1,4}\)|\d{1,4})(?:[ .-]\(?\d{2,4}\)?){1,5}"
        r"(?:\s?(?:x|ext\.?)\s?\d{1,6})?(?![\w-]|\.\d)"
    )
    DIGITS = (7, 15)

    def __init__(self):
        super().__init__(
            "PHONE_NUMBER",
            patterns=[Pattern("phone layout", self.PATTERN, self.SCORE)],
            global_regex_flags=CASE_SENSITIVE,
            name="PhoneShapeRecognizer",
        )

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):  # noqa: D102
        if sum(c.isdigit() for c in text) < self.DIGITS[0]:
            return []
        return [
            r for r in super().analyze(text, entities, nlp_artifacts, regex_flags)
            if not NOT_A_PHONE.search(text[max(0, r.start - 30) : r.start])
            and (self.WORD_BEFORE.search(text[max(0, r.start - 40) : r.start])
                 or self.LABEL_AFTER.match(text[r.end : r.end + 12]))
        ]

    def validate_result(self, pattern_text: str):  # noqa: D102
        number = regex.split(r"\s?(?:x|ext)", pattern_text)[0]
        digits = sum(c.isdigit() for c in number)
        return None if self.DIGITS[0] <= digits <= self.DIGITS[1] else False
