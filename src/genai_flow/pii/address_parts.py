"""Address parts for :mod:`.address`: what may follow a street line.

A part is a comma- or newline-separated piece of an address block made of elements: a unit
("Apt. 614", "Piso 4"), a postcode (the shapes of the US, UK, Canada, Ireland, the
Netherlands, Poland, Portugal, Brazil, Japan, Sweden, India ... and plain 4-6 digits), a
region code ("GA", "VOV", "(TO)", "il 62704"), a country (``pycountry`` names), a city (one
to four name words, "Ústí nad Labem 2"), a bare house number ("Via Roma, 10") or "nan" (an
empty field as pandas exports it). :func:`parse_part` finds the best reading of one part.
"""

from __future__ import annotations

import regex

from .address_lines import LETTER, YEAR
from .address_words import (
    FUNCTION_WORDS,
    LEADING_PARTICLES,
    MAX_COUNTRY_WORDS,
    NOT_CITY_WORDS,
    PARTICLES,
    country_names,
    fold,
)


# two-letter English words that are no Dutch postcode letters in lower-case text ("2024 in")
TWO_LETTER_WORDS = set("am an as at be by do go he if in is it me my no of on or so to up us "
                        "we".split())

_UNIT = regex.compile(
    r"(?i:(?:apt|apartment|suite|ste|unit|flat|floor|fl|room|rm|bldg|building|block|blk|"
    r"piso|planta|piano|puerta|interior|int|depto|dpto|edif|bloque|escalera|esc|portal|"
    r"appartamento|level|bl|bloc|sc|scara|ap|et|etaj|"
    r"etage|étage|app|appt|lgh|box|po\s?box|p\.\s?o\.\s?box|door|studio)\b\.?"
    r"[ \t]*(?:no\.?[ \t]*)?#?[ \t]*(?:\d[\w/-]{0,5}|[a-z](?![\w]))"
    r"|\#[ \t]?\d[\w-]{0,5}"
    r"|\d{1,3}(?:st|nd|rd|th)[ \t]+(?:floor|fl)\b\.?)"
)
POSTCODE = regex.compile(
    r"(?:(?i:[A-Z]{1,2}\d[A-Z\d]?[ ]?\d[A-Z]{2})"  # UK
    r"|(?i:[A-Z]\d[A-Z][ ]?\d[A-Z]\d)"  # Canada
    r"|(?i:[A-Z]\d[\dW][ ]?[A-Z\d]{4})"  # Ireland (Eircode)
    r"|\d{4}[ ]?(?:[A-Z]{2}|(?!(?:%s)\b)[a-z]{2})"  # Netherlands
    r"|(?i:[A-Z]{1,2}-\d{4,5})"  # D-80331, CH-8000, H-1062
    r"|\d{5}-\d{4}|\d{5}-?\d{3}|\d{4}-\d{3}|\d{3}-\d{4}|\d{2}-\d{3}"  # US+4, BR, PT, JP, PL
    r"|\d{3}[ ]\d{3}|\d{3}[ ]\d{2}"  # IN, SE/CZ/SK/GR
    r"|\d{4,6})"
    r"(?![\w-])" % "|".join(sorted(TWO_LETTER_WORDS))
)
# a house number on its own ("Via Roma, 10"), after "Nr." ("Nr. 471"), or "s/n" (none)
_BARE_NUMBER = regex.compile(
    r"(?:(?i:n[rº°o]\.?)[ \t]*)?\d{1,4}[a-zA-Z]?(?![\w./:,-]\w)|(?i:s/n)(?!\w)"
)
# "GA", "VOV"; "(TO)" and "(sg)" (Italian and Swiss ways); "hi 66878" (lower case, only
# before a postcode)
_REGION = regex.compile(r"\p{Lu}{2,4}(?![\p{L}\d])|\((?i:\p{L}{2,3})\)")
_LOWER_REGION = regex.compile(r"\p{Ll}{2,3}(?=[ \t]+\S)")
_NAN = regex.compile(r"(?i:nan)(?![\p{L}\d])")
# a word of a city name ("Kędzierzyn-Koźle", "D'Orcia", "'s-Gravenzande", "St.")
_CITY_WORD = regex.compile(rf"(?:['’]s-)?\p{{L}}(?:{LETTER}|['’\-](?=\p{{L}}))*\.?")
_DISTRICT = regex.compile(r"[ \t]+\d{1,2}(?![\w.,:/-]\d|\w)")
_WORDS = regex.compile(r"[^\s]+(?:[ ][^\s]+){0,%d}" % (MAX_COUNTRY_WORDS - 1))
_CITY_ABBREVIATIONS = {"st", "ste", "mt", "ft", "pt", "s", "n", "e", "w"}
_PHONE_LIKE = regex.compile(r"\d{2,4}[-.]\d{2,4}[-.]\d{2,5}")  # "SD 20241 440-600-5124"
_ASIDE = regex.compile(r"[ \t]*\([^()\n]{1,60}\)")
_CITY_GAP = regex.compile(r"[ \t]+|-")
_INNER = regex.compile(r"[ \t]+(?:[-–/][ \t]+)?|[ \t]*[-–/][ \t]*")
SOFT = regex.compile(r"\.?[ \t]+")
SEP = regex.compile(  # a "." first: "útja 45.\n apt. 614", "St.\n"
    r"\.?[ \t]*(?:[,;][ \t]*(?:\n[ \t]*)?|\n[ \t]*(?:\n[ \t]*)?)"  # one blank line at most
    r"(?:[^\w\s,]{1,3}[ \t]+)?(?:,[ \t]*)?"  # a bullet ("- ", "??? "), a comma ("\n, VAN")
)
_BOUNDARY = regex.compile(r"[ \t]*(?:[,;\n]|$)|[.!?)\]\"'”’]+(?:\s|$)")
UNIT_BEFORE = regex.compile(  # "Flat 842, " or "Studio " before "5, Kimberley Cove"
    r"(?i:\b(?:flat|apt|apartment|unit|suite|studio|house\s+no|h\.?\s?no|plot|door\s+no|"
    r"block|room|level|po\s?box|p\.\s?o\.\s?box)\.?[ \t]*"
    r"(?:#?[ \t]*(?=[\w/-]*\d)[\w/-]{1,6}[ \t]*,?[ \t]*\n?[ \t]*)?)$"
)
POINTS = {"postcode": 2, "country": 2, "unit": 1, "region": 1, "city": 1, "nan": 1,
          "number": 0, "region+postcode": 3, "postcode-city": 0}
