"""Postal addresses as whole ADDRESS spans (genai_flow.pii.address).

The recognizer is tested on its own (no spaCy: fast), then once through the masker to show
that a block's city and country parts do not survive next to it.
"""

from __future__ import annotations

import pytest

from genai_flow.pii import PiiConfig, get_masker
from genai_flow.pii.address import AddressRecognizer
from genai_flow.settings import get_settings

THRESHOLD = get_settings().pii_score_threshold


@pytest.fixture(scope="module")
def recognizer() -> AddressRecognizer:
    return AddressRecognizer()


def found(recognizer, text: str) -> list[str]:
    """The ADDRESS spans the masker would mask at the default threshold."""
    return [text[r.start : r.end] for r in recognizer.analyze(text, ["ADDRESS"])
            if r.score >= THRESHOLD]


# (text, the one address in it); written for these tests in each country's postal format
BLOCKS = [
    # United States: number, street, type, direction; city, state, ZIP
    ("Please ship it to 1600 Pennsylvania Avenue NW, Washington, DC 20500.",
     "1600 Pennsylvania Avenue NW, Washington, DC 20500"),
    ("Our office moved to 88 Cedar Hollow Rd., Suite 210, Austin, TX 78701-4433; old "
     "invoices are still valid.",
     "88 Cedar Hollow Rd., Suite 210, Austin, TX 78701-4433"),
    # United Kingdom: flat first, postcode after the town, country last
    ("Send the contract to Flat 3, 27 Harcourt Terrace, London SW10 9JR, United Kingdom.",
     "Flat 3, 27 Harcourt Terrace, London SW10 9JR, United Kingdom"),
    # Germany: glued street type, house number after, postcode before the city
    ("Our new address is Lindenstraße 12b, 10969 Berlin, Germany.",
     "Lindenstraße 12b, 10969 Berlin, Germany"),
    ("The technician visits Berliner Allee 7, 40212 Düsseldorf on Monday.",
     "Berliner Allee 7, 40212 Düsseldorf"),
    # France: street type before the name
    ("Livraison : 18 rue des Lilas, 69003 Lyon, France",
     "18 rue des Lilas, 69003 Lyon, France"),
    # Netherlands: four digits and two letters
    ("My office is at Prinsengracht 263, 1016 GV Amsterdam.",
     "Prinsengracht 263, 1016 GV Amsterdam"),
    # Spain, Italy, Portugal/Brazil, Poland
    ("Factura a Calle de Alcalá 42, 28014 Madrid, Spain",
     "Calle de Alcalá 42, 28014 Madrid, Spain"),
    ("Deliver to Via Roma 10, 00184 Roma RM by Friday", "Via Roma 10, 00184 Roma RM"),
    ("Ship to: Ana Souza, Rua das Flores 123, Curitiba, 80010-000, Brasil. Phone: later",
     "Rua das Flores 123, Curitiba, 80010-000, Brasil"),
    ("Adres: ul. Długa 5, 00-238 Warszawa", "ul. Długa 5, 00-238 Warszawa"),
    # Sweden, Denmark, Hungary, Czechia (type word in lower case after a capitalised name)
    ("Drottninggatan 53, 111 21 Stockholm", "Drottninggatan 53, 111 21 Stockholm"),
    ("Vesterbrogade 12, 1620 København V", "Vesterbrogade 12, 1620 København V"),
    ("Számla: Andrássy út 60, 1062 Budapest", "Andrássy út 60, 1062 Budapest"),
    ("Václavské náměstí 1, 110 00 Praha 1", "Václavské náměstí 1, 110 00 Praha 1"),
    # India: house number first, locality, city and PIN
    ("Flat 12B, 45 MG Road, Indiranagar, Bengaluru 560038",
     "Flat 12B, 45 MG Road, Indiranagar, Bengaluru 560038"),
    # Australia, Canada, Ireland
    ("Unit 4, 17 Smith Street, Fitzroy VIC 3065", "Unit 4, 17 Smith Street, Fitzroy VIC 3065"),
    ("200 Rue Principale, Montréal, QC H2X 1Y4, Canada",
     "200 Rue Principale, Montréal, QC H2X 1Y4, Canada"),
    ("Post it to 12 Main Street, Ballsbridge, Dublin 4, D04 X9K2.",
     "12 Main Street, Ballsbridge, Dublin 4, D04 X9K2"),
    # Italy and Portugal: the house number after a comma; Romania: "Nr." and block units
    ("Fatturare a Via Garibaldi, 12, 20121 Milano (MI)", "Via Garibaldi, 12, 20121 Milano (MI)"),
    ("Rua do Falcão, 1, 3593-621 Torres Novas", "Rua do Falcão, 1, 3593-621 Torres Novas"),
    ("Our office: Strada Lipscani Nr. 12 Bl. 3 Ap. 4, 030031 Bucuresti",
     "Strada Lipscani Nr. 12 Bl. 3 Ap. 4, 030031 Bucuresti"),
    # a post box, a US military address
    ("Mail it to PO Box 38, Whangarei 0140, New Zealand.",
     "PO Box 38, Whangarei 0140, New Zealand"),
    ("Ship to PSC 802 Box 74\nAPO AE 09499, thanks", "PSC 802 Box 74\nAPO AE 09499"),
]


@pytest.mark.parametrize("text, address", BLOCKS, ids=[b[1][:30] for b in BLOCKS])
def test_blocks_in_many_countries_formats_are_one_span(recognizer, text, address):
    assert found(recognizer, text) == [address]


