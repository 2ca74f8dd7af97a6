"""Splitting articles into chunks measured in the embedding model's own tokens.

The embed stage embeds ``subject + "\\n" + text`` of each chunk, and the embedding model reads at
most ``max_seq_length`` tokens (all-MiniLM-L6-v2: 256 word pieces, [CLS] and [SEP] included);
sentence-transformers silently cuts off the rest. So each article gets its own text budget:

    chunk_tokens - (tokens of the subject and separator + the model's special tokens)

and semantic-text-splitter's MarkdownSplitter fills chunks up to that budget, counting with the
model's tokenizer, on the largest Markdown units that fit (sections, paragraphs, list items,
sentences, then words). Article text reaches here as plain text that keeps Markdown's headings
("# ") and list markers (see text.py), so Markdown is the structure the splitter looks for.

Overlap repeats whole units (sentences at most) from the end of the previous chunk, up to
``chunk_overlap_tokens``, within a section: a chunk that starts a section repeats nothing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from semantic_text_splitter import MarkdownSplitter
from tokenizers import Tokenizer

from ..schema import embedding_text


class SubjectTooLong(ValueError):
    """The subject leaves less than half of the chunk budget for the article's text."""


def load_tokenizer(model: str) -> tuple[Tokenizer, int]:
    """The embedding model's tokenizer (counting every token: no truncation, no padding) and the
    most tokens the model reads, from a model folder or a Hugging Face id.

    The limit is sentence-transformers' ``max_seq_length`` (sentence_bert_config.json), else
    the tokenizer's ``model_max_length``.
    """

    def model_file(name: str) -> Path | None:
        folder = Path(model).expanduser()
        if folder.is_dir():
            path = folder / name
            return path if path.is_file() else None
        from huggingface_hub import hf_hub_download  # honours HF_HUB_OFFLINE (local mode)

        try:
            return Path(hf_hub_download(model, name))
        except Exception:  # missing file, or offline; the callers say what was needed
            return None

    tokenizer_file = model_file("tokenizer.json")
    if tokenizer_file is None:
        raise FileNotFoundError(
            f"embedding model {model} has no tokenizer.json (a fast tokenizer is needed to "
            "measure chunks in its tokens)"
        )
    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    # tokenizer.json files often come with truncation and padding configured (all-MiniLM-L6-v2's
    # truncates at 128 and pads to 128): every count would be capped and nothing would split.
    tokenizer.no_truncation()
    tokenizer.no_padding()

    limit = None
    for name, key in (("sentence_bert_config.json", "max_seq_length"),
                      ("tokenizer_config.json", "model_max_length")):
        path = model_file(name)
        value = json.loads(path.read_text()).get(key) if path else None
        if isinstance(value, int) and 0 < value < 1_000_000:  # huge values mean "unset"
            limit = value
            break
    if limit is None:
        raise ValueError(
            f"cannot tell how many tokens embedding model {model} reads: neither "
            "sentence_bert_config.json (max_seq_length) nor tokenizer_config.json "
            "(model_max_length) says"
        )
    return tokenizer, limit


