"""Street lines for :mod:`.address`: the tokens of a text and the street-line candidates
found from its numbers and street-type words.

A street line is a building number, street-name words and a street type in one of the
orders postal formats use ("42 Elm Street", "14 boulevard Gambetta", "Kirchweg 46",
"Berliner Straße 5", "Andrássy út 60", "Via Roma 10"), a line without a type word
("Školní 939", "52 Ibirapita 8057"), a street name without a number ("boulevard de Hamon",
whose block then needs a postcode or a house number part), a post box ("PO Box 38") or a US
military address. Names are read across case ("98 árpád fejedelem útja 45"), so words that
cannot be names (function words, support vocabulary, units) end a name instead.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Optional

import regex

from .address_words import (
    DIRECTIONS,
    FUNCTION_WORDS,
    GLUED_TYPES,
    HYPHEN_TYPES,
    NAME_PARTICLES,
    NOT_GLUED,
    NOT_NAME_WORDS,
    PARTICLES,
    STRONG_POST_TYPES,
    STRONG_PRE_TYPES,
    UNIT_WORDS,
    WEAK_GLUED_TYPES,
    WEAK_POST_TYPES,
    WEAK_PRE_TYPES,
)

# ------------------------------------------------------------------------------ tokens
# Letters include the Latin-1 punctuation range that UTF-8 text decoded as Latin-1 leaves
# inside words ("SÃ£o TomÃ©").
LETTER = r"[\p{L}\p{M}\u0080-\u009F\u00A1-\u00BF]"
_TOKEN = regex.compile(
    rf"(?P<nl>\n)"
    rf"|(?P<num>(?<![\p{{L}}\d])\d[\d\p{{L}}]*(?:[./:,\-]\d[\d\p{{L}}]*)*)"
    rf"|(?P<alnum>\p{{L}}[\p{{L}}\d'’\-]*\d[\p{{L}}\d'’\-]*)"  # "X5", "ORD-666833"
    rf"|(?P<word>\p{{L}}(?:{LETTER}|['’\-](?=\p{{L}}))*)"
    rf"|(?P<punct>\S)"
)
HAS_DIGIT = regex.compile(r"\d")
_SPACES = regex.compile(r"[ \t]+")
_HOUSE_NUMBER = regex.compile(r"\d{1,5}[A-Za-z]?(?:[/-]\d{1,5}[A-Za-z]?)?")
YEAR = regex.compile(r"(?:19|20)\d\d")
_TIME_WORDS = {"in", "since", "by", "before", "after", "until", "from", "of", "for",
               "during", "and", "or", "to", "year", "fy", "q1", "q2", "q3", "q4"}
_NOT_BEFORE_NUMBER = set("$€£¥#+-–/:.=×x")


@dataclass(slots=True)
class Tok:
    kind: str  # nl, num (house-number shaped), other (other digits), word, alnum, punct
    text: str
    start: int
    end: int
    low: str
    title: bool


def tokenize(text: str) -> list[Tok]:
    tokens = []
    for match in _TOKEN.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind == "num" and not _HOUSE_NUMBER.fullmatch(value):
            kind = "other"
        tokens.append(Tok(kind, value, match.start(), match.end(), value.lower(),
                          value[:1].isupper()))
    return tokens


# "PO Box 38", "Postfach 10 02 33", "Apartado de Correos 4": a street line of its own
POST_BOX = regex.compile(
    r"(?i:\b(?:p\.?[ \t]?o\.?[ \t]?box|post[ \t]+office[ \t]+box|postfach|case[ \t]+postale|"
    r"apartado(?:[ \t]+de[ \t]+correos)?|caixa[ \t]+postal|private[ \t]+bag)"
    r"[ \t]*(?:no\.?[ \t]*)?#?[ \t]*\d{1,6}(?:[ \t]\d{2}){0,2}\b)"
)
# US military mail (USPS Publication 28, 2-5): "Unit 2050 Box 4190, APO AP 96278",
# "USNS Comfort\nFPO AA 34090", "PSC 802 Box 74, APO AE 09499"
MILITARY = regex.compile(
    r"(?i:\b(?:(?:unit|psc|cmr)[ \t]+\d{1,5},?[ \t]+box[ \t]+\d{1,5}|"
    r"(?:uss|usns|usnv|uscgc)[ \t]+\p{L}[\p{L}'’\-]*(?:[ \t]+\p{L}[\p{L}'’\-]*)?)"
    r"[ \t]*,?[ \t]*\n?[ \t]*(?:apo|fpo|dpo)[ \t]+(?:aa|ae|ap)[ \t]+\d{5}(?:-\d{4})?\b)"
)


# ------------------------------------------------------------------------ street lines
@dataclass
class Line:
    start: int
    end: int
    strength: int  # 2: a street type; 1: an everyday-word type; 0: none; 3: military mail
    title: bool  # a capitalised name word
    numbered: bool
    kind: str


# the word is at least two letters longer than the ending
_GLUED_END = regex.compile(r"\w{2}(?:%s)$" % "|".join(GLUED_TYPES))
_WEAK_GLUED_END = regex.compile(r"\w{2}(?:%s)$" % "|".join(WEAK_GLUED_TYPES))
_GLUED = ("glued", "weakglued")
_WEAK = ("weakpost", "weakglued")


@functools.lru_cache(maxsize=16384)
def type_kind(word: str) -> Optional[str]:
    """How a word ends a street name: 'post' ("Street"), 'weakpost' ("Way"), 'glued'
    ("Ziegelgasse"), 'weakglued' ("Mühlenring"); None when it does not."""
    if word in STRONG_POST_TYPES:
        return "post"
    if word in WEAK_POST_TYPES:
        return "weakpost"
    if word not in NOT_GLUED:
        if _GLUED_END.search(word) or "-" in word and word.rsplit("-", 1)[1] in HYPHEN_TYPES:
            return "glued"
        if _WEAK_GLUED_END.search(word):
            return "weakglued"
    return None


class StreetLines:
    """Street-line candidates in one tokenized text."""

    def __init__(self, text: str, tokens: list[Tok]):
        self.text, self.tokens = text, tokens

    def gap(self, i: int) -> str:
        """The text between token i-1 and token i."""
        return self.text[self.tokens[i - 1].end : self.tokens[i].start]

    def same_line_next(self, i: int) -> Optional[int]:
        j = i + 1
        if j < len(self.tokens) and _SPACES.fullmatch(self.gap(j)):
            return j
        return None

    def same_line_prev(self, i: int) -> Optional[int]:
        if i > 0 and _SPACES.fullmatch(self.gap(i)):
            return i - 1
        return None

    def word(self, i: int) -> Optional[tuple[int, str]]:
        """(last token index, lower-case word) when token i is a name or type word; a dot
        right after an abbreviation ("St.", "N.", "rkp.", "Bergstr.") belongs to it."""
        tok = self.tokens[i]
        if tok.kind != "word":
            return None
        low = tok.low
        if low in NOT_NAME_WORDS and type_kind(low) is None and low not in STRONG_PRE_TYPES \
                and low not in WEAK_PRE_TYPES:
            return None
        if low in UNIT_WORDS:
            return None
        last = i
        nxt = i + 1
        if (nxt < len(self.tokens) and self.tokens[nxt].text == "."
                and self.tokens[nxt].start == tok.end
                and (len(low) <= 4 or low.endswith("str"))):
            last = nxt
        return last, low

    def run_forward(self, i: int, limit: int = 6) -> list[tuple[int, int, str]]:
        """Name/type words from token i on, on one line: (first, last, lower)."""
        out = []
        while i is not None and i < len(self.tokens) and len(out) < limit:
            w = self.word(i)
            if not w and out and self.tokens[i].low in NAME_PARTICLES:
                w = (i, self.tokens[i].low)  # "Rua do Falcão", "Largo do Báltico"
            if not w:
                break
            out.append((i, w[0], w[1]))
            i = self.same_line_next(w[0])
        while out and out[-1][2] in NAME_PARTICLES:
            out.pop()
        return out

    def run_backward(self, i: int, limit: int = 5) -> list[tuple[int, int, str]]:
        """Name/type words ending right before token i, on one line, in text order."""
        out = []
        j = self.same_line_prev(i)
        while j is not None and len(out) < limit:
            first = j
            dot = self.tokens[j].text == "." and j > 0
            if dot and self.tokens[j - 1].end == self.tokens[j].start:
                first = j - 1  # "Bergstr." before "30"
            w = self.word(first)
            if not w or w[0] != j:
                break
            out.insert(0, (first, j, w[1]))
            j = self.same_line_prev(first)
        return out

    def house_number(self, i: Optional[int]) -> bool:
        if i is None or i >= len(self.tokens) or self.tokens[i].kind != "num":
            return False
        start = self.tokens[i].start
        return start == 0 or self.text[start - 1] not in _NOT_BEFORE_NUMBER

    def is_title(self, words) -> bool:
        """A capitalised name word (a glued type word is a name: "Ziegelgasse")."""
        return any(self.tokens[first].title for first, _, low in words
                   if low not in PARTICLES and type_kind(low) in (None, *_GLUED)
                   and low not in STRONG_PRE_TYPES and low not in WEAK_PRE_TYPES)

    def modifier_follows(self, last: int) -> bool:
        """The type word is followed by a lower-case content word: "road maps", "Google
        Drive accounts" use the type as a modifier, not as a street name's end."""
        j = self.same_line_next(last)
        if j is None:
            return False
        tok = self.tokens[j]
        return (tok.kind == "word" and tok.text[:1].islower() and tok.low not in FUNCTION_WORDS
                and tok.low not in UNIT_WORDS and tok.low not in DIRECTIONS
                and tok.low != "nan")

    def line(self, first: int, last: int, strength: int, words, numbered: bool, kind: str):
        return Line(self.tokens[first].start, self.tokens[last].end, strength,
                    self.is_title(words), numbered, kind)

    def trailing(self, last: int) -> tuple[int, bool]:
        """Extend over a direction ("NW") and a house number after a street name."""
        j = self.same_line_next(last)
        if j is not None and self.tokens[j].low in DIRECTIONS and self.tokens[j].text.isupper():
            last, j = j, self.same_line_next(j)
        if j is not None and self.tokens[j].low in ("nr", "no", "nº", "n°"):  # "Nr. 15"
            k = j + 1 if j + 1 < len(self.tokens) and self.tokens[j + 1].text == "." else j
            if self.house_number(self.same_line_next(k)):
                return self.same_line_next(k), True
        if self.house_number(j):
            return j, True
        return last, False

    def leading(self, first: int) -> tuple[int, bool]:
        """Extend backwards over one or two building numbers ("19 1755 Nelson ...")."""
        numbered = False
        for _ in range(2):
            j = self.same_line_prev(first)
            if j is not None and self.tokens[j].text == "," and j > 0:
                j = j - 1 if self.tokens[j - 1].end == self.tokens[j].start else None
            if not self.house_number(j) or self.is_year(j):
                break
            first, numbered = j, True
        return first, numbered

    def is_year(self, i: int) -> bool:
        if not YEAR.fullmatch(self.tokens[i].text):
            return False
        j = self.same_line_prev(i)
        return j is not None and self.tokens[j].low in _TIME_WORDS

    def candidates(self) -> list[Line]:
        lines = [Line(m.start(), m.end(), 2, m.group()[:1].isupper(), True, "post box")
                 for m in POST_BOX.finditer(self.text)]
        # a military address is whole by itself (3 points + 1), and may take a country
        lines += [Line(m.start(), m.end(), 3, True, True, "military mail")
                  for m in MILITARY.finditer(self.text)]
        for i, tok in enumerate(self.tokens):
            if tok.kind == "num" and self.house_number(i) and not self.is_year(i):
                lines += self.from_number(i)
            elif tok.kind == "word" and (tok.low in STRONG_PRE_TYPES or tok.low in WEAK_PRE_TYPES
                                         or type_kind(tok.low)):
                lines += self.numberless(i)
        return lines

    def from_number(self, i: int) -> list[Line]:
        """Lines in which token i is the building number (first) or house number (last)."""
        out = []
        # number first: num [num] [,] words...
        j, comma = self.same_line_next(i), False
        last_number = i
        if self.house_number(j) and not self.is_year(j):  # "19 1755 Nelson Mandela Drive"
            last_number, j = j, self.same_line_next(j)
        nxt = last_number + 1
        if j is None and nxt < len(self.tokens) and self.tokens[nxt].text == "," \
                and self.tokens[nxt].start == self.tokens[last_number].end:
            j, comma = self.same_line_next(nxt), True  # "3, rue de Collin", "53/22, ... Path"
        if j is None and nxt < len(self.tokens) and self.tokens[nxt].kind == "nl" \
                and not self.text[self.tokens[last_number].end : self.tokens[nxt].start].strip() \
                and nxt + 1 < len(self.tokens) and self.tokens[nxt + 1].kind == "word":
            j, comma = nxt + 1, True  # "89\nWali Circle": the number on a line of its own
        run = self.run_forward(j) if j is not None else []
        out += self.forward_lines(i, run, typed_only=comma)
        # number last: words num
        back = self.run_backward(i)
        if back:
            out += self.backward_lines(back, i)
        return out

    def forward_lines(self, first: int, run, typed_only: bool = False) -> list[Line]:
        out = []
        if not run:
            return out
        # type before the name: "rue de la République", "boulevard Gambetta"
        head = run[0][2]
        if (head in STRONG_PRE_TYPES or head in WEAK_PRE_TYPES) and len(run) > 1:
            name = run[1:]
            while name and name[-1][2] in PARTICLES:
                name.pop()
            if name:
                last, _ = self.trailing(name[-1][1])
                strength = 2 if head in STRONG_PRE_TYPES else 1
                out.append(self.line(first, last, strength, name, True, "type-first street"))
        # type after the name: the last type word that is not a modifier
        for t in range(len(run) - 1, -1, -1):
            kind = type_kind(run[t][2])
            if kind is None or (kind not in _GLUED and t == 0):
                continue
            if self.modifier_follows(run[t][1]):
                continue
            last, _ = self.trailing(run[t][1])
            strength = 1 if kind in _WEAK else 2
            out.append(self.line(first, last, strength, run[: t + 1], True, "street"))
            break
        else:
            # no street type: "52 Ibirapita 8057", "63 30 N. Stadion"
            if typed_only:
                return out
            name = run[:3]
            last, _ = self.trailing(name[-1][1])
            out.append(self.line(first, last, 0, name, True, "untyped street"))
        return out

    def backward_lines(self, back, number: int) -> list[Line]:
        """Lines ending in the house number ``number``: "Kirchweg 46", "Berliner Straße 5",
        "via Roma 10", "Školní 939"."""
        out = []
        # type before the name ("Vial de Victoriano Abellán 679")
        for p in range(len(back) - 2, -1, -1):
            low = back[p][2]
            if low in STRONG_PRE_TYPES or low in WEAK_PRE_TYPES:
                first, _ = self.leading(back[p][0])
                strength = 2 if low in STRONG_PRE_TYPES else 1
                out.append(self.line(first, number, strength, back[p + 1 :], True,
                                     "type-first street"))
                return out
        kind = type_kind(back[-1][2])
        if kind in _GLUED:
            name = self.same_case(back, 2)
        elif kind is not None and len(back) > 1:
            name = self.same_case(back, 3, type_word=True)
        else:
            kind, name = None, self.same_case(back, 3)
        if not name:
            return out
        first, _ = self.leading(name[0][0])
        strength = 0 if kind is None else 1 if kind in _WEAK else 2
        out.append(self.line(first, number, strength, name, True,
                             "street" if kind else "untyped street"))
        return out

    def same_case(self, back, extra: int, type_word: bool = False):
        """The last word and up to ``extra`` words before it written in the same case
        ("Korte Noordsstraat", "árpád fejedelem útja", not "visit Mühlenweg"); a lower-case
        name may follow a capitalised word ("Ady endre utca"). A separate type word may
        differ in case from its name ("Andrássy út", "Václavské náměstí")."""
        name = [back[-1]]
        if type_word and len(back) > 1:
            name.insert(0, back[-2])
        title = self.tokens[name[0][0]].title
        for word in reversed(back[: len(back) - len(name)]):
            if len(name) > extra:
                break
            if word[2] not in PARTICLES and title and not self.tokens[word[0]].title:
                break
            name.insert(0, word)
        return name  # leading particles belong to the name ("van der Dussengasse")

    def numberless(self, i: int) -> list[Line]:
        """A street line without a number ("boulevard de Hamon", "Baker Street", "Via
        Carli"): an address only with a postcode, a house number or a unit part (checked by
        the block)."""
        low = self.tokens[i].low
        prev = self.same_line_prev(i)
        if prev is not None and self.tokens[prev].kind == "num":
            return []  # the number-first parse has it
        if low in STRONG_PRE_TYPES or low in WEAK_PRE_TYPES:
            run = self.run_forward(i)[1:]  # the name after the type ("Rua do Falcão")
            while run and run[-1][2] in PARTICLES:
                run.pop()
            if run:
                strength = 2 if low in STRONG_PRE_TYPES else 1
                last, numbered = self.trailing(run[-1][1])
                return [self.line(i, last, strength, run, numbered, "type-first street")]
            return []
        kind = type_kind(low)
        if kind is None:
            return []
        w = self.word(i)
        if not w:
            return []
        back = self.run_backward(i) + [(i, w[0], low)]
        name = self.same_case(back, 2) if kind in _GLUED else \
            self.same_case(back, 3, type_word=True)
        if kind not in _GLUED and len(name) < 2:
            return []
        if self.modifier_follows(w[0]):
            return []
        strength = 1 if kind in _WEAK else 2
        return [self.line(name[0][0], w[0], strength, name, False, "street")]

