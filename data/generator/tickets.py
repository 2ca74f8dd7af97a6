"""Support tickets: customers ask a topic's question in their own words, with PII woven in;
the support team answers in one house style (greeting, the fact, sign-off)."""

from __future__ import annotations

import random

from .customers import CustomerFactory
from .model import Filled, Topic, fill
from .product import SIGN_OFF

TICKETS_PER_TOPIC = (6, 8)
TEST_FRACTION = 0.15
FIRST_TICKET_ID = 10001

# Topics whose customers come from particular countries (EUR billing, US tax, EU VAT).
TOPIC_LOCALES = {
    "us-tax-exemption": ["en_US"],
    "sepa-direct-debit": ["de_DE", "fr_FR", "es_ES", "nl_NL", "it_IT", "en_IE"],
    "vat-id": ["de_DE", "fr_FR", "es_ES", "nl_NL", "it_IT", "en_IE"],
    "data-residency": ["de_DE", "fr_FR", "nl_NL", "en_GB", "en_AU", "en_IE"],
}

OPENERS = {
    None: ["Hi,", "Hello,", "Hi there,", "Hello Orbitask team,", "Hi support,", "Good morning,",
           "Hey,", "Dear Orbitask support,", "Hello support team,"],
    "de_DE": ["Hallo,", "Guten Tag,", "Hallo zusammen,"],
    "fr_FR": ["Bonjour,", "Bonjour l'équipe,"],
    "es_ES": ["Hola,"],
    "nl_NL": ["Hoi,", "Goedemiddag,"],
    "it_IT": ["Buongiorno,", "Ciao,"],
}
INTROS = [
    "I'm {full}, the admin of our workspace at {company}.",
    "This is {full} from {company}.",
    "My name is {full} and I manage our team's Orbitask account.",
    "I'm writing on behalf of {company}.",
    "{full} here, project lead at {company}.",
]
# Sentences that plant one more kind of PII, the way customers volunteer it.
EXTRAS = {
    "email": [
        "My login email is {email}.",
        "Please reply to {email} rather than the address I'm writing from.",
        "The account in question is {email}.",
        "You can also cc my colleague at {colleague_email}.",
    ],
    "phone": [
        "You can call me on {phone} if that's quicker.",
        "My number is {phone}, feel free to ring me.",
        "Reach me at {phone} any time before 6pm.",
        "If you need to talk to someone, our office line is {phone}.",
    ],
    "address": [
        "We're based at {address}.",
        "Our office address is {address}, in case you need it.",
        "Invoices go to {address}.",
    ],
    "card": [
        "Our subscription is paid with the card {card}, if that helps you find the account.",
        "The card on file is {card}.",
    ],
    "iban": [
        "Our company account is {iban}, in case you need it for billing.",
        "We normally pay from {iban}.",
    ],
    "ip": [
        "I'm connecting from {ip}.",
        "Our office IP is {ip}, if you need to check the logs.",
        "In case it matters, my public IP right now is {ip}.",
    ],
    "ip6": [
        "My machine's address is {ip6}.",
        "Our network runs IPv6; my address shows up as {ip6}.",
    ],
    "ssn": [
        "For identity verification, my SSN is {ssn}.",
        "If you need to verify me, my social security number is {ssn}.",
        "(My SSN is {ssn}, your colleague asked for it last time.)",
    ],
    "colleague": [
        "My colleague {colleague} sees the same thing.",
        "{colleague} from our finance team asked me to write to you.",
        "I already asked {colleague}, our IT admin, but she didn't know either.",
    ],
}
# kind -> probability that a ticket volunteers it (SSN only from US customers)
EXTRA_RATES = {"email": 0.12, "phone": 0.13, "address": 0.1, "card": 0.06, "iban": 0.07,
               "ip": 0.07, "ip6": 0.07, "ssn": 0.14, "colleague": 0.1}
CLOSERS = [
    "Thanks!", "Thanks in advance.", "Thank you,\n{full}", "Cheers,\n{first}",
    "Best,\n{full}\n{company}", "Regards,\n{full}\n{phone}", "Kind regards,\n{full}",
    "Many thanks,\n{first}", "Thanks,\n{full}\n{email}",
]


def answer_text(first_name: str, fact: str) -> Filled:
    """The house style: greeting with the customer's first name, the fact, the sign-off."""
    return fill("Hi {first},\n\n", {"first": first_name}) + Filled(f"{fact}\n\n{SIGN_OFF}")


def _question(core: str, detail: str | None, values: dict, rng: random.Random) -> Filled:
    sentences = []
    if rng.random() < 0.3:
        sentences.append(rng.choice(INTROS))
    sentences.append(core)
    if detail:
        sentences.append(detail)
    for kind, rate in EXTRA_RATES.items():
        if kind == "ssn" and values["locale"] != "en_US":
            continue
        if rng.random() < rate:
            sentences.append(rng.choice(EXTRAS[kind]))
    body = Filled.join([fill(sentence, values) for sentence in sentences], " ")
    style = rng.random()
    if style < 0.2:  # a one-line chat message
        return body
    openers = OPENERS[None] + OPENERS.get(values["locale"], []) * 3
    parts = [fill(rng.choice(openers), values), body]
    if style < 0.85:
        parts.append(fill(rng.choice(CLOSERS), values))
    return Filled.join(parts, "\n\n")


def _subject(topic: Topic, rng: random.Random) -> str:
    subject = rng.choice(topic.subjects)
    style = rng.random()
    if style < 0.1:
        return subject.lower()
    if style < 0.18:
        return f"Re: {subject}"
    if style < 0.24:
        return f"{subject} (urgent)"
    return subject


def _spans(field: str, filled: Filled) -> list[dict]:
    return [
        {"field": field, "entity": entity, "start": start, "end": end,
         "text": filled.text[start:end]}
        for entity, start, end in filled.spans
    ]


def make_tickets(topics: list[Topic], seed: int) -> list[dict]:
    """All tickets, shuffled, with ids, ~15% of each topic held out as split "test"."""
    rng = random.Random(seed)
    customers = CustomerFactory(seed)
    tickets, seen_questions = [], set()
    for topic in topics:
        if not topic.has_tickets:
            continue
        count = rng.randint(*TICKETS_PER_TOPIC)
        cores = list(topic.questions)
        rng.shuffle(cores)
        topic_tickets = []
        for n in range(count):
            core = cores[n % len(cores)]
            detail = None
            if topic.details and (n >= len(cores) or rng.random() < 0.6):
                detail = topic.details[(n + rng.randrange(len(topic.details))) % len(topic.details)]
            for _attempt in range(20):
                values = customers.customer(TOPIC_LOCALES.get(topic.slug))
                question = _question(core, detail, values, rng)
                if question.text not in seen_questions:
                    break
            seen_questions.add(question.text)
            answer = answer_text(values["first"], topic.answer)
            topic_tickets.append(
                {
                    "subject": _subject(topic, rng),
                    "question": question.text,
                    "answer": answer.text,
                    "topic": topic.slug,
                    "split": "train",
                    "locale": values["locale"],
                    "pii": _spans("question", question) + _spans("answer", answer),
                }
            )
        held_out = max(1, round(TEST_FRACTION * count))
        for ticket in rng.sample(topic_tickets, held_out):
            ticket["split"] = "test"
        tickets.extend(topic_tickets)
    rng.shuffle(tickets)
    return [
        {"id": f"T-{FIRST_TICKET_ID + index}", **ticket} for index, ticket in enumerate(tickets)
    ]
