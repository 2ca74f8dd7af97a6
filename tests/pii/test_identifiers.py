"""Identifiers checked by the libraries made for them (schwifty, ipaddress, libphonenumber),
e-mail addresses by syntax, names the text announces, and invalid values left alone.

Real Presidio and spaCy; every text here was written for these tests.
"""

from __future__ import annotations

import pytest

from genai_flow.pii import PiiConfig, mask_text
from genai_flow.pii.iban import iban_candidates
from genai_flow.pii.invalid import invalid_spans
from genai_flow.pii.ip_address import ip_candidates


def masked(text: str, **overrides) -> str:
    return mask_text(text, PiiConfig.from_settings(**overrides))[0]


# ---------------------------------------------------------------------------------- IBAN
@pytest.mark.parametrize("iban", [
    "UA84 3052 9929 9000 0049 1876 5432 1",  # Ukraine: in the registry since 2016
    "EG79 0002 0001 5678 9123 4567 8910 2",  # Egypt (2020)
    "LY38 0210 0100 0000 1234 5678 9",  # Libya (2021)
    "DE02120300000000202051",  # plain
    "GB33-BUKB-2020-1555-5555-55",  # dashes
])
def test_ibans_of_every_registry_country_are_masked_whole(iban):
    assert masked(f"Please refund to {iban} today.") == "Please refund to <IBAN_CODE> today."


def test_an_iban_is_cut_at_its_country_length_and_must_end_there():
    text = "IBAN DE02 1203 0000 0000 2020 51 X ok"
    assert [(text[s:e], ok) for s, e, ok in iban_candidates(text)] == [("DE02 1203 0000 0000 2020 51", True)]
    too_long = "DE02 1203 0000 0000 2020 5199"  # digits run on past the German length
    assert [ok for _, _, ok in iban_candidates(too_long)] == [False]


@pytest.mark.parametrize("text", [
    "DE02 1203 0000 0000 2020 52",  # check digits fail: 16 digits inside still pass Luhn
    "FR76 3000 6000 0112 3456 7890 188",  # one digit off
    "NL02 ABNA 0123 4567 90",  # wrong check digits; "0123 4567 90" reads as a phone number
])
def test_an_invalid_iban_is_left_alone_not_relabelled(text):
    assert masked(text) == text
    assert [kind for _, _, kind in invalid_spans(text)][:1] == ["IBAN_CODE"]


# ------------------------------------------------------------------------------ e-mail
@pytest.mark.parametrize("address", [
    "ops@xn--bcher-kva.example",  # punycode on a reserved TLD
    "jana.novak@corp.internal",
    "build+ci@mail.test",
    "m.rossi@università.it",  # internationalized, not punycode
    "ALICE@Example.COM",
])
def test_e_mail_addresses_on_any_valid_domain_are_masked(address):
    assert masked(f"write to {address}, please") == "write to <EMAIL_ADDRESS>, please"


@pytest.mark.parametrize("text", ["reach me at support@acme.", "the handle is @dev_ops", "user@localhost"])
def test_what_is_not_an_e_mail_address_stays(text):
    assert masked(text) == text


# ---------------------------------------------------------------------------------- IP
@pytest.mark.parametrize("value", [
    "172.16.0.0/12", "2001:db8:abcd::/48", "::ffff:203.0.113.9", "64:ff9b::203.0.113.9",
    "fe80::2%wlan0", "2a01:4db0::57aa",
])
def test_ip_addresses_and_networks_are_masked_whole(value):
    assert masked(f"route {value} via the VPN") == "route <IP_ADDRESS> via the VPN"


def test_an_out_of_range_prefix_is_not_part_of_the_address():
    assert masked("allow 10.1.0.0/77 now") == "allow <IP_ADDRESS>/77 now"


@pytest.mark.parametrize("text", ["server 10.20.30.256 is down", "::ffff:300.1.1.1", "build 1:2:3:4 ok"])
def test_an_invalid_ip_is_left_alone_not_relabelled(text):
    assert masked(text) == text


def test_ip_candidates_report_invalid_shapes():
    assert [ok for _, _, ok in ip_candidates("999.1.1.1 and 10.0.0.1")] == [False, True]


