"""Undo the character tricks people use to slip abuse past a filter, before classifying.

``normalize(text)`` returns what a reader sees: ``wh0re`` -> ``whore``, ``m0th3rf*cker`` ->
``motherfucker``, ``sh1tty p@ge`` -> ``shitty page``, ``f.u.c.k`` -> ``fuck``, ``k i l l`` ->
``kill``, ``stuuupid`` -> ``stupid``, zero-width characters dropped, and look-alike letters
(fullwidth and mathematical ones through NFKC, Cyrillic or Greek inside a Latin word) made
plain Latin. The toxicity head is trained, and applied, on this form.

Ordinary text must come through unchanged, so every rule is gated:
- leetspeak is undone only in a token where substitutes sit *between letters* (``wh0re``,
  ``sh!t``, ``a$$hole``) and no other digit appears: ``404``, ``2FA``, ``Q3``, ``v1.2``,
  ``mp4``, ``$49.99``, ``5pm``, ``1st``, ``x86``, ``sha256``, ``0x1F`` stay as they are;
- masking (``f*ck``, ``sh#t``, ``f_ck``) is undone only when exactly one word of a small
  lexicon fits, so ``**kwargs``, ``snake_case``, ``C#`` and ``a*b`` stay;
- spelled-out letters (``f.u.c.k``, ``k i l l``, ``a-s-s``) are joined only as a run of three
  single characters or more (four with spaces: ``u r a`` stays) with one and the same
  separator, two of them letters, so ``e.g.``, ``i.e.``, ``1.2.3`` and ``W-9`` stay (dotted
  abbreviations are joined: ``S.A.R.L.`` -> ``SARL.``);
- stretched letters collapse only in runs of three (four in capitals: ``AAA``, ``VIII`` stay),
  and never in a word of one repeated letter (``www``, ``YYYY-MM-DD``);
- e-mail addresses, URLs, IPv6 and MAC addresses and UK-style postcodes are never touched.
Known damage, rare in practice: a few product codes with a substitute between letters
(``log4j`` -> ``logaj``, ``w3c`` -> ``wec``).
"""

from __future__ import annotations

import re
import unicodedata

# Characters that stand for letters. "1" reads "i" ("ll" when doubled: "ki11"); the digits
# not listed (2, 6, 8, 9) mark a token as a number or code, never a word.
LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
SUBSTITUTES = "".join(LEET)
MASKS = "*#_"
# Masked words people write: a masked token is restored only to a unique fit in this list.
LEXICON = frozenset(
    "fuck fucking fucked fucker fuckers motherfucker shit shitty bitch bitches cunt ass asshole "
    "arse dick dickhead cock cocksucker pussy whore slut bastard damn crap piss prick twat wanker "
    "fag faggot nigger nigga retard retarded idiot stupid moron kill die rape penis dildo porn tits "
    "boobs cum nudes hell suck loser hoe".split()
)
# Latin look-alikes NFKC keeps (Cyrillic, Greek), mapped only in a token that also has Latin
# letters: Russian or Greek words are left as they are.
CONFUSABLES = str.maketrans("аеорсухкмтвніјѕԁοαερτυνκ", "aeopcyxkmtbhijsdoaeptuvk")
ZERO_WIDTH = re.compile("[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]")
# Never touched: e-mail addresses, URLs, IPv6/MAC-like hex groups, UK-style postcodes.
PROTECTED = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.]+|(?:https?://|www\.)\S+|\b(?:[0-9a-f]{1,4}[:-]){2,}[0-9a-f]{1,4}\b"
    r"|\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b",
    re.IGNORECASE,
)
TOKEN = re.compile(r"[\w@$!*#]+")  # letters, digits, substitutes and masks
# Substitutes between letters ("wh0re"), or a final doubled "1" after lowercase letters
# ("ki11"; not "DE11", an IBAN's start).
BETWEEN_LETTERS = re.compile(f"[^\\W\\d_][{re.escape(SUBSTITUTES)}]+[^\\W\\d_]|[a-z]{{2}}11$")
NOT_A_WORD = re.compile(r"[2689]|^0x[0-9a-f]+$|^[0-9a-f]{6,}$", re.IGNORECASE)
# The same separator throughout: "s W-9" is a word and a form name, not spelled-out letters.
SPELLED = re.compile(
    r"(?<![\w.\-@$])[a-z@$0-9!](?P<sep>[ .\-_])[a-z@$0-9!](?:(?P=sep)[a-z@$0-9!])+(?![\w])", re.IGNORECASE
)
WORD = re.compile(r"[^\W\d_]+")
RUN_TO_ONE = re.compile(r"([aiuyhwkjxvq])\1{2,}|([AIUYHWKJXVQ])\2{3,}")  # rarely doubled
RUN_TO_TWO = re.compile(r"([a-z])\1{2,}|([A-Z])\2{3,}")