LOWER_AND_MULTILINE = [
    # lower case, one part per line, an empty region exported as "nan"
    ("return to:\n4 harbour road\napt 2\nportree\nnan\nIV51 9EH",
     "4 harbour road\napt 2\nportree\nnan\nIV51 9EH"),
    ("ship to 742 evergreen terrace, springfield, il 62704 please",
     "742 evergreen terrace, springfield, il 62704"),
    ("address:\n 7 rue du port\n 13002 marseille\n france",
     "7 rue du port\n 13002 marseille\n france"),
    # a blank line inside the block, a city with its district number, no street type
    ("kristof novak\n\n7 mlýnská 12\n apt. 3\n brno 2\n\n czechia 60200",
     "7 mlýnská 12\n apt. 3\n brno 2\n\n czechia 60200"),
    # parts on one line after the unit; the country read through a UTF-8/Latin-1 mix-up
    ("Send it to 9 Hauptgasse 4 Apt. 12 Gmünd Ã–sterreich",
     "9 Hauptgasse 4 Apt. 12 Gmünd Ã–sterreich"),
    # bullet-prefixed lines of a signature, stopping before the phone line
    ("- Jo Park\n- 31 Oak Lane\n- Leeds LS6 2QT\n- Tel: 0113 496 0000",
     "31 Oak Lane\n- Leeds LS6 2QT"),
    # a line without a street type counts after an address cue
    ("She lives at Kastanienhof 3, Weimar", "Kastanienhof 3, Weimar"),
    ("my address: 14 sadova 8, kyiv", "14 sadova 8, kyiv"),
    # the block ends where sentence text starts
    ("Please return to 4 Harbour Road, Portree IV51 9EH in case of an issue.",
     "4 Harbour Road, Portree IV51 9EH"),
    ("How do I change my address to 5 avenue Foch, Nancy, France for paper mail?",
     "5 avenue Foch, Nancy, France"),
]


@pytest.mark.parametrize("text, address", LOWER_AND_MULTILINE,
                         ids=[b[1][:30] for b in LOWER_AND_MULTILINE])
def test_lower_case_and_multi_line_blocks_are_masked_whole(recognizer, text, address):
    assert found(recognizer, text) == [address]


def test_a_postcode_field_is_masked_without_its_label(recognizer):
    assert found(recognizer, "ZIP: 90210") == ["90210"]
    assert found(recognizer, "Postal code: SW1A 1AA, thanks") == ["SW1A 1AA"]


def test_street_line_scores_follow_the_evidence(recognizer):
    def score(text):
        results = recognizer.analyze(text, ["ADDRESS"])
        assert len(results) == 1, text
        return results[0].score

    assert score("Meet me at 42 Elm Street.") == 0.5  # a capitalised street line
    assert score("meet me at 42 elm street.") == 0.3 < THRESHOLD  # reported at threshold 0 only
    assert score("I live at 42 elm street.") == 0.75  # an address cue
    assert score("42 Elm Street, Springfield, IL 62704") == 0.75  # a full block
    assert recognizer.analyze("42 Elm Street", ["PERSON"]) == []


BENIGN = [
    "I have 2 questions about road maps",
    "version 3 street view",
    "in 5 minutes",
    "Room 12",
    "step 3 of the guide",
    "Order 12345 shipped on 12 May 2024 for $45.00",
    "We have 3 main street teams",
    "I connected 2 Google Drive accounts yesterday.",
    "Refund of $120 for order #48213, ticket 5521.",
    "Meeting at 10:30 in Room 4B, Building 2.",
    "Version 2.4.1 fixed the sync; see step 4, section 2.",
    "The plan costs 12 EUR per user per month, 3 users minimum.",
    "Python 3.11, Windows 10, iPhone 15",
    "Windows 10 Pro, Build 19045",
    "It happened on March 15, 2024, around 3 pm.",
    "Invoice INV-2024-0042 is due on 30 June.",
    "Error 404 on page 3, line 27, column 5.",
    "I moved to Windows 11 last week.",
    "Please return to step 4 and try again.",
    "Seats 14 and 15, row 3",
    "Use port 8080, server 3, node 12.",
    "In 2023 Google Drive sync broke twice.",
    "Since 2019 Main Street Bank has used us.",
    "Login from 192.168.0.12, Berlin, Germany at 10:42",
    "MT84 MALT 0110 0001 2345 MTLC AST0 01T",
    "Hello team,\n\nI have 3 workspaces in Europe West and 2 in US East.\n\nThanks,\nAnna",
    "the string 5 is too long, during 3 runs",
    "Sent via Slack, 3.",
    "Python 3, 2000 Lines",
    "iPhone 15, 2023 Model",
    "Apollo 11 landed in 1969.",
    "logs show 45.1.86.215 scanning port 8443.",
]


@pytest.mark.parametrize("text", BENIGN)
def test_sentences_with_numbers_are_left_alone(recognizer, text):
    assert found(recognizer, text) == []


@pytest.fixture(scope="module")
def masker():
    return get_masker(PiiConfig.from_settings())


def test_the_masker_leaves_no_part_of_a_block(masker):
    text = ("Please update the billing address to 52 Harbour View 17\nPortree\n, nan\n"
            " Scotland IV51 9EH for card holder Jo Park.")
    masked, entities = masker.mask(text)
    assert [e["type"] for e in entities if e["type"] != "PERSON"] == ["ADDRESS"]
    for part in ("52", "Harbour", "Portree", "nan", "Scotland", "IV51", "9EH"):
        assert part not in masked
    assert masked.startswith("Please update the billing address to <ADDRESS> for card holder")


def test_numbers_after_a_block_stay_their_own_entities(masker):
    text = "Ship to 31 Oak Lane, Leeds LS6 2QT. Phone: +44 113 496 0000"
    masked, entities = masker.mask(text)
    assert masked == "Ship to <ADDRESS>. Phone: <PHONE_NUMBER>"
