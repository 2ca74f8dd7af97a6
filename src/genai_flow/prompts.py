"""The prompt, defined once: fine-tune trains on it, evaluate scores with it, serving answers with it.

The structure is the seed's "Subject - Content": a subject line and the user's content (plus
retrieved knowledge-base passages when serving uses retrieval). It is rendered through the
tokenizer's chat template when the model has one, else as the seed's plain
"### Human: / ### Assistant:" transcript. It is logged with every model as an MLRun
``LLMPromptArtifact`` so that the prompt in production is versioned with the model.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Optional

PROMPT_FILE = "prompt_template.json"


@dataclasses.dataclass(frozen=True)
class PromptTemplate:
    """Chat messages with ``{subject}``, ``{content}`` and ``{context}`` placeholders."""

    system: str = (
        "You are the customer support assistant. Answer the customer's question briefly and "
        "exactly, in the support team's style."
    )
    user: str = "Subject - {subject}\n{context}Content - {content}"
    context_block: str = "Context - {passages}\n"  # fills {context} when passages are given
    plain_format: str = "### Human: {user}\n### Assistant: "  # models without a chat template

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

    def messages(self, subject: str, content: str, passages: Optional[list[str]] = None) -> list[dict]:
        context = ""
        if passages:
            context = self.context_block.format(passages="\n".join(p.strip() for p in passages))
        user = self.user.format(subject=(subject or "").strip(), content=content.strip(), context=context)
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]

    def render(self, tokenizer, subject: str, content: str, passages: Optional[list[str]] = None) -> str:
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