STRONG_PARTS = {"postcode", "country", "unit", "region+postcode"}
_DIGITS = {"postcode", "number", "region+postcode"}
MAX_PARTS = 8


def _country_end(text: str, pos: int) -> list[int]:
    match = _WORDS.match(text, pos)
    if not match:
        return []
    words = match.group().split(" ")
    names, ends = country_names(), []
    for count in range(len(words), 0, -1):
        candidate = " ".join(words[:count]).rstrip(".,;:!?)")
        if fold(candidate) in names:
            end = pos + len(candidate)
            aside = _ASIDE.match(text, end)  # "Slovakia (Slovak Republic)"
            ends.append(aside.end() if aside else end)
    return ends


_FOREIGN_PARTICLES = (PARTICLES - FUNCTION_WORDS) | {"am"}


def _city_particle_before(text: str, at: int) -> bool:
    """A joining word that is not English comes right before ``at`` ("Zell am")."""
    words = text[max(0, at - 8) : at].split()
    return bool(words) and words[-1].lower() in _FOREIGN_PARTICLES


def _city_ends(text: str, pos: int) -> list[int]:
    """Ends of 1-4 word city names starting at ``pos`` (shortest first); particles join
    words ("Ústí nad Labem", "El Akarit") but neither end nor make a name alone."""
    ends, words, at = [], 0, pos
    while words < 4:
        match = _CITY_WORD.match(text, at)
        if not match:
            break
        word = match.group().rstrip(".").lower()
        if word in PARTICLES and (words or word in LEADING_PARTICLES):
            gap = _CITY_GAP.match(text, match.end())
            if not gap:
                break
            at = gap.end()
            continue
        after_particle = words > 0 and _city_particle_before(text, at)
        if word in PARTICLES or word in NOT_CITY_WORDS and not (
                after_particle and match.group()[:1].isupper() and word in FUNCTION_WORDS):
            break  # "Zell am See": a capitalised word after a particle is a name
        words += 1
        end = match.end()
        if match.group().endswith(".") and len(word) > 1 and word not in _CITY_ABBREVIATIONS:
            end -= 1  # "Stuttgart." ends a sentence; "St." and "N." do not
        ends.append(end)
        district = _DISTRICT.match(text, end)
        if district:
            ends.append(district.end())
        gap = _CITY_GAP.match(text, end)
        if not gap:
            break
        at = gap.end()
    return sorted(set(ends))