# ------------------------------------------------------------------------------- phones
@pytest.mark.parametrize("text,expected", [
    ("please call me on 612 77 90 41 tonight", "please call me on <PHONE_NUMBER> tonight"),
    ("Fax: 0044-161-555-0190x22", "Fax: <PHONE_NUMBER>"),
    ("81 455 12 90 (mobile)", "<PHONE_NUMBER> (mobile)"),
    ("my cell is +1-979-555-0123x7", "my cell is <PHONE_NUMBER>"),  # + and a possible length
])
def test_numbers_laid_out_as_phone_numbers_next_to_a_phone_word_are_masked(text, expected):
    assert masked(text) == expected


@pytest.mark.parametrize("text", [
    "we migrated 12 345 678 rows",  # no phone word
    "call me on 2024-05-17 instead",  # a date
    "Contact count: 12 345 678 rows",  # a phone word, but not announcing a number
    "call about order 612 77 90 41",  # an order number
])
def test_other_digit_groups_are_not_phone_numbers(text):
    assert masked(text) == text


# --------------------------------------------------------------------------------- SSNs
def test_an_ssn_that_is_never_issued_is_not_relabelled_as_a_phone_number():
    # 666-xx-xxxx is never issued; the same digits are a valid German phone number.
    assert masked("SSN 666-12-3456") == "SSN 666-12-3456"
    assert masked("SSN 536-22-8726") == "SSN <US_SSN>"


# -------------------------------------------------------------------------------- names
@pytest.mark.parametrize("text,expected", [
    ("Everyone in the office calls me Torvald", "Everyone in the office calls me <PERSON>"),
    ("the booking is under the name Henrike Albers.", "the booking is under the name <PERSON>."),
    ("Her last name is Oyelaran", "Her last name is <PERSON>"),
    ("please forward it to ms. Oyelaran", "please forward it to ms. <PERSON>"),
    ("Mr. April signed the form", "Mr. <PERSON> signed the form"),
    ("Bartholomeus lives in a small flat", "<PERSON> lives in a small flat"),
    ("I picked up Ingeborg's daughter", "I picked up <PERSON>'s daughter"),
])
def test_names_the_text_announces_are_masked(text, expected):
    assert masked(text) == expected


@pytest.mark.parametrize("text", [
    "The renewal is due in April.", "we meet on Monday", "mail me at info@acme.", "5 ms Latency spikes",
])
def test_calendar_words_and_broken_addresses_are_not_names(text):
    assert masked(text) == text


# ------------------------------------------------------------------- what each cell masks
def test_articles_keep_names_while_tickets_are_fully_masked():
    import pandas as pd

    from genai_flow.pii import get_masker
    from genai_flow.pii.table import mask_table

    text = "Ask Jonas Lindqvist in Tallinn or write to jonas@example.org."
    subject = "Thanks, Roland! roland@example.org"
    frame = pd.DataFrame({"type": ["article", "ticket"], "text": [text, text], "subject": [subject, subject]})
    config = PiiConfig.from_settings(allow_list=[], column_entities={"subject": ["PERSON"]})
    table = mask_table(frame, ["text", "subject"], get_masker(config), progress=False)
    assert table.masked["text"].tolist() == [
        "Ask Jonas Lindqvist in Tallinn or write to <EMAIL_ADDRESS>.",
        "Ask <PERSON> in <LOCATION> or write to <EMAIL_ADDRESS>.",
    ]
    # The subject column detects PERSON only, and the article's scope does not include it.
    assert table.masked["subject"].tolist() == [subject, "Thanks, <PERSON>! roland@example.org"]


def test_a_scope_naming_an_unknown_entity_is_refused_and_scopes_only_narrow():
    with pytest.raises(ValueError, match="type_entities.*unknown entities: PERSONS"):
        PiiConfig.from_settings(type_entities={"ticket": ["PERSONS"]})
    config = PiiConfig.from_settings(entities=["EMAIL_ADDRESS"], type_entities={"ticket": ["PERSON", "EMAIL_ADDRESS"]})
    assert config.entities_for("text", "ticket") == ["EMAIL_ADDRESS"]
    assert config.entities_for("text", "article") == ["EMAIL_ADDRESS"]
