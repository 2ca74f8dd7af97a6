"""Knowledge base: reference articles rendered from the fact tables in product.py."""

from .model import topic
from .product import ERROR_CODES, INTEGRATIONS, PLANS, SHORTCUTS

_PLAN_ROWS = [
    ("Price per user/month, billed monthly", "monthly"),
    ("Price per user/month, billed annually", "annual"),
    ("Members", "members"),
    ("Projects", "projects"),
    ("Storage per workspace", "storage"),
    ("File size limit", "file"),
    ("Activity history", "history"),
    ("API requests per minute", "api"),
    ("Automations", "automations"),
    ("Guests", "guests"),
    ("Single sign-on", "sso"),
    ("Audit log retention", "audit"),
]


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _plans_body() -> str:
    comparison = _table(
        ["", *(plan["name"] for plan in PLANS)],
        [[label, *(plan[key] for plan in PLANS)] for label, key in _PLAN_ROWS],
    )
    return f"""
Orbitask has five plans. Prices are per paid member (seat) per month, in US dollars; EUR and
GBP prices are shown in Admin > Billing > Plan. Annual billing saves about 20%.

## Compare plans

{comparison}

## Free

For individuals and very small teams trying Orbitask. Up to 5 members, 3 active projects and
2 GB of storage. List and Board views, the mobile and desktop apps, the Slack integration and
two-factor authentication are included. There are no guests, no timeline and no automations.

## Starter: $8 per user/month, or $6 billed annually

For small teams of up to 25 members. Unlimited projects, 100 GB of storage, custom statuses,
the GitHub, GitLab, Microsoft Teams and Zapier integrations, and 100 automation runs per month.

## Pro: $15 per user/month, or $12 billed annually

For growing teams. Unlimited members, 1 TB of storage, the Timeline (Gantt) view, task
dependencies, custom fields, time tracking, search inside attachments, 1,000 automation runs
per month, and 5 free guests per paid member. Admins can require two-factor authentication.

## Business: $29 per user/month, or $24 billed annually

For companies that need control. Everything in Pro, plus SAML single sign-on, an audit log
kept for 1 year, the Workload view, formula fields, workspace-wide templates, two-way calendar
sync, 5 TB of storage and 10,000 automation runs per month.

## Enterprise: custom pricing

For large organizations, billed annually with a minimum of 50 seats. Everything in Business,
plus SCIM provisioning, an IP allowlist, data residency in the EU, US or Australia, an audit log
kept for 3 years with streaming to your SIEM, custom retention policies, bring-your-own-key
encryption, a 99.95% uptime SLA and a dedicated customer success manager. Contact sales at
orbitask.com/enterprise.

## Billing questions

- **Trial**: every new workspace gets a 21-day Pro trial without a card.
- **Seats**: every Member and Admin is a paid seat; new seats are charged prorated.
- **Changing plans**: upgrades apply immediately, downgrades at the end of the billing period.
- **Refunds**: any charge can be refunded within 14 days.
- **Discounts**: 50% off Pro and Business for nonprofits; free Pro for classrooms.
- **Payment**: Visa, Mastercard, American Express and PayPal; SEPA Direct Debit and ACH on
  annual plans; bank transfer on Enterprise.
- **Taxes**: VAT or sales tax is added based on your billing address; EU businesses with a
  valid VAT ID are billed with reverse charge.
"""


def _shortcuts_body() -> str:
    sections: dict[str, list[list[str]]] = {}
    for keys, action, section in SHORTCUTS:
        sections.setdefault(section, []).append([f"**{keys}**", action])
    parts = [
        """Orbitask can be used almost entirely from the keyboard. Press **?** anywhere to see
this list in the app. On macOS, use **Cmd** wherever this page says **Ctrl**.

Single-key shortcuts (such as C or E) work when the cursor is not in a text field. If they
get in your way (for example with a screen reader or voice control), turn them off in
**Settings > Keyboard shortcuts > Single-key shortcuts**. You can also remap shortcuts there."""
    ]
    for section, rows in sections.items():
        parts.append(f"## {section}\n\n" + _table(["Shortcut", "Action"], rows))
    parts.append(
        """## Command palette

**Ctrl+K** opens the command palette: type what you want to do ("new project", "dark mode",
"go to billing") and press Enter. It also finds projects, tasks and people by name, so many
people use it instead of the sidebar.

## Tips

- Sequences such as **G then P** mean: press G, release it, then press P within one second.
- In the task editor, type **/** at the start of a line for formatting (headings, lists,
  checklists, code blocks).
- Shortcuts work in the web and desktop apps. The mobile apps support a hardware keyboard on
  iPad with the same shortcuts."""
    )
    return "\n\n".join(parts) + "\n"