def _elements(text: str, pos: int, first: bool = False) -> list[tuple[str, int]]:
    """Every address element that can start at ``pos``: (kind, end). ``first``: the
    element opens a part after a comma or line break (where "il 62704" may stand)."""
    found = []
    for kind, pattern in (("unit", _UNIT), ("postcode", POSTCODE), ("nan", _NAN),
                          ("number", _BARE_NUMBER)):
        match = pattern.match(text, pos)
        if match:
            found.append((kind, match.end()))
    match = _REGION.match(text, pos)
    if match:
        found.append(("region", match.end()))
    elif first:
        match = _LOWER_REGION.match(text, pos)
        if match and match.group() not in TWO_LETTER_WORDS:
            gap = _INNER.match(text, match.end())
            code = gap and POSTCODE.match(text, gap.end())
            if code:
                found.append(("region+postcode", code.end()))
    found += [("country", end) for end in _country_end(text, pos)]
    found += [("city", end) for end in _city_ends(text, pos)]
    return found


def parse_part(text: str, pos: int, need_strong: bool):
    """The best parse of one part at ``pos``: (end, kinds, complete) or None.

    Complete parses end where the part ends (a separator, the end, sentence punctuation);
    otherwise the part is cut after its last postcode, country or unit, and only if no digit
    follows ("69 987 88 37" is a phone number, not a postcode and leftovers).
    """
    best, best_cut = None, None
    stack = [(pos, (), pos)]
    while stack:
        at, kinds, last_start = stack.pop()
        for kind, end in _elements(text, at, first=at == pos and not need_strong):
            if end <= at or (kind in kinds and kind != "unit"):
                continue
            if kinds and kinds[-1] in _DIGITS and kind in _DIGITS:
                continue  # "0001 2345": digit groups in a row are an identifier
            if kinds[-1:] == ("number",) and kind != "unit":
                continue  # a bare number stands alone ("Via Roma, 10") or before a unit
            # a cut part may also end in a capitalised city after its postcode ("31000
            # Toulouse within 6 days") or a region code after either ("Roma RM by Friday")
            ends_well = (kind == "city" and text[at].isupper() and kinds[-1:] == ("postcode",)
                         or kind == "region" and kinds[-1:] in (("postcode",), ("city",)))
            seq = kinds + (kind,)
            if kind == "city" and kinds[-1:] == ("postcode",) \
                    and not YEAR.fullmatch(text[last_start:at].strip(" \t-–/")):
                seq = ("postcode-city",) + seq  # "240 09 Kamenice" (not "2024 Edition")
            # "Serbia 23823": a country, not a city; "SD 20241": a region, not a city
            rank = (end, sum(POINTS[k] for k in seq), -seq.count("city"))
            if _BOUNDARY.match(text, end):
                if not need_strong or STRONG_PARTS & set(seq):
                    if best is None or rank > best[0]:
                        best = (rank, seq, True)
            elif kind in STRONG_PARTS or ends_well:
                rest = text[end:].lstrip(" \t")
                if rest and (not rest[0].isdigit() or _PHONE_LIKE.match(rest)):
                    if best_cut is None or rank > best_cut[0]:
                        best_cut = (rank, seq, False)
            if len(seq) < 7:
                gap = _INNER.match(text, end)
                if gap:
                    stack.append((gap.end(), seq, at))
    if best is None or (best_cut is not None and best_cut[0] > best[0]):
        best = best_cut
    return (best[0][0], best[1], best[2]) if best else None

