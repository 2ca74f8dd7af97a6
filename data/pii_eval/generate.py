"""Generate the labeled PII evaluation set: ``python data/pii_eval/generate.py``.

Deterministic (fixed seed): running it again rewrites ``pii_eval.jsonl`` byte for byte, and a
test checks that. Every value is drawn from the lists below or computed (Luhn-valid cards,
mod-97-valid IBANs, phone numbers that libphonenumber accepts as valid, SSNs outside the
never-issued ranges); templates and values are this project's own, separate from the training
tickets in ``data/raw/``. See README.md in this folder for the format and the label policy.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import string
from pathlib import Path

import phonenumbers

SEED = 20240611
PII_TEXTS = 320
CLEAN_TEXTS = 80
OUT = Path(__file__).with_name("pii_eval.jsonl")
ALLOW_LIST = Path(__file__).with_name("allow_list.txt")

# ------------------------------------------------------------------------------------ values
FIRST = (
    "Priya Jean-Luc Aoife Kenji Oluwaseun Fatima Mateo Ingrid Rahul Chloé Tomasz Mei Santiago "
    "Hannah Dmitri Amara Lukas Sofia Arjun Élodie Björn Nadia Camille Emeka Yuki Carlos Greta "
    "Ananya Liam Zara Hiroshi Leila Pieter Rosa Vikram Siobhan Matthias Ines Kwame Margot Ravi "
    "Anneliese Diego Thandiwe Oskar Lucía Farhan Juliette Henrik Adaeze Marco Noor Wei Klara "
    "Deepika Ewan Tobias Ayesha Gabriel Maren"
).split()
LAST = [
    *"Raghunathan Moreau O'Connell Watanabe Adeyemi García Johansson Sharma Dubois Kowalski "
    "Chen Herrera Schneider Volkov Okafor Becker Rossi Iyer Lefèvre Lindqvist Haddad Fontaine "
    "Nwosu Tanaka Mendoza Hoffmann Krishnan Murphy Siddiqui Nakamura Farah Santos Reddy "
    "Gallagher Wagner Ferreira Mensah Girard Menon Vogel Ramírez Dlamini Nilsson Torres "
    "Chowdhury Laurent Andersen Eze Bianchi Rahman Zhang Castillo Novak Pillai MacLeod Keller "
    "Qureshi Brennan".split(),
    "El Amrani",
    "de Vries",
    "van der Berg",
]
TITLES = ["Mr.", "Mrs.", "Ms.", "Dr."]
MAIL_DOMAINS = [
    "mailbox.org", "proton.me", "outlook.de", "yahoo.co.uk", "gmx.net", "orange.fr",
    "rediffmail.com", "fastmail.com", "icloud.com", "web.de", "free.fr", "hotmail.co.uk",
    "northwind-traders.com", "contoso.io", "example.org",
]
CITIES = [
    "Lisbon", "Toronto", "Manchester", "Hamburg", "Lyon", "Pune", "Melbourne", "Austin",
    "Dublin", "Rotterdam", "Seville", "Osaka", "Nairobi", "Vancouver", "Leeds", "Stuttgart",
    "Marseille", "Chennai", "Denver", "Glasgow", "Krakow", "Bristol", "Boston", "Munich",
]
COUNTRIES = [
    "Portugal", "Canada", "Germany", "France", "India", "Australia", "Ireland", "Belgium",
    "Spain", "Japan", "Kenya", "Brazil", "Mexico", "Norway", "Poland", "Italy",
]
PRODUCTS = ["Acme Sync", "CloudVault", "TaskBoard Pro", "Nimbus Router X5", "PhotoShelf",
            "LedgerLite", "the mobile app", "the desktop client"]
PLANS = ["Starter", "Team", "Business", "Enterprise", "Family"]
ERRORS = ["E1042", "0x80070005", "ERR_SYNC_TIMEOUT", "HTTP 503", "code 17"]
MONTHS = ["January", "February", "March", "April", "May", "June", "September", "November"]

US_STREETS = ["Maple", "Cedar Ridge", "Willow Creek", "Lakeview", "Harbor", "Juniper",
              "Sycamore", "Briarwood", "Chestnut Hill", "Magnolia", "Old Mill", "Franklin"]
US_TYPES = ["Street", "Avenue", "Road", "Lane", "Drive", "Boulevard", "Court", "Way", "Place",
            "St.", "Ave", "Rd."]
US_CITIES = [("Portland", "OR", "97205"), ("Columbus", "OH", "43215"), ("Madison", "WI", "53703"),
             ("Tucson", "AZ", "85701"), ("Raleigh", "NC", "27601"), ("Boise", "ID", "83702"),
             ("Omaha", "NE", "68102"), ("Savannah", "GA", "31401"), ("Ann Arbor", "MI", "48104")]
UK_STREETS = ["Kingsley", "Elmfield", "Ashdown", "Queensway", "Hawthorn", "St Mary's",
              "Beechwood", "Mill", "Station", "Victoria"]
UK_TYPES = ["Road", "Street", "Lane", "Close", "Gardens", "Crescent", "Mews", "Grove", "Avenue"]
UK_CITIES = [("Bristol", "BS1 4DJ"), ("Leeds", "LS1 5AB"), ("Oxford", "OX1 2JD"),
             ("Cardiff", "CF10 1EP"), ("Brighton", "BN1 1AE"), ("York", "YO1 7HH"),
             ("Edinburgh", "EH1 1YZ"), ("Norwich", "NR2 1RQ"), ("London", "SE1 7PB")]
DE_STREETS = ["Linden", "Goethe", "Bahnhof", "Schiller", "Mühlen", "Kirch", "Garten", "Berg"]
DE_SUFFIXES = ["straße", "str.", "weg", "allee", "platz", "gasse", "ring"]
DE_CITIES = [("50667", "Köln"), ("80331", "München"), ("60311", "Frankfurt am Main"),
             ("01067", "Dresden"), ("04109", "Leipzig"), ("70173", "Stuttgart"),
             ("28195", "Bremen"), ("10115", "Berlin")]
FR_STREETS = ["rue de la République", "avenue Victor Hugo", "rue des Lilas", "boulevard Gambetta",
              "avenue Jean Jaurès", "rue de la Paix", "allée des Acacias", "place du Marché",
              "impasse des Tilleuls", "quai Saint-Vincent"]
FR_CITIES = [("69002", "Lyon"), ("13001", "Marseille"), ("31000", "Toulouse"),
             ("33000", "Bordeaux"), ("44000", "Nantes"), ("67000", "Strasbourg"),
             ("75011", "Paris")]
IN_ROADS = ["Residency Road", "MG Road", "Linking Road", "Anna Salai", "Park Street",
            "Nehru Marg", "Brigade Road", "FC Road"]
IN_AREAS = ["Shanthala Nagar", "Bandra West", "Koregaon Park", "T Nagar", "Indiranagar",
            "Salt Lake"]
IN_CITIES = [("Bengaluru", "560025"), ("Mumbai", "400050"), ("Pune", "411001"),
             ("Chennai", "600017"), ("Kolkata", "700091"), ("Hyderabad", "500034")]


# --------------------------------------------------------------------------- value makers
def luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    digits = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:  # doubled positions, counted from the check digit's left neighbour
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return digits + str((10 - total % 10) % 10)


def credit_card(rng: random.Random) -> str:
    kind = rng.choice(["visa", "visa", "mc", "mc2", "amex", "discover"])
    if kind == "amex":
        number = luhn_complete(rng.choice(["34", "37"]), 15, rng)
        groups = [number[:4], number[4:10], number[10:]]
    else:
        prefix = {"visa": "4", "mc": str(rng.randint(51, 55)), "mc2": str(rng.randint(2221, 2720)),
                  "discover": "6011"}[kind]
        number = luhn_complete(prefix, 16, rng)
        groups = [number[i : i + 4] for i in range(0, 16, 4)]
    return rng.choice([" ", " ", "-", ""]).join(groups)


def iban(rng: random.Random) -> str:
    country, bban = rng.choice(
        [
            ("DE", "".join(rng.choice(string.digits) for _ in range(18))),
            ("GB", rng.choice(["NWBK", "BARC", "MIDL", "LOYD"])
             + "".join(rng.choice(string.digits) for _ in range(14))),
            ("FR", "".join(rng.choice(string.digits) for _ in range(23))),
            ("NL", rng.choice(["ABNA", "INGB", "RABO"])
             + "".join(rng.choice(string.digits) for _ in range(10))),
            ("ES", "".join(rng.choice(string.digits) for _ in range(20))),
            ("IE", rng.choice(["AIBK", "BOFI"])
             + "".join(rng.choice(string.digits) for _ in range(14))),
        ]
    )
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    value = f"{country}{98 - int(numeric) % 97:02d}{bban}"
    if rng.random() < 0.7:  # the printed form: groups of four
        value = " ".join(value[i : i + 4] for i in range(0, len(value), 4))
    return value


PHONE_PLANS = {
    # region: (national number patterns: '#' is a random digit, weight)
    "US": ["212#######", "415#######", "503#######", "617#######", "720#######", "404#######"],
    "GB": ["20########", "161#######", "7#########"],
    "DE": ["30########", "89#######", "151########", "40#######"],
    "FR": ["1########", "6########", "4########"],
    "IN": ["98########", "80########", "22########"],
    "AU": ["2########"], "JP": ["3########"], "ES": ["91#######"], "BR": ["119########"],
    "IE": ["1#######"], "NL": ["20#######"],
}


def phone(rng: random.Random, region: str | None = None) -> str:
    region = region or rng.choice(["US", "US", "GB", "GB", "DE", "FR", "IN", "IN",
                                   "AU", "JP", "ES", "BR", "IE", "NL"])
    while True:
        pattern = rng.choice(PHONE_PLANS[region])
        national = "".join(rng.choice(string.digits) if c == "#" else c for c in pattern)
        parsed = phonenumbers.parse(national, region)
        if phonenumbers.is_valid_number(parsed):
            break
    international = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    if region not in ("US", "GB", "DE", "FR", "IN") or rng.random() < 0.4:
        return international
    national_text = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    if region == "US":
        digits = national[-10:]
        return rng.choice([
            national_text,  # (415) 839-2671
            f"{digits[:3]}-{digits[3:6]}-{digits[6:]}",
            f"{digits[:3]}.{digits[3:6]}.{digits[6:]}",
            f"+1 {digits[:3]} {digits[3:6]} {digits[6:]}",
        ])
    if region == "FR" and rng.random() < 0.3:
        return national_text.replace(" ", ".")
    return national_text


def ipv4(rng: random.Random) -> str:
    first = rng.choice([23, 45, 62, 81, 91, 103, 141, 172, 185, 192, 203, 212])
    return ".".join(str(part) for part in (first, *(rng.randint(0, 255) for _ in range(2)),
                                           rng.randint(1, 254)))


def ipv6(rng: random.Random) -> str:
    groups = [rng.choice(["2001", "2a02", "2a01", "2607", "fe80"])] + [
        f"{rng.randint(0, 0xFFFF):x}" for _ in range(7)
    ]
    style = rng.choice(["full", "compressed", "compressed", "short"])
    if style == "full":
        return ":".join(g.zfill(4) for g in groups)
    if style == "short":
        return f"{groups[0]}:{groups[1]}::{groups[7]}"
    return ":".join(groups[:3]) + "::" + ":".join(groups[5:])


def ssn(rng: random.Random) -> str:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    group, serial = rng.randint(1, 99), rng.randint(1, 9999)
    separator = rng.choice(["-", "-", "-", " "])
    return f"{area:03d}{separator}{group:02d}{separator}{serial:04d}"


def address(rng: random.Random) -> str:
    country = rng.choice(["US", "US", "UK", "UK", "DE", "FR", "IN"])
    if country == "US":
        city, state, zip_code = rng.choice(US_CITIES)
        unit = rng.choice(["", "", f", Apt {rng.randint(1, 30)}{rng.choice('ABC')}",
                           f", Suite {rng.randint(100, 999)}"])
        street = f"{rng.randint(1, 9999)} {rng.choice(US_STREETS)} {rng.choice(US_TYPES)}"
        return f"{street}{unit}, {city}, {state} {zip_code}"
    if country == "UK":
        city, postcode = rng.choice(UK_CITIES)
        number = f"{rng.randint(1, 240)}{rng.choice(['', '', 'A', 'B'])}"
        return f"{number} {rng.choice(UK_STREETS)} {rng.choice(UK_TYPES)}, {city} {postcode}"
    if country == "DE":
        plz, city = rng.choice(DE_CITIES)
        return (f"{rng.choice(DE_STREETS)}{rng.choice(DE_SUFFIXES)} {rng.randint(1, 120)}"
                f"{rng.choice(['', '', 'a'])}, {plz} {city}")
    if country == "FR":
        code, city = rng.choice(FR_CITIES)
        return f"{rng.randint(1, 150)} {rng.choice(FR_STREETS)}, {code} {city}"
    city, pin = rng.choice(IN_CITIES)
    flat = rng.choice(["", f"Flat {rng.randint(101, 905)}, ", f"House No. {rng.randint(1, 80)}, "])
    return (f"{flat}{rng.randint(1, 200)} {rng.choice(IN_ROADS)}, {rng.choice(IN_AREAS)}, "
            f"{city} {rng.choice(['', '- '])}{pin}")


def email(rng: random.Random, first: str, last: str) -> str:
    def ascii_word(text: str) -> str:
        return re.sub(r"[^a-z]", "", text.lower().translate(str.maketrans("éèçíáóüöäå", "eeciaouoaa")))

    first_a, last_a = ascii_word(first), ascii_word(last)
    local = rng.choice([f"{first_a}.{last_a}", f"{first_a[0]}{last_a}", f"{first_a}{rng.randint(1, 99)}",
                        f"{last_a}.{first_a}", f"{first_a}_{last_a}"])
    return f"{local}@{rng.choice(MAIL_DOMAINS)}"


# ------------------------------------------------------------------------------ templates
# {slot} -> (entity type or None, maker). Person slots share one persona per text, so the
# name in a signature matches the name in the e-mail address, as in real tickets.
PII_TEMPLATES = [
    "Hi, this is {person}. I was charged twice on my card {card} for the {plan} plan. Can you refund one of the charges?",
    "Hello support,\nMy name is {person} and I can't log in since yesterday. You can reach me on {phone} or at {email}.\nThanks,\n{first}",
    "Please update the billing account to IBAN {iban}. The account holder is {person}.",
    "Our VPN gateway at {ipv4} rejects connections from {ipv6} since the last update.",
    "Hi {first}, thanks for reaching out! I've updated the shipping address on order {order} to {address}. Let me know if anything else looks wrong.",
    "For the tax form you asked for my social security number: {ssn}. Please don't store it longer than needed.",
    "I'm moving from {city} to {city2} next month, can I keep my {product} subscription?",
    "Dear {title} {last}, your replacement for {product} will be shipped to {address} within {days} business days.",
    "Login alerts show sign-ins from {ipv4} and that's not me, I'm based in {city}. Please lock the account linked to {email}.",
    "Can someone call me back? {phone} (mobile). Ask for {person}.",
    "The invoice should list {person}, {address} as the billing contact.",
    "{person} here from the {city} office. Our admin mailbox {email} stopped receiving the {product} alerts.",
    "Refund to {iban} please, not to the card {card}.",
    "I tried calling {phone} and {phone2} but nobody picked up. My email is {email}.",
    "Hi team, my colleague {person2} ({email2}) needs admin rights on our workspace.",
    "Customer {person} reported that the router with IP {ipv4} reboots every night.",
    "SSN {ssn} was entered by mistake in the notes field of ticket {order}; please remove it.",
    "Thanks {first}! I've sent the password reset link to {email}. If it doesn't arrive, reply here and mention case {order}.",
    "We received a payment from IBAN {iban} without a reference. Could {person} confirm it was for invoice {order}?",
    "My new address is {address}. Please send the new {product} there.",
    "Hello, I live in {country} and your checkout rejects my phone number {phone}.",
    "Ship to: {person}, {address}. Phone: {phone}.",
    "Fraud alert: somebody used the card {card} from IP {ipv6} to buy {product}.",
    "Hey, it's {first}. Can you move my installation appointment? Text me at {phone}.",
    "Agent note: spoke with {person}, identity verified with SSN {ssn} and date of birth.",
    "Dear support, the direct debit from {iban} failed although the balance was fine.\nRegards,\n{person}",
    "{person} <{email}> wrote: my order {order} never arrived at {address}.",
    "Our office moved to {address}; the old one in {city} is closed now.",
    "The device at {ipv6} keeps getting a new lease every few minutes.",
    "I paid with my Visa {card} and got error {error} at checkout.",
    "Hi {first},\n\nyour ticket is resolved. Our technician {person2} will visit {address} on {month} {days}.\n\nBest,\nThe Acme Support Team",
    "Could you please change the contact email from {email} to {email2}?",
    "I am travelling to {country} for {days} days, will roaming work with {product}?",
    "Call me at {phone}, I'm {person} from {city}.",
    "Please delete my account. Name: {person}. Email: {email}. Phone: {phone}.",
    "Payment details: card number {card}, billing address {address}.",
    "Our firewall logs show {ipv4} and {ipv4b} scanning port 8443.",
    "Thanks for your help, {person2}! Best regards, {person}",
    "{person} called from {phone} about the outage in {city}.",
    "Employee {person} (SSN {ssn}) needs to be added to the payroll integration.",
    "Could the refund go to my bank account instead? IBAN: {iban}, account holder {person}.",
    "Hi! My husband {person2} can't access our shared {product} account, his number is {phone}.",
    "Reply to {email} only, please don't call {phone}.",
    "We are a small team in {city}, {country}. Billing contact is {person}, {phone}.",
    "My social security no. is {ssn} and my name is {person}, the form keeps rejecting both.",
    "The card {card} expired, please charge the new one ending in 4471 instead.",
    "Please send the paper invoice to {address}, attention of {person}.",
    "Server {ipv4} cannot reach the license service; our IPv6 prefix is {ipv6}.",
]
CLEAN_TEMPLATES = [
    "How do I export my {product} data to CSV?",
    "{product} crashes on startup after updating to version {version}.",
    "Is there a discount for annual billing on the {plan} plan?",
    "My order {order} shows as delivered but I haven't received it.",
    "I get error {error} when I try to sync more than {count} files.",
    "Can I use two-factor authentication with a hardware key?",
    "What's the difference between the {plan} and {plan2} plans?",
    "The invoice for {month} charged ${amount} instead of ${amount2}.",
    "Password reset emails are not arriving. I checked the spam folder.",
    "Your status page says all systems are operational but the dashboard has been down for {count} minutes.",
    "Thanks, that fixed it!",
    "How long does a refund take to show up on my statement?",
    "Port {port} is blocked on our side; which ports does the {product} agent need?",
    "The mobile app logs me out every {count} hours. Is that expected?",
    "I upgraded to {plan} on {month} {days} but the features are still locked.",
    "Please close ticket {order}, the issue is resolved.",
    "Where can I find the release notes for version {version}?",
    "Our team of {count} people needs single sign-on. Do you support SAML?",
    "The CSV import fails at row {count} with 'invalid date format'.",
    "Can I change the billing currency from USD to EUR?",
    "Hello,\nthe sync has been stuck at {count}% since this morning.\nThanks!",
    "Is {product} compatible with the {version} firmware?",
]


# Hand-written texts, each with its PII as (type, exact substring): free-form phrasing that no
# template above uses, written before the recognizers were tuned on the templated texts.
HANDWRITTEN = [
    ("hey guys, quick one - my manager Beatrix Okonkwo-Lindahl wants the invoices cc'd to her too. she's b.okonkwo@lindahl-partners.se",
     [("PERSON", "Beatrix Okonkwo-Lindahl"), ("EMAIL_ADDRESS", "b.okonkwo@lindahl-partners.se")]),
    ("URGENT!!! someone in Minsk logged into my account at 3am. I have never been to Belarus.",
     [("LOCATION", "Minsk"), ("LOCATION", "Belarus")]),
    ("Reached Gustavo by phone (+52 55 1234 5678), he confirmed the replacement unit works.",
     [("PERSON", "Gustavo"), ("PHONE_NUMBER", "+52 55 1234 5678")]),
    ("The cardholder, Mrs Eleanor Whitfield, disputes the charge on 5425 2334 3010 9903.",
     [("PERSON", "Eleanor Whitfield"), ("CREDIT_CARD", "5425 2334 3010 9903")]),
    ("pls wire the refund: GB33BUKB20201555555555 (Halima Yusuf)",
     [("IBAN_CODE", "GB33BUKB20201555555555"), ("PERSON", "Halima Yusuf")]),
    ("Our NAS (10.20.30.40) can't see the printer at 10.20.30.41 anymore.",
     [("IP_ADDRESS", "10.20.30.40"), ("IP_ADDRESS", "10.20.30.41")]),
    ("I gave my SSN (078-42-1120) to the chat bot by accident, can you purge the transcript?",
     [("US_SSN", "078-42-1120")]),
    ("Deliveries should go to 17 Rosemary Lane, Canterbury CT1 2QW from now on.",
     [("ADDRESS", "17 Rosemary Lane, Canterbury CT1 2QW")]),
    ("As discussed with Andrzej on Friday, we'll extend the trial by two weeks.",
     [("PERSON", "Andrzej")]),
    ("Tech note: customer reports packet loss to 2001:db8:ac10:fe01::1 via their ISP in Porto.",
     [("IP_ADDRESS", "2001:db8:ac10:fe01::1"), ("LOCATION", "Porto")]),
    ("Sorry for the delay - I was on holiday in Crete. My number changed to 0176 98765432.",
     [("LOCATION", "Crete"), ("PHONE_NUMBER", "0176 98765432")]),
    ("Invoice address: Brauhausgasse 9, 01097 Dresden. VAT id follows separately.",
     [("ADDRESS", "Brauhausgasse 9, 01097 Dresden")]),
    ("Bonjour, je suis Margaux Perrin, mon adresse est 8 rue Mercière, 69002 Lyon.",
     [("PERSON", "Margaux Perrin"), ("ADDRESS", "8 rue Mercière, 69002 Lyon")]),
    ("Could you ask Siddharth Venkataraman to call me back on 044 2811 4455?",
     [("PERSON", "Siddharth Venkataraman"), ("PHONE_NUMBER", "044 2811 4455")]),
    ("Two accounts share the email ops-alerts@brightwave.co.nz, please merge them.",
     [("EMAIL_ADDRESS", "ops-alerts@brightwave.co.nz")]),
    ("My daughter Freya set up the family plan but she's away at uni in Aberdeen.",
     [("PERSON", "Freya"), ("LOCATION", "Aberdeen")]),
    ("The charge came from a terminal in Rotterdam, card 4000 0566 5566 5556.",
     [("LOCATION", "Rotterdam"), ("CREDIT_CARD", "4000 0566 5566 5556")]),
    ("Cheers mate,\nDeclan", [("PERSON", "Declan")]),
    ("The app shows 'Welcome back, Yusuf!' but I'm logged in as Teodora Ivanova.",
     [("PERSON", "Yusuf"), ("PERSON", "Teodora Ivanova")]),
    ("please call 917-555-0143 after 6pm, ask for Mr. Abernathy",
     [("PHONE_NUMBER", "917-555-0143"), ("PERSON", "Abernathy")]),
    ("Our accountant, Priscilla Nakashima-Reyes, needs read access to billing.",
     [("PERSON", "Priscilla Nakashima-Reyes")]),
    ("Ticket from Jakob Eriksson: the desktop app freezes when exporting PDFs.",
     [("PERSON", "Jakob Eriksson")]),
    ("Please ship the replacement to 4410 Sunset Blvd, Los Angeles, CA 90027.",
     [("ADDRESS", "4410 Sunset Blvd, Los Angeles, CA 90027")]),
    ("SEPA mandate for DE44 5001 0517 5407 3249 31 was revoked by the bank.",
     [("IBAN_CODE", "DE44 5001 0517 5407 3249 31")]),
    ("The whitelisted range starts at 198.51.100.7; please add 203.0.113.25 too.",
     [("IP_ADDRESS", "198.51.100.7"), ("IP_ADDRESS", "203.0.113.25")]),
    ("Greetings from Nairobi! Our office manager Wanjiru Kamau will handle onboarding.",
     [("LOCATION", "Nairobi"), ("PERSON", "Wanjiru Kamau")]),
    ("I'm writing on behalf of my father, Horst Brandauer, who doesn't use email.",
     [("PERSON", "Horst Brandauer")]),
    ("WhatsApp me: +91 90040 12345 - Aarav", [("PHONE_NUMBER", "+91 90040 12345"), ("PERSON", "Aarav")]),
    ("the SSN field rejects 219 09 9999 even though it is valid",
     [("US_SSN", "219 09 9999")]),
    ("Flat 12, 221 Hill Road, Bandra West, Mumbai 400050 is the new billing address.",
     [("ADDRESS", "Flat 12, 221 Hill Road, Bandra West, Mumbai 400050")]),
    ("Kind regards,\nSvetlana Morozova\nHead of IT", [("PERSON", "Svetlana Morozova")]),
    ("Can I pay with Amex? My card is 3714 496353 98431.", [("CREDIT_CARD", "3714 496353 98431")]),
    ("Contact our DPO at privacy@fjordline-data.no or +47 22 12 34 56.",
     [("EMAIL_ADDRESS", "privacy@fjordline-data.no"), ("PHONE_NUMBER", "+47 22 12 34 56")]),
    ("We're relocating the team from Edinburgh to Lisbon, do licences move with us?",
     [("LOCATION", "Edinburgh"), ("LOCATION", "Lisbon")]),
    ("Lorenzo said the VPN at fe80::a00:27ff:fe4e:66a1 drops after an hour.",
     [("PERSON", "Lorenzo"), ("IP_ADDRESS", "fe80::a00:27ff:fe4e:66a1")]),
]
HANDWRITTEN_CLEAN = [
    "The export finished but the file is 0 bytes.",
    "Is the API rate limit 100 or 1000 requests per minute?",
    "Dark mode resets to light mode after every update, very annoying.",
    "We need 25 more seats before the end of the quarter.",
    "Version 3.14.2 fixed the crash, thank you!",
    "Can you confirm that backups run every 24 hours?",
    "The webhook returns HTTP 500 for payloads above 2 MB.",
    "Our fiscal year starts in April, can invoices follow that?",
    "After the migration the search index only shows 40% of documents.",
    "Hi there, the Android widget stopped updating yesterday. Thanks!",
]


def handwritten() -> list[dict]:
    records = []
    for text, spans in HANDWRITTEN:
        entities = []
        for entity, value in spans:
            start = text.index(value)  # every value is written to appear once
            entities.append({"type": entity, "start": start, "end": start + len(value)})
        records.append({"text": text, "entities": sorted(entities, key=lambda e: e["start"])})
    return records + [{"text": text, "entities": []} for text in HANDWRITTEN_CLEAN]


def _persona(rng: random.Random) -> dict[str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return {"first": first, "last": last, "person": f"{first} {last}",
            "title": rng.choice(TITLES), "email": email(rng, first, last)}


def _slot(rng: random.Random, name: str, people: list[dict]) -> tuple[str, str | None]:
    """The value for a template slot and its entity type (None: not PII)."""
    base = name.rstrip("2b")
    person = people[1] if name.endswith("2") else people[0]
    if base in ("person", "first", "last"):
        return person[base], "PERSON"
    if base == "title":
        return person["title"], None
    makers = {
        "email": lambda: (person["email"], "EMAIL_ADDRESS"),
        "phone": lambda: (phone(rng), "PHONE_NUMBER"),
        "card": lambda: (credit_card(rng), "CREDIT_CARD"),
        "iban": lambda: (iban(rng), "IBAN_CODE"),
        "ipv4": lambda: (ipv4(rng), "IP_ADDRESS"),
        "ipv6": lambda: (ipv6(rng), "IP_ADDRESS"),
        "ssn": lambda: (ssn(rng), "US_SSN"),
        "address": lambda: (address(rng), "ADDRESS"),
        "city": lambda: (rng.choice(CITIES), "LOCATION"),
        "country": lambda: (rng.choice(COUNTRIES), "LOCATION"),
        "product": lambda: (rng.choice(PRODUCTS), None),
        "plan": lambda: (rng.choice(PLANS), None),
        "order": lambda: (f"{rng.choice(['#', 'A-', 'ORD-', ''])}{rng.randint(10000, 999999)}", None),
        "error": lambda: (rng.choice(ERRORS), None),
        "days": lambda: (str(rng.randint(2, 28)), None),
        "month": lambda: (rng.choice(MONTHS), None),
        "version": lambda: (f"{rng.randint(1, 12)}.{rng.randint(0, 9)}.{rng.randint(0, 20)}", None),
        "count": lambda: (str(rng.randint(2, 500)), None),
        "amount": lambda: (f"{rng.randint(5, 400)}.{rng.randint(0, 99):02d}", None),
        "port": lambda: (str(rng.choice([443, 8080, 8443, 5222, 3389])), None),
    }
    if base not in makers:
        raise KeyError(f"unknown template slot {{{name}}}")
    return makers[base]()


def render(template: str, rng: random.Random) -> dict:
    """Fill a template; return the text and the character span of every PII value."""
    people = [_persona(rng), _persona(rng)]
    text, entities, cursor = "", [], 0
    used: dict[str, str] = {}  # a slot repeated in one template keeps its value
    for match in re.finditer(r"\{(\w+)\}", template):
        text += template[cursor : match.start()]
        name = match.group(1)
        if name in used:
            value, entity = used[name]
        else:
            value, entity = used[name] = _slot(rng, name, people)
        if entity:
            entities.append({"type": entity, "start": len(text), "end": len(text) + len(value)})
        text += value
        cursor = match.end()
    text += template[cursor:]
    return {"text": text, "entities": entities}


def generate(seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    records = []
    for index in range(PII_TEXTS):
        template = PII_TEMPLATES[index % len(PII_TEMPLATES)]
        records.append(render(template, rng))
    for index in range(CLEAN_TEXTS):
        records.append(render(CLEAN_TEMPLATES[index % len(CLEAN_TEMPLATES)], rng))
    rng.shuffle(records)
    templated = [{"id": f"pii-eval-{i:04d}", **record} for i, record in enumerate(records, 1)]
    return templated + [
        {"id": f"pii-hand-{i:03d}", **record} for i, record in enumerate(handwritten(), 1)
    ]


def allow_list() -> list[str]:
    """The fictional company's product and plan names: its vocabulary, not PII."""
    return [p for p in PRODUCTS if not p.startswith("the ")] + PLANS


def write(records: list[dict], path: Path, allow_path: Path = ALLOW_LIST) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    allow_path.write_text("".join(f"{word}\n" for word in allow_list()), encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--allow-list", type=Path, default=ALLOW_LIST)
    parser.add_argument("--seed", type=int, default=SEED)
    arguments = parser.parse_args()
    write(generate(arguments.seed), arguments.out, arguments.allow_list)
    print(f"wrote {arguments.out} and {arguments.allow_list}")