class Chunker:
    """Splits an article (subject + text) into chunks that each fit the embedding model whole.

    :param tokenizer:     the embedding model's tokenizer, with truncation and padding off
    :param model_limit:   the most tokens the model reads (special tokens included)
    :param chunk_tokens:  tokens per chunk as embedded (subject, text, special tokens)
    :param overlap_tokens: at most this many tokens repeated from the previous chunk
    :param model_name:    for messages
    """

    def __init__(self, tokenizer: Tokenizer, model_limit: int, chunk_tokens: int,
                 overlap_tokens: int, model_name: str = "the embedding model"):
        if chunk_tokens > model_limit:
            raise ValueError(
                f"chunk_tokens {chunk_tokens} is more than {model_name} reads "
                f"({model_limit} tokens): the rest of every long chunk would be cut off"
            )
        if not 0 <= overlap_tokens < chunk_tokens // 2:
            raise ValueError(
                f"chunk_overlap_tokens must be >= 0 and < half of chunk_tokens "
                f"({chunk_tokens // 2}), got {overlap_tokens}"
            )
        self.tokenizer = tokenizer
        self.model_limit = model_limit
        self.chunk_tokens = chunk_tokens
        self.overlap_tokens = overlap_tokens
        self.model_name = model_name
        self._splitters: dict[int, MarkdownSplitter] = {}  # one per text budget

    @classmethod
    def for_model(cls, model: str, chunk_tokens: int, overlap_tokens: int,
                  model_name: str = "") -> "Chunker":
        """A chunker for the embedding model in folder (or with Hugging Face id) ``model``;
        ``model_name`` names it in messages (default: ``model``)."""
        tokenizer, limit = load_tokenizer(model)
        return cls(tokenizer, limit, chunk_tokens, overlap_tokens, model_name or model)

    def count(self, text: str) -> int:
        """Tokens of ``text`` alone (no special tokens)."""
        return len(self.tokenizer.encode(text, add_special_tokens=False).ids)

    def embedded_tokens(self, subject: str, text: str) -> int:
        """Tokens the embedding model reads for a chunk: subject, text and special tokens."""
        return len(self.tokenizer.encode(embedding_text(subject, text)).ids)

    def text_budget(self, subject: str) -> int:
        """Tokens left for an article's text once its subject, the separator and the special
        tokens are counted (with a WordPiece tokenizer the parts add up exactly, as the
        separator is whitespace)."""
        return self.chunk_tokens - self.embedded_tokens(subject, "")

    def split(self, subject: str, text: str) -> list[str]:
        """The chunks of an article's text, in order; each is a piece of ``text`` and fits the
        budget. Raises :class:`SubjectTooLong` when the subject takes more than half of it."""
        budget = self.text_budget(subject)
        if budget < (self.chunk_tokens + 1) // 2:
            raise SubjectTooLong(
                f"subject: {self.chunk_tokens - budget} tokens with the special tokens, more than "
                f"half of chunk_tokens {self.chunk_tokens}"
            )
        text = text.strip()
        while True:
            chunks = self._split(text, budget)
            excess = max(self.embedded_tokens(subject, c) for c in chunks) - self.chunk_tokens
            if excess <= 0:
                return chunks
            # Only tokenizers whose pieces don't add up across the separator get here (not
            # WordPiece): measure again with a budget smaller by what was over.
            budget -= excess
            if budget <= self.overlap_tokens:
                raise SubjectTooLong(f"subject: leaves no room for text in {self.chunk_tokens}")

    def _split(self, text: str, budget: int) -> list[str]:
        if self.count(text) <= budget:
            return [text]
        spans = [(start, start + len(chunk))
                 for start, chunk in self._splitter(budget).chunk_indices(text)]
        return [text[start:end] for start, end in self._attach_headings(text, spans, budget)]

    def _splitter(self, capacity: int) -> MarkdownSplitter:
        if capacity not in self._splitters:
            self._splitters[capacity] = MarkdownSplitter.from_huggingface_tokenizer(
                self.tokenizer, capacity=capacity, overlap=self.overlap_tokens
            )
        return self._splitters[capacity]

    def _attach_headings(self, text: str, spans: list[tuple[int, int]], budget: int
                         ) -> list[tuple[int, int]]:
        """The splitter makes a section's heading a chunk of its own when the section is too
        big; alone, a heading says nothing and would still be retrieved for its words. It is
        joined to the next chunk when both fit, else the next chunk is split again, smaller,
        so that the heading fits with its first piece. ``spans`` are (start, end) in ``text``."""
        spans = list(spans)
        result: list[tuple[int, int]] = []
        i = 0
        while i < len(spans):
            start, end = spans[i]
            if i + 1 < len(spans) and _only_headings(text[start:end]):
                next_start, next_end = spans[i + 1]
                if self.count(text[start:next_end]) <= budget:
                    spans[i + 1] = (start, next_end)
                    i += 1
                    continue
                room = budget - self.count(text[start:next_start])
                if next_start >= end and room > self.overlap_tokens:
                    pieces = self._splitter(room).chunk_indices(text[next_start:next_end])
                    first_start, first = pieces[0]
                    spans[i + 1 : i + 2] = [(start, next_start + first_start + len(first))] + [
                        (next_start + offset, next_start + offset + len(piece))
                        for offset, piece in pieces[1:]
                    ]
                    i += 1
                    continue
            result.append((start, end))
            i += 1
        return result


_HEADING = re.compile(r"#{1,6}(?:\s|$)")


def _only_headings(chunk: str) -> bool:
    return all(_HEADING.match(line) for line in chunk.splitlines() if line.strip())
