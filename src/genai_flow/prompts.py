"""The prompt, defined once: fine-tune trains on it, evaluate scores with it, serving answers with it.

The structure is the seed's "Subject - Content": a subject line and the user's content, after
the knowledge-base passages retrieved for it, each under its title (as many as fit the context
budget, best first). Fine-tune trains on this same shape (question + retrieved passages ->
answer), so the model learns to take its facts from the passages. It is rendered through the
tokenizer's chat template when the model has one, else as the seed's plain
"### Human: / ### Assistant:" transcript. It is logged with every model as an MLRun
``LLMPromptArtifact`` so that the prompt in production is versioned with the model.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Optional, Sequence, Union

PROMPT_FILE = "prompt_template.json"


@dataclasses.dataclass(frozen=True)
class Passage:
    """A retrieved knowledge-base passage as the prompt shows it."""

    title: str
    text: str
    id: str = ""

    @classmethod
    def of(cls, value: Union["Passage", dict, str]) -> "Passage":
        """A passage from a retrieval hit (``subject``/``text``/``id``), a dict of the fields, or text."""
        if isinstance(value, Passage):
            return value
        if isinstance(value, str):
            return cls(title="", text=value)
        return cls(
            title=str(value.get("title", value.get("subject", "")) or ""),
            text=str(value["text"]),
            id=str(value.get("id", "") or ""),
        )


@dataclasses.dataclass(frozen=True)
class PromptTemplate:
    """Chat messages with ``{subject}``, ``{content}`` and ``{context}`` placeholders."""

    system: str = (
        "You are the customer support assistant. Answer the customer's question briefly and "
        "exactly with the facts of the knowledge base passages, in the support team's style."
    )
    user: str = "{context}Subject - {subject}\nContent - {content}"
    context_block: str = "Knowledge base:\n{passages}\n\n"  # fills {context} when passages are given
    passage_format: str = "[{number}] {title}\n{text}"  # one passage inside the context block
    plain_format: str = "### Human: {user}\n### Assistant: "  # models without a chat template

    @property
    def version(self) -> str:
        """A short hash of the template's text: answers name the prompt that made them."""
        text = json.dumps(dataclasses.asdict(self), sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]

    @property
    def legend(self) -> dict:
        """What each placeholder holds (MLRun's prompt legend)."""
        return {
            "subject": {"field": "subject", "description": "the ticket subject or question title"},
            "content": {"field": "text", "description": "the customer's question"},
            "context": {
                "field": "context",
                "description": "retrieved knowledge-base passages, empty when retrieval is off",
            },
        }

    def context(self, passages: Optional[Sequence[Passage]]) -> str:
        """The context block for ``passages`` ("" for none)."""
        if not passages:
            return ""
        blocks = [
            self.passage_format.format(number=number, title=passage.title, text=passage.text.strip())
            for number, passage in enumerate(map(Passage.of, passages), start=1)
        ]
        return self.context_block.format(passages="\n\n".join(blocks))

    def messages(self, subject: str, content: str, passages: Optional[Sequence[Passage]] = None) -> list[dict]:
        user = self.user.format(
            subject=(subject or "").strip(), content=content.strip(), context=self.context(passages)
        )
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]

    def fit_passages(self, tokenizer, passages: Sequence[Passage], budget_tokens: int) -> list[Passage]:
        """The best passages whose context block fits ``budget_tokens`` of ``tokenizer``, in
        order; the first is always kept (cut to the budget when it alone is longer)."""
        kept: list[Passage] = []
        for passage in map(Passage.of, passages):
            if self._tokens(tokenizer, self.context([*kept, passage])) <= budget_tokens:
                kept.append(passage)
            elif kept:
                break
            else:  # the best passage alone is too long: keep its beginning
                ids = tokenizer(passage.text, add_special_tokens=False)["input_ids"][: max(budget_tokens, 1)]
                kept.append(dataclasses.replace(passage, text=tokenizer.decode(ids)))
                break
        return kept

    @staticmethod
    def _tokens(tokenizer, text: str) -> int:
        return len(tokenizer(text, add_special_tokens=False)["input_ids"])

    def render(self, tokenizer, subject: str, content: str, passages: Optional[Sequence[Passage]] = None) -> str:
        """The prompt text up to where the assistant's answer starts."""
        messages = self.messages(subject, content, passages)
        if getattr(tokenizer, "chat_template", None):
            return tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        text = "\n".join(message["content"] for message in messages)
        return self.plain_format.format(user=text)

    def answer_suffix(self, tokenizer) -> str:
        """What closes an answer in training examples, so generation learns to stop."""
        return tokenizer.eos_token or ""

    # --- persistence: saved next to every adapter, logged as an LLMPromptArtifact ------------
    def as_message_template(self) -> list[dict]:
        return [{"role": "system", "content": self.system}, {"role": "user", "content": self.user}]

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def save(self, folder: Path) -> Path:
        path = Path(folder) / PROMPT_FILE
        path.write_text(json.dumps(self.to_dict(), indent=2))
        return path

    @classmethod
    def load(cls, folder: Path) -> "PromptTemplate":
        """The template saved in a model folder, or the default when the folder has none."""
        path = Path(folder) / PROMPT_FILE
        if not path.is_file():
            return cls()
        return cls(**json.loads(path.read_text()))


DEFAULT_PROMPT = PromptTemplate()
