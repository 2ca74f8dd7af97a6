"""The serving graph's steps around the model: preprocess, postprocess, toxicity filter, errors.

The event body grows as it moves through the graph:
preprocess -> ``{"inputs": [...], "refused": bool, "sources": [...], ...}``;
the LLM server adds ``body["llm"]["outputs"]``; postprocess replaces the body with the answer
``{"answer", "confidence", "flagged", "flag_reason", "low_confidence", "sources"}``; the
toxicity filter may replace the answer. Any exception becomes ``{"error", "status"}`` through
:func:`error_response`, so a failing step never hangs a request.
"""

from __future__ import annotations

import re
from typing import Optional

from ..embed import RetrievalConfig, retrieve, store_location
from ..generation import Generation
from ..guardrails import ToxicityConfig, ToxicityGuard, ToxicityUnavailable
from ..model_loading import ModelConfig
from ..pii import PiiConfig, mask_text
from .requests import RequestError, parse_request

TOXIC_INPUT, TOXIC_OUTPUT = "toxic_input", "toxic_output"


class GuardUnavailable(RuntimeError):
    """The toxicity classifier failed: the answer is withheld (the guard fails closed)."""

    status = 503


def _guard_score(guard: ToxicityGuard, text: str) -> float:
    try:
        return float(guard.score([text])[0])
    except ToxicityUnavailable as error:  # fail closed: no score, no answer
        raise GuardUnavailable(f"answer withheld: the toxicity classifier failed ({error})") from error


class Preprocess:
    """Validate the request, refuse toxic questions, mask PII, add retrieved context.

    graph.py passes every value, resolved from the settings; the nested dicts are the fields
    of the stages' configs (None switches PII masking or retrieval off).
    """

    def __init__(
        self,
        context=None,
        name: Optional[str] = None,
        *,
        max_question_chars: int,
        max_subject_chars: int,
        max_new_tokens_limit: int,
        context_passages: int,
        toxicity: dict,
        pii: Optional[dict],
        retrieval: Optional[dict],
        store: dict,
        models: dict,
        **kwargs,
    ):
        self.name = name
        self.max_question_chars = max_question_chars
        self.max_subject_chars = max_subject_chars
        self.max_new_tokens_limit = max_new_tokens_limit
        self.context_passages = context_passages
        self.guard = ToxicityGuard(ToxicityConfig(**toxicity))
        self.pii = PiiConfig(**pii) if pii is not None else None
        self.retrieval = RetrievalConfig(**retrieval) if retrieval is not None else None
        self.store = store_location(**store)
        self.models = ModelConfig(**models)

    def do(self, body):
        request = parse_request(body, self.max_question_chars, self.max_subject_chars, self.max_new_tokens_limit)
        screened = f"{request.subject or ''}\n{request.question}".strip()
        toxicity = _guard_score(self.guard, screened)
        if toxicity >= self.guard.threshold:
            # Refused here: the LLM server passes refused requests through untouched.
            # "inputs" stays empty: the model server's protocol needs the key, not a prompt.
            return {"inputs": [], "refused": True, "flag_reason": TOXIC_INPUT, "input_toxicity": toxicity,
                    "sources": []}

        question, masked_types = request.question, []
        if self.pii is not None:
            question, entities = mask_text(question, self.pii)  # spaCy loads on first use
            masked_types = sorted({entity["type"] for entity in entities})

        passages, sources = [], []
        if self.retrieval is not None:
            for hit in retrieve(question, self.retrieval, self.store, self.models):
                passages.append(hit["text"])
                sources.append({key: hit.get(key) for key in ("id", "subject", "source", "score")})

        job = {
            "subject": request.subject or "",
            "content": question,
            # Only the best few: a small model loses the thread in a long prompt.
            "passages": passages[: self.context_passages],
            "max_new_tokens": request.max_new_tokens,
        }
        return {
            "inputs": [job],
            "refused": False,
            "sources": sources,
            "pii_masked": masked_types,
            "input_toxicity": toxicity,
        }


_ROLE_MARKERS = re.compile(r"(?:###\s*(?:Human|Assistant)\s*:|<\|im_(?:start|end)\|>).*", re.DOTALL)
# Tuned on PII-masked answers, the model greets "<PERSON>": greet nobody in particular instead.
_MASKED_GREETING = re.compile(r"\b(Hi|Hello|Dear)\s+<PERSON>")


def clean_answer(text: str) -> str:
    """Drop a hallucinated next turn, un-mask the greeting, tidy whitespace."""
    text = _ROLE_MARKERS.sub("", text or "")
    text = _MASKED_GREETING.sub(lambda m: f"{m.group(1)} there", text)
    return re.sub(r"[ \t]+", " ", text).strip()


class Postprocess:
    """Turn the generation into the answer: clean text, confidence, low-confidence fallback."""

    def __init__(self, context=None, name: Optional[str] = None, *, min_confidence: float,
                 fallback_answer: str, refusal: str, **kwargs):
        self.name = name
        self.min_confidence = min_confidence
        self.fallback_answer = fallback_answer
        self.refusal = refusal

    def do(self, body):
        if body.get("refused"):
            return {
                "answer": self.refusal,
                "confidence": 1.0,  # the guard's decision, not the model's
                "flagged": True,
                "flag_reason": body["flag_reason"],
                "low_confidence": False,
                "sources": [],
            }
        output = body["llm"]["outputs"][0]
        answer = clean_answer(output["text"])
        logprobs = output["token_logprobs"]
        confidence = Generation(answer, logprobs).confidence if answer else 0.0
        low = confidence < self.min_confidence
        return {
            "answer": self.fallback_answer if low else answer,
            "confidence": round(confidence, 4),
            "flagged": False,
            "flag_reason": None,
            "low_confidence": low,
            "sources": body.get("sources", []),
        }


class ToxicityFilter:
    """Replace a toxic answer by a refusal; withhold the answer if the classifier fails."""

    def __init__(self, context=None, name: Optional[str] = None, *, toxicity: dict, refusal: str, **kwargs):
        self.name = name
        self.refusal = refusal
        self.guard = ToxicityGuard(ToxicityConfig(**toxicity))

    def do(self, body):
        if body.get("flagged"):
            return body
        toxicity = _guard_score(self.guard, body["answer"])
        if toxicity >= self.guard.threshold:
            body.update(answer=self.refusal, flagged=True, flag_reason=TOXIC_OUTPUT)
        return body


def error_response(event):
    """The graph's error handler: any exception becomes a JSON error with an HTTP status."""
    error = getattr(event, "error", None)
    if isinstance(error, (RequestError, GuardUnavailable)):
        status, message = error.status, str(error)
    else:
        status, message = 500, f"internal error in step {getattr(event, 'origin_state', '?')}: {error}"
    event.body = {"error": message, "status": status}
    return event
