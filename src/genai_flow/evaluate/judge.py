"""Model-as-judge: a grading prompt, a parsed 1-5 score, and two pluggable judges.

- ``LocalJudge``: any causal LM that loads locally (default: the project's base LLM).
- ``OpenAICompatibleJudge``: any endpoint speaking the OpenAI chat-completions format, through
  the `openai` client (its retries with backoff on 429, 5xx, timeouts and dropped connections;
  its ``OPENAI_BASE_URL`` / ``OPENAI_API_KEY`` when our settings leave URL or key unset).
"""

from __future__ import annotations

import dataclasses
import os
import re
from typing import Optional, Protocol

import torch

from ..model_loading import ModelConfig
from ..settings import Settings, setting, stage_config

KINDS = ("none", "local", "openai")

JUDGE_SYSTEM = "You grade customer-support answers. Reply with a single digit from 1 to 5."
JUDGE_PROMPT = """Grade the candidate answer against the reference answer.
5 = same facts and instructions as the reference, 1 = wrong, unrelated or unhelpful.

Question: {question}
Reference answer: {reference}
Candidate answer: {candidate}

Score (1-5):"""

_SCORE = re.compile(r"\b([1-5])\b")
# Judges echo the scale ("Score (1-5): 3", "4/5", "3 out of 5"): drop it before reading the score.
_SCALE = re.compile(r"\(?\b1\s*(?:-|to)\s*5\b\)?|(?:/|\bout of)\s*5\b")


@dataclasses.dataclass(frozen=True)
class JudgeConfig:
    """Which judge grades the tuned answers (settings ``judge``, ``judge_*``)."""

    kind: str = dataclasses.field(metadata=setting("judge"))  # "none", "local" or "openai"
    model: Optional[str]  # local: model setting (None: llm_model); openai: the endpoint's model
    url: Optional[str]  # openai: endpoint base URL (None: env OPENAI_BASE_URL)
    api_key: Optional[str] = dataclasses.field(repr=False)  # openai (None: env OPENAI_API_KEY)
    max_retries: int  # openai: the client's retries on 429, 5xx, timeouts
    timeout_s: float  # openai: seconds per request attempt

    def __post_init__(self):
        kind = (self.kind or "none").lower()
        if kind not in KINDS:
            raise ValueError(f"judge must be 'none', 'local' or 'openai', not {self.kind!r}")
        object.__setattr__(self, "kind", kind)  # frozen: normalized once, here
        if self.max_retries < 0:
            raise ValueError(f"judge_max_retries must be 0 or more, not {self.max_retries}")
        if self.timeout_s <= 0:
            raise ValueError(f"judge_timeout_s must be positive, not {self.timeout_s}")

    @classmethod
    def from_settings(cls, settings: Optional[Settings] = None, **overrides) -> "JudgeConfig":
        return stage_config(cls, "judge_", settings, **overrides)


class JudgeError(RuntimeError):
    """The judge endpoint failed (after the client's retries) or answered something unusable."""


def parse_score(text: str) -> Optional[int]:
    """The first standalone digit 1-5 in the judge's reply, ignoring an echoed scale."""
    match = _SCORE.search(_SCALE.sub(" ", text or ""))
    return int(match.group(1)) if match else None


def judge_messages(question: str, reference: str, candidate: str) -> list[dict]:
    prompt = JUDGE_PROMPT.format(question=question, reference=reference, candidate=candidate)
    return [{"role": "system", "content": JUDGE_SYSTEM}, {"role": "user", "content": prompt}]


class Judge(Protocol):
    name: str

    def score(self, question: str, reference: str, candidate: str) -> Optional[int]: ...


class LocalJudge:
    """A local Hugging Face causal LM as judge (greedy, a few tokens)."""

    def __init__(self, models: ModelConfig, model: Optional[str] = None):
        from ..model_loading import load_causal_lm

        self.name = f"local:{model or models.llm_model}"
        self.model, self.tokenizer, _ = load_causal_lm(models, model)

    @torch.inference_mode()
    def score(self, question: str, reference: str, candidate: str) -> Optional[int]:
        messages = judge_messages(question, reference, candidate)
        if getattr(self.tokenizer, "chat_template", None):
            prompt = self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        else:
            prompt = "\n".join(m["content"] for m in messages)
        inputs = self.tokenizer(prompt, return_tensors="pt", add_special_tokens=False).to(self.model.device)
        output = self.model.generate(
            **inputs, max_new_tokens=4, do_sample=False, pad_token_id=self.tokenizer.pad_token_id
        )
        reply = self.tokenizer.decode(output[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
        return parse_score(reply)


class OpenAICompatibleJudge:
    """A chat-completions endpoint (``POST {url}/chat/completions``) as judge.

    ``url`` and ``api_key`` fall back to ``OPENAI_BASE_URL`` and ``OPENAI_API_KEY``. Failed
    requests (429, 5xx, timeouts, dropped connections) are retried ``max_retries`` times with
    the client's exponential backoff (or the server's ``Retry-After``); what still fails
    raises :class:`JudgeError`.
    """

    def __init__(
        self,
        url: Optional[str],
        model: Optional[str],
        api_key: Optional[str],
        *,
        max_retries: int,
        timeout_s: float,
    ):
        import openai

        if not model:
            raise ValueError("the openai judge needs the endpoint's model name: set judge_model "
                             "(setting GENAI_FLOW_JUDGE_MODEL)")
        if not (url or os.environ.get("OPENAI_BASE_URL")):
            # No silent default to api.openai.com: held-out tickets leave only where configured.
            raise ValueError("the openai judge needs an endpoint URL: set judge_url (setting "
                             "GENAI_FLOW_JUDGE_URL) or OPENAI_BASE_URL, e.g. https://api.openai.com/v1")
        if not (api_key or os.environ.get("OPENAI_API_KEY")):
            raise ValueError("the openai judge needs an API key: set the MLRun secret or environment "
                             "variable JUDGE_API_KEY, the setting GENAI_FLOW_JUDGE_API_KEY or OPENAI_API_KEY "
                             "(any non-empty value for a server without authentication)")
        # None: the client reads OPENAI_BASE_URL / OPENAI_API_KEY itself.
        self.client = openai.OpenAI(
            base_url=url or None, api_key=api_key or None, max_retries=max_retries, timeout=timeout_s
        )
        self.model = model
        self.max_retries = max_retries
        self.name = f"openai:{model}@{self.client.base_url}"

    def score(self, question: str, reference: str, candidate: str) -> Optional[int]:
        import openai

        try:
            completion = self.client.chat.completions.create(
                model=self.model,
                messages=judge_messages(question, reference, candidate),
                temperature=0,
                max_tokens=4,
            )
        except openai.APIError as error:
            raise JudgeError(f"judge {self.name} failed (after up to {self.max_retries} retries): {error}") from error
        if not completion.choices:
            raise JudgeError(f"judge {self.name} answered without choices: {completion}")
        return parse_score(completion.choices[0].message.content)


def make_judge(config: JudgeConfig, models: ModelConfig) -> Optional[Judge]:
    """The judge ``config`` asks for (None for "none"); ``models`` loads a local judge."""
    if config.kind == "none":
        return None
    if config.kind == "local":
        return LocalJudge(models, config.model)
    return OpenAICompatibleJudge(
        config.url, config.model, config.api_key, max_retries=config.max_retries, timeout_s=config.timeout_s
    )
