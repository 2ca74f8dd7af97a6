"""Model-as-judge: a grading prompt, a parsed 1-5 score, and two pluggable judges.

- ``LocalJudge``: any causal LM that loads locally (default: the project's base LLM).
- ``OpenAICompatibleJudge``: any endpoint speaking the OpenAI chat-completions format
  (URL and key from settings, the environment or MLRun secrets).
"""

from __future__ import annotations

import re
from typing import Optional, Protocol

import httpx
import torch

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

    def __init__(self, model: Optional[str] = None):
        from ..model_loading import load_causal_lm

        self.name = f"local:{model or 'default-llm'}"
        self.model, self.tokenizer, _ = load_causal_lm(model)

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
    """A chat-completions endpoint (``POST {url}/chat/completions``) as judge."""

    def __init__(self, url: str, model: str, api_key: Optional[str] = None, timeout_s: float = 60.0):
        if not url:
            raise ValueError("the OpenAI-compatible judge needs a URL (GENAI_FLOW_JUDGE_URL)")
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.name = f"openai:{model}@{url}"
        self.model = model
        # retries: reconnect on dropped connections; HTTP errors are reported, not retried.
        self.client = httpx.Client(
            base_url=url.rstrip("/"),
            headers=headers,
            timeout=timeout_s,
            transport=httpx.HTTPTransport(retries=3),
        )

    def score(self, question: str, reference: str, candidate: str) -> Optional[int]:
        response = self.client.post(
            "/chat/completions",
            json={
                "model": self.model,
                "messages": judge_messages(question, reference, candidate),
                "temperature": 0,
                "max_tokens": 4,
            },
        )
        response.raise_for_status()
        reply = response.json()["choices"][0]["message"]["content"]
        return parse_score(reply)


def make_judge(kind: str, model: Optional[str], url: Optional[str], api_key: Optional[str]) -> Optional[Judge]:
    """``kind``: "none" (no judge), "local" or "openai"."""
    kind = (kind or "none").lower()
    if kind == "none":
        return None
    if kind == "local":
        return LocalJudge(model)
    if kind == "openai":
        return OpenAICompatibleJudge(url, model or "gpt-4o-mini", api_key)
    raise ValueError(f"judge must be 'none', 'local' or 'openai', not {kind!r}")
