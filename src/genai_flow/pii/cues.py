"""Names and places that the text itself announces.

The small spaCy model misses many names and places that support text introduces plainly:
single first names ("Thanks, Mei"), names after a role ("my colleague Ewan Fontaine",
"Customer Kenji Castillo"), form fields ("Name: Ines MacLeod"), and cities after a move
("moving from Pune to Glasgow"). These recognizers look for the cue and take the
capitalised words after it.

They are built on :class:`~.regex_recognizer.GroupPatternRecognizer`, not on Presidio's
plain ``PatternRecognizer``: the entity is a named group inside a longer match (the cue is
matched, not masked), one match can hold two entities ("from Pune to Glasgow"), and a matched
name is trimmed of trailing non-name words afterwards ("Thanks Yuki Team!" -> "Yuki").
"""

from __future__ import annotations

from typing import Optional

import regex
from presidio_analyzer import Pattern

from .regex_recognizer import GroupPatternRecognizer

# Mei, Jean-Luc, O'Connell, D'Souza, MacLeod, McKenzie
_PART = r"(?:[OD]['’])?\p{Lu}\p{Ll}+(?:(?:[-'’]\p{Lu}?|(?<=Ma?c)\p{Lu})\p{Ll}+)*\b"
_PARTICLE = r"(?:van der|van den|van|von|de la|de|da|del|der|di|du|le|la|el|al|bin|ibn)"
_NAME = rf"{_PART}(?:\s+(?:{_PARTICLE}\s+)?{_PART}){{0,2}}"
_FULL_NAME = rf"{_PART}\s+(?:{_PARTICLE}\s+)?{_PART}"  # at least first and last name
# "ms." and "dr." in lower case too (typed in a hurry), but only with the dot: "5 ms Latency"
_TITLE = r"(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?|(?:mr|mrs|ms|mx|dr|prof)\.)"

# Capitalised words that follow these cues without being names: "Hi Support Team,",
# "Customer Service", "contact Billing".
NOT_NAMES = set(
    """All Again Everyone Folks Guys Support Team The There Sir Madam Customer Customers Service
    Sales Billing Admin Admins Thanks Thank Regards Best Cheers Hello Hi Dear Hey Good Morning
    Afternoon Evening Please Sorry Yes No Ok Okay Urgent Help Hope Just Happy Kind Warm Many
    Your Our My We You It This That Agent Agents Engineering Management Technical Tech Helpdesk
    Desk Manager Mr Mrs Ms Miss Mx Dr Prof Portal Dashboard Account Accounts Settings Profile
    Interface Experience Success Care Center Centre Relations Data Number Email Phone Name
    Details Info Update Sure Fine Back Here Done Glad Afraid Not Still Also
    Today Tomorrow Yesterday""".split()
)
# Calendar words are names only after a title ("Mr. May", not "in May").
CALENDAR_WORDS = set(
    """Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
    May June July August September October November December""".split()
)
TITLE_BEFORE = regex.compile(rf"\b{_TITLE}\s+$")
NAME_CUES = [
    ("introduction",
     rf"(?i:\b(?:my|his|her|their|maiden|first|last|full|family|sur)\s?name is|\bname's|"
     rf"\bthis is|\bit's|\bit is|\bI'm|\bI am|\bask for|\bspoke with|\bspoke to|"
     rf"\btalked to|\bcalls? me|\bknown as|\bgo(?:es)? by|\bunder the name)"
     rf"\s+(?:{_TITLE}\s+)?(?P<pii>{_NAME})"
     rf"(?=\s*(?:[,.!;:)]|$|\s(?:from|here|and|with|at|in)\b))"),
    ("greeting", rf"(?m:^)\s*(?i:hi|hello|hey|dear|good (?:morning|afternoon|evening))\s+"
                 rf"(?:{_TITLE}\s+)?(?P<pii>{_NAME})\s*[,!:\n]"),
    ("sign-off", rf"(?i:\b(?:thanks|thank you|regards|best|cheers|sincerely|warm wishes|yours))"
                 rf"\s*[,.!]?\s*(?:\n\s*|\s)-*\s*(?P<pii>{_NAME})\s*(?m:$)"),
    ("dash signature", rf"(?:^|\s)[-–—]\s*(?P<pii>{_NAME})\s*(?m:$)"),
    ("title", rf"\b{_TITLE}\s+(?P<pii>(?:{_PARTICLE}\s+)?{_NAME})"),
    # "Thanks Yuki!", "Thanks for your help, Ewan!" (not "Thanks for contacting Acme Support!")
    ("thanks", rf"(?i:\bthanks|\bthank you)(?:\s+for [\p{{L}} ]{{1,30}},|,)?\s+(?P<pii>{_NAME})"
               rf"\s*[!.,]"),
    ("form field", rf"(?i:\b(?:name|full name|customer name|account holder|card ?holder|"
                   rf"contact|attn|attention|recipient|ship to|bill to)\s*:)\s*(?P<pii>{_NAME})"),
    ("role", rf"(?i:\b(?:customer|client|colleague|co-?worker|manager|boss|husband|wife|partner|"
             rf"son|daughter|mother|father|brother|sister|friend|employee|technician|engineer|"
             rf"accountant|assistant|lawyer|tenant|account holder|card ?holder|holder|"
             rf"attention of|on behalf of|contact person|contact)"
             rf"\s*,?\s+(?:is\s+)?)(?:{_TITLE}\s+)?(?P<pii>{_NAME})"),
    # first and last name: "Chrome says" and "Google asked" are no people
    ("reported speech", rf"(?P<pii>{_FULL_NAME})\s+(?:here|called|calling|reported|phoned|said|"
                        rf"says|told|mentioned|asked|wrote|writes)\b"),
    ("mail header", rf"(?P<pii>{_NAME})\s*[<(]\s*[\w.+-]+@"),
    # what only people do: "Filip lives in Utrecht", "Sumaya's kid"
    ("life event", rf"(?P<pii>{_NAME})\s+(?:lives|lived|grew up|was born|passed away)\b"),
    ("kin", rf"(?P<pii>{_NAME})['’]s\s+(?:kids?|sons?|daughters?|wife|husband|mother|mom|mum|"
            rf"father|dad|brothers?|sisters?|parents|children|baby|fianc[eé]e?|uncle|aunt|cousin|"
            rf"grand(?:mother|father|ma|pa)|boyfriend|girlfriend|friend)\b"),
    ("author", rf"(?i:\b(?:directed|written|authored|composed|painted|produced|narrated|"
               rf"illustrated|signed|photographed)\s+by)\s+(?P<pii>{_FULL_NAME})"),
    ("reach someone at", rf"(?i:\b(?:call|email|e-mail|text|message|contact|reach|ask)\s+)"
                         rf"(?P<pii>{_NAME})\s+(?i:at|on|via)\b"),
]

