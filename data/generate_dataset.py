"""Generate genai-flow's default data set: the Orbitask support knowledge base and tickets.

    python data/generate_dataset.py            # (re)writes data/raw/
    python data/generate_dataset.py --out DIR  # somewhere else

Deterministic: the same seed and the pinned Faker/phonenumbers/markdown-it versions give the
same bytes. See data/README.md for what is generated and its schema.
"""

from __future__ import annotations

import argparse
import html
import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from markdown_it import MarkdownIt  # noqa: E402

from generator import (  # noqa: E402
    kb_account, kb_admin, kb_apps, kb_billing, kb_data, kb_developers, kb_guides, kb_reference,
    kb_work,
)
from generator.model import Topic  # noqa: E402
from generator.tickets import make_tickets  # noqa: E402

SEED = 20240611
DEFAULT_OUT = Path(__file__).resolve().parent / "raw"
MODULES = [kb_account, kb_admin, kb_billing, kb_work, kb_data, kb_developers, kb_apps, kb_guides,
           kb_reference]

HTML_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="/assets/help-center.css">
<script>window.helpCenter = {{article: "{slug}"}};</script>
</head>
<body>
<nav class="breadcrumbs"><a href="/">Orbitask Help Center</a> &rsaquo;
<a href="/{category}/">{category_title}</a></nav>
<main>
<article>
<h1>{title}</h1>
{content}</article>
</main>
<footer>&copy; Orbitask Labs &middot; <a href="/privacy">Privacy</a> &middot;
<a href="/terms">Terms</a></footer>
</body>
</html>
"""


def all_topics() -> list[Topic]:
    topics = [topic for module in MODULES for topic in module.TOPICS]
    slugs = [topic.slug for topic in topics]
    duplicates = {slug for slug in slugs if slugs.count(slug) > 1}
    if duplicates:
        raise ValueError(f"duplicate topic slugs: {sorted(duplicates)}")
    return topics


def article_path(topic: Topic) -> Path:
    return Path("kb") / topic.category / f"{topic.slug}.{'html' if topic.html else 'md'}"


def render_article(topic: Topic) -> str:
    if not topic.html:
        return f"# {topic.title}\n\n{topic.body}"
    content = MarkdownIt("commonmark").enable("table").render(topic.body)
    return HTML_PAGE.format(
        title=html.escape(topic.title),
        slug=topic.slug,
        category=topic.category,
        category_title=html.escape(topic.category.replace("-", " ").title()),
        content=content,
    )


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def generate(out: Path, seed: int = SEED) -> dict:
    """Write the knowledge base and the tickets under ``out``; return counts."""
    out = Path(out)
    topics = all_topics()
    tickets = make_tickets(topics, seed)
    # Only the generator's own outputs are replaced, so renamed articles leave nothing behind.
    shutil.rmtree(out / "kb", ignore_errors=True)
    (out / "tickets.jsonl").unlink(missing_ok=True)
    for topic in topics:
        _write(out / article_path(topic), render_article(topic))
    _write(
        out / "tickets.jsonl",
        "".join(json.dumps(ticket, ensure_ascii=False) + "\n" for ticket in tickets),
    )
    return {
        "articles": len(topics),
        "html_articles": sum(topic.html for topic in topics),
        "ticket_topics": sum(topic.has_tickets for topic in topics),
        "tickets": len(tickets),
        "test_tickets": sum(ticket["split"] == "test" for ticket in tickets),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    counts = generate(args.out, args.seed)
    print(", ".join(f"{key}={value}" for key, value in counts.items()), f"-> {args.out}")


if __name__ == "__main__":
    main()
