"""Text cleaning: decoding bytes, HTML and Markdown to readable text, normalization, and the
"is this text at all?" check.

HTML and Markdown become the same plain text: headings keep their "# " marks, list items their
"- " or "1. " and table rows their cells joined by " | ", so that chunking still sees the
structure; markup (tags, link targets, images, comments, emphasis and code markers) goes."""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

from bs4 import BeautifulSoup, NavigableString
from markdown_it import MarkdownIt

# Elements that are page furniture rather than content.
_DROP_TAGS = ["script", "style", "noscript", "template", "nav", "footer", "aside", "form", "svg",
              "iframe", "button"]
_BLOCK_TAGS = ["p", "div", "section", "article", "main", "header", "ul", "ol", "table",
               "pre", "blockquote", "dl", "dt", "dd", "figure", "figcaption", "hr",
               "h1", "h2", "h3", "h4", "h5", "h6"]
_HTML_HINT = re.compile(
    r"<(?:p|br|div|span|a|b|i|strong|em|ul|ol|li|h[1-6]|table|html|body)\b[^>]*>", re.IGNORECASE
)
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{80,}={0,2}")
# CommonMark (raw HTML allowed, as on GitHub) plus GitHub's tables and strikethrough.
_MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def decode_bytes(data: bytes) -> str:
    """Bytes to text: UTF-8 (with or without BOM), else the most likely legacy encoding.

    Binary data (NUL bytes) is decoded with replacement characters so that the non-text check
    can report it instead of a decoder crashing.
    """
    if b"\x00" in data[:65536]:
        return data.decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        matches = from_bytes(data)
        best = matches.best()
        if best is None:
            return data.decode("utf-8", errors="replace")
        # Short texts often fit several Windows code pages equally well; Windows-1252 is by far
        # the most common legacy encoding of exported spreadsheets, so it wins a tie.
        for match in matches:
            if match.encoding == "cp1252" and match.chaos <= best.chaos:
                return str(match)
        return str(best)


def looks_like_html(text: str) -> bool:
    """True when a field holds HTML markup (tickets exported from help desks often do)."""
    return bool(_HTML_HINT.search(text))


def html_to_text(markup: str | BeautifulSoup) -> tuple[str, str]:
    """(title, text) of an HTML page or fragment (markup or its parsed soup, which is changed);
    headings, list items and table rows stay recognizable.

    The title is the page's <title>, else its first heading, else "".
    """
    soup = markup if isinstance(markup, BeautifulSoup) else BeautifulSoup(markup, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    root = soup.find("main") or soup.find("article") or soup.body or soup
    for tag in root.find_all(_DROP_TAGS):
        tag.decompose()
    if not title:
        heading = root.find(re.compile(r"^h[1-6]$"))
        title = heading.get_text(" ", strip=True) if heading else ""
    # HTML whitespace is insignificant outside <pre>: collapse it before adding structure.
    for string in root.find_all(string=True):
        # type() rather than isinstance: comments and doctypes are strings too, and stay hidden
        if type(string) is NavigableString and string.find_parent("pre") is None:
            string.replace_with(re.sub(r"\s+", " ", str(string)))
    for br in root.find_all("br"):
        br.replace_with("\n")
    for heading in root.find_all(re.compile(r"^h[1-6]$")):
        heading.insert(0, "#" * int(heading.name[1]) + " ")
    for item in root.find_all("li"):
        # Paragraphs inside an item ("loose" Markdown lists) would put the marker on a line
        # of its own: they become lines of the item instead.
        for number, paragraph in enumerate(item.find_all("p", recursive=False)):
            if number:
                paragraph.insert_before("\n")
            paragraph.unwrap()
        item.insert_before("\n")
        item.insert(0, _list_marker(item))
    for row in root.find_all("tr"):  # one line per row: "cell | cell | cell"
        row.insert_before("\n")
        for cell in row.find_all(["td", "th"], recursive=False)[:-1]:
            cell.insert_after(" | ")
    for block in root.find_all(_BLOCK_TAGS):
        block.insert_before("\n\n")
        block.insert_after("\n\n")
    return title, root.get_text()


def split_front_matter(text: str) -> tuple[dict, str]:
    """YAML front matter (``---`` ... ``---`` at the top of a Markdown file) and the rest."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 4)
    if end < 0:
        return {}, text
    import yaml

    try:
        meta = yaml.safe_load(text[4:end])
    except yaml.YAMLError:
        return {}, text
    if not isinstance(meta, dict):
        return {}, text
    return meta, text[end + 4 :].lstrip("\n")


def _list_marker(item) -> str:
    """"1. " for the items of a numbered list (from its start number), "- " for the others."""
    parent = item.parent
    if parent is None or parent.name != "ol":
        return "- "
    try:
        start = int(parent.get("start", 1))
    except ValueError:
        start = 1
    position = len(item.find_previous_siblings("li"))
    return f"{start + position}. "


def markdown_to_text(text: str) -> tuple[str, str]:
    """(first heading, readable text) of Markdown, through markdown-it-py's CommonMark parser.

    Rendered to HTML and read back like any HTML page, so both end up as the same plain text:
    images keep their description, links their words, code spans and fenced code their
    contents (without backticks), tables one row per line; comments go.
    """
    soup = BeautifulSoup(_MARKDOWN.render(text), "html.parser")
    for image in soup.find_all("img"):
        image.replace_with(image.get("alt", ""))
    return html_to_text(soup)


def normalize(text: str) -> str:
    """NFKC, no control or zero-width characters, tidy whitespace; paragraphs stay apart."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    text = "".join(
        char for char in text if char in "\n\t" or unicodedata.category(char) != "Cc"
    )
    lines = [re.sub(r"[ \t\f\v]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def normalize_line(text: str) -> str:
    """Like :func:`normalize`, on one line (subjects, ids)."""
    return " ".join(normalize(text).split())


def non_text_reason(text: str, min_alpha_ratio: float) -> Optional[str]:
    """Why ``text`` is not natural-language text, or None when it is.

    Checked on the decoded text before normalization, so binary data still shows its control
    and replacement characters.
    """
    if not text:
        return None
    visible = [char for char in text if not char.isspace()]
    if not visible:
        return None
    broken = sum(
        1
        for char in visible
        if char == "\ufffd" or (unicodedata.category(char) == "Cc")
    )
    if broken / len(visible) > 0.02:
        return f"binary data: {broken} control or undecodable characters"
    blobs = sum(len(match.group()) for match in _BASE64_RUN.finditer(text))
    if blobs / len(visible) > 0.5:
        return f"an encoded blob (base64-like run of {blobs} characters)"
    letters = sum(char.isalpha() for char in visible)
    ratio = letters / len(visible)
    if ratio < min_alpha_ratio:
        return f"mostly non-letters ({ratio:.0%} letters, below {min_alpha_ratio:.0%})"
    return None


def snippet(text: str, width: int = 160) -> str:
    """One printable line of at most ``width`` characters, for reports."""
    printable = "".join(
        "\ufffd" if unicodedata.category(char) == "Cc" and not char.isspace() else char
        for char in str(text)[: width * 4]
    )
    line = " ".join(printable.split())
    return line if len(line) <= width else line[: width - 1] + "…"