def _error_codes_body() -> str:
    rows = [[f"**{code}**", message, when] for code, message, when, *_ in ERROR_CODES]
    parts = [
        """Orbitask shows an error code (ORB- and four digits) with every error, in the app and in
API responses. Include the code when you contact support. This page lists every code,
what causes it and how to fix it.

## Overview""",
        _table(["Code", "Message", "Where it appears"], rows),
    ]
    for code, message, when, cause, fix, _slug in ERROR_CODES:
        parts.append(
            f"## {code}: {message}\n\n**Where**: {when}.\n\n**Why**: {cause}.\n\n"
            f"**Fix**: {fix}."
        )
    parts.append(
        """## Errors without a code

If a page shows "Something went wrong" without a code, reload it and check
status.orbitask.com. If it repeats, use **Help > Report a problem**; the report includes a
request ID that lets our team find the error."""
    )
    return "\n\n".join(parts) + "\n"


def _integration_body(item: dict) -> str:
    steps = "\n".join(f"{n}. {step}" for n, step in enumerate(item["steps"], start=1))
    notes = "\n".join(f"- {note}" for note in item["notes"])
    return (
        f"The {item['name']} integration {item['what']}. It is available on "
        f"**{item['plans']}**.\n\n## Connect\n\n{steps}\n\n## Good to know\n\n{notes}\n\n"
        f"To disconnect, go to **{item['path']}** and click **Disconnect**. If the integration "
        "shows ORB-5120 (Integration disconnected), click **Reconnect** there.\n"
    )


TOPICS = [
    topic(
        "plans-and-pricing", "billing", "Plans and pricing compared",
        _plans_body(),
        subjects=["Which plan do we need?", "Pricing question", "Plan comparison"],
        questions=[
            "How much does Orbitask cost per user?",
            "What's the difference between the Pro and Business plans?",
            "We're a team of 30. Which plan should we pick, and what would it cost annually?",
            "Which plan includes SSO?",
            "Is there a discount for paying yearly?",
            "What do we get on the free plan and what are its limits?",
        ],
        details=[
            "We're {company}, growing fast.",
            "Please send a quote to {email}.",
            "Our procurement contact is {colleague}, {phone}.",
        ],
        answer="""Per user per month, Starter costs $8 ($6 billed annually), Pro $15 ($12 annually)
        and Business $29 ($24 annually); Enterprise is custom with a minimum of 50 seats. Free
        covers up to 5 members and 3 active projects. SAML SSO starts with Business, and annual
        billing saves about 20%.""",
    ),
    topic(
        "keyboard-shortcuts", "projects-tasks", "Keyboard shortcuts reference",
        _shortcuts_body(),
        subjects=["Keyboard shortcuts", "Turn off single-key shortcuts", "Shortcut list"],
        questions=[
            "Is there a list of keyboard shortcuts somewhere?",
            "What's the shortcut to create a new task?",
            "Single-letter shortcuts keep firing when I use my screen reader. Can I turn them off?",
            "How do I open the command palette?",
            "Is there a shortcut to jump to my tasks?",
            "Can I change the keyboard shortcuts?",
        ],
        details=[
            "I'm on a Mac.",
            "My colleague {colleague} showed me some shortcuts but I forgot them.",
        ],
        answer="""Press ? anywhere to see every shortcut; C creates a task, Ctrl+K (Cmd+K on macOS)
        opens the command palette and G then T goes to My tasks. You can turn off or remap
        single-key shortcuts in Settings > Keyboard shortcuts.""",
    ),
    topic("error-codes", "troubleshooting", "Error codes reference", _error_codes_body()),
    *[
        topic(f"{item['slug']}-integration", "integrations", f"{item['name']} integration",
              _integration_body(item))
        for item in INTEGRATIONS
    ],
]