def normalize(text: str) -> str:
    """``text`` with leetspeak, masking, spelled-out letters, stretched letters, zero-width
    characters and look-alike letters undone (the rules are in the module docstring)."""
    text = ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", text))
    out, start = [], 0
    for match in PROTECTED.finditer(text):
        out += [_normalize_span(text[start:match.start()]), match.group()]
        start = match.end()
    out.append(_normalize_span(text[start:]))
    return "".join(out)


def _normalize_span(text: str) -> str:
    text = SPELLED.sub(_join_spelled, text)
    text = TOKEN.sub(lambda match: _normalize_token(match.group()), text)
    return WORD.sub(lambda match: _collapse_runs(match.group()), text)


def _collapse_runs(word: str) -> str:
    """"stuuupid" -> "stupid", "sooo" -> "soo"; a word of one letter repeated ("www", "YYYY",
    "zzz") is a placeholder or an abbreviation and stays."""
    if len(set(word.lower())) == 1:
        return word
    word = RUN_TO_ONE.sub(lambda m: m.group(1) or m.group(2), word)
    return RUN_TO_TWO.sub(lambda m: (m.group(1) or m.group(2)) * 2, word)


def _join_spelled(match: re.Match) -> str:
    joined = match.group().replace(match.group("sep"), "")
    # Spaces need four letters: chat shorthand like "u r a" is three.
    if sum(char.isalpha() for char in joined) < 2 or (match.group("sep") == " " and len(joined) < 4):
        return match.group()
    return joined


def _normalize_token(token: str) -> str:
    if not token.isascii() and re.search("[a-zA-Z]", token):
        token = token.translate(CONFUSABLES)
    if NOT_A_WORD.search(token):
        return token
    if BETWEEN_LETTERS.search(token):
        token = _undo_leet(token)
    if any(mask in token.strip(MASKS) for mask in MASKS):
        token = _unmask(token)
    return token


def _undo_leet(token: str) -> str:
    body = token.rstrip("!")  # "idi0t!": the final "!" is punctuation
    body = re.sub("1{2,}", lambda run: "l" * len(run.group()), body)
    return "".join(LEET.get(char, char) for char in body) + token[len(body):]


def _unmask(token: str) -> str:
    """The one lexicon word fitting ``token``, each run of masks standing for as many letters
    (failing that: for any number), else ``token`` unchanged."""
    core = token.strip(MASKS)
    parts = re.split(f"([{re.escape(MASKS)}]+)", core.lower())
    for letters in (lambda run: f"[a-z]{{{len(run)}}}", lambda run: "[a-z]+"):
        pattern = "".join(letters(part) if index % 2 else re.escape(part) for index, part in enumerate(parts))
        fits = [word for word in LEXICON if re.fullmatch(pattern, word)]
        if len(fits) == 1:
            word = fits[0].upper() if core.isupper() else fits[0]
            return token.replace(core, word)
    return token
