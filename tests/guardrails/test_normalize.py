"""Normalization before classifying: character tricks undone, ordinary text left alone."""

from __future__ import annotations

import pytest

from genai_flow.guardrails import ToxicityGuard
from genai_flow.guardrails.normalize import normalize

UNDONE = {
    "wh0re": "whore",
    "m0th3rf*cker": "motherfucker",
    "sh1tty p@ge": "shitty page",
    "d1ckhead": "dickhead",
    "sh!t happens": "shit happens",
    "$h!t": "shit",
    "a$$hole": "asshole",
    "1d10t!": "idiot!",  # the final "!" is punctuation
    "ki11 him": "kill him",
    "f*ck off": "fuck off",
    "f**k": "fuck",
    "sh#t": "shit",
    "f_ck": "fuck",
    "st*pid b*tch": "stupid bitch",
    "F*CK": "FUCK",
    "f.u.c.k you": "fuck you",
    "f-u-c-k": "fuck",
    "k i l l  y o u r s e l f": "kill  yourself",
    "stuuupid": "stupid",
    "STUUUUPID": "STUPID",
    "fuuuuck": "fuck",
    "shiiiit": "shit",
    "cooool": "cool",
    "fu\u200bck": "fuck",  # zero-width space
    "b\u00aditch": "bitch",  # soft hyphen
    "\uff46\uff55\uff43\uff4b": "fuck",  # fullwidth letters (NFKC)
    "\U0001d41f\U0001d42e\U0001d41c\U0001d424": "fuck",  # mathematical bold (NFKC)
    "idi\u043et": "idiot",  # Cyrillic o inside a Latin word
}

UNCHANGED = [
    "Error 404 after the update",
    "Turn on 2FA in Settings",
    "Q3 revenue is up 8%",
    "Upgrade to v1.2.3 or v2",
    "The total is $49.99, or $5 a month",
    "Write to jane.doe@example.com or see https://example.com/a1b3c?x=0",
    "The call is at 5pm, the 1st of May, 10am",
    "x86 builds, sha256 checksums, mp4 files, ipv4 and 0x1F",
    "def f(*args, **kwargs): return a*b",
    "snake_case_name and __init__",
    "C# and F# are languages; #hashtag",
    "e.g. this, i.e. that",
    "5 4 3 2 1, lift-off",
    "u r a legend",  # chat shorthand, three single letters
    "AAA batteries for Henry VIII",
    "hmm, ok",
    "The IPv6 address is 7ee6:dced:d6b7:19e1:e01f:1c3a:a2f3:376b",
    "MAC 00:1a:2b:3c:4d:5e, postcode CM1N 7ZF",
    "Ticket T-10001 and error ORB-1001",
    "Привет, как дела?",  # Cyrillic words stay Cyrillic
    "Wow!!! Great job!",
    "I have 3 cats and 2 dogs",
    "kill the process, then shoot me an email",
    "Dates as YYYY-MM-DD, point the record to www, zzz",
    "Orbitask's W-9 form is on the billing page",
    "We pay from DE11 6864 5440 0000 1234 56",
    "Plan A-B test, x-y offsets",
]


@pytest.mark.parametrize("text, expected", UNDONE.items(), ids=list(UNDONE))
def test_tricks_are_undone(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize("text", UNCHANGED)
def test_ordinary_text_is_left_alone(text):
    assert normalize(text) == text


def test_normalize_is_idempotent_and_exposed_by_the_guard():
    for text in list(UNDONE) + UNCHANGED:
        assert normalize(normalize(text)) == normalize(text)
    assert ToxicityGuard.normalize("wh0re") == "whore"  # what serving embeds for the head