# A "name" ending in one of these is a department or a company ("Acme Support").
ORGANISATION_WORDS = {"Support", "Team", "Care", "Service", "Services", "Desk", "Helpdesk",
                      "Department", "Inc", "Ltd", "GmbH", "LLC", "Corp", "Group"}

_PLACE = rf"{_PART}(?:[ -](?:am |upon |on |de |sur )?{_PART}){{0,2}}"
NOT_PLACES = NOT_NAMES | CALENDAR_WORDS
LOCATION_CUES = [
    ("lives/moves",
     rf"(?i:\b(?:based|located|living|live|lives|staying|stationed|residing|travell?ing|"
     rf"relocat(?:ing|ed)|flying|commuting|grew up|born|raised)\s+(?:in|to|from|at|near))\s+"
     rf"(?P<pii>{_PLACE})"),
    # "moved to Microsoft Teams" is as often a product as a place: moves count only from
    # one place to another.
    ("move from A to B",
     rf"(?i:\b(?:moving|moved|relocating|relocated|travell?ing|flying|driving)\s+from)\s+"
     rf"(?P<pii>{_PLACE})\s+(?i:to)\s+(?P<pii2>{_PLACE})"),
    ("office in",
     rf"(?i:\b(?:in|from|at|near)\s+(?:the|our)\s+)(?P<pii>{_PLACE})\s+"
     rf"(?i:office|branch|store|shop|warehouse|site|headquarters|campus|area|region)\b"),
    ("I'm from", rf"(?i:\b(?:I'm|I am|we're|we are)\s+(?:from|in|based in))\s+(?P<pii>{_PLACE})"),
]


class _CueRecognizer(GroupPatternRecognizer):
    deny: set[str] = set()  # words that are not the entity: trimmed from the end, or reject

    def refine(self, text: str, start: int, end: int) -> Optional[tuple[int, int]]:
        words = list(regex.finditer(r"\S+", text[start:end]))
        while words and words[-1].group() in self.deny:  # "Thanks Yuki Team" -> "Yuki"
            words.pop()
        if not words or words[0].group() in self.deny:  # "Hi Support," -> nothing
            return None
        return start + words[0].start(), start + words[-1].end()


class NameCueRecognizer(_CueRecognizer):
    """PERSON from introductions, greetings, sign-offs, titles, roles and form fields."""

    SCORE = 0.7
    deny = NOT_NAMES | CALENDAR_WORDS

    def refine(self, text: str, start: int, end: int) -> Optional[tuple[int, int]]:
        if TITLE_BEFORE.search(text[max(0, start - 8) : start]):  # "Mr. May": a surname
            words = text[start:end].split()
            if words and words[0] in CALENDAR_WORDS:
                return start, end
        return super().refine(text, start, end)

    def __init__(self):
        super().__init__("PERSON", [Pattern(label, expr, self.SCORE) for label, expr in NAME_CUES])


class LocationCueRecognizer(_CueRecognizer):
    """LOCATION after "based in", "moving from ... to ...", "the ... office"."""

    SCORE = 0.6
    deny = NOT_PLACES

    def __init__(self):
        super().__init__(
            "LOCATION", [Pattern(label, expr, self.SCORE) for label, expr in LOCATION_CUES]
        )
