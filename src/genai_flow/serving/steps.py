"""The serving graph's steps around the model: preprocess, postprocess, toxicity filter, errors.

The event body grows as it moves through the graph:
preprocess -> ``{"inputs": [...], "refused": bool, "sources": [...], ...}``;
the LLM server adds ``body["llm"]["outputs"]``; postprocess replaces the body with the answer
``{"answer", "answer_source", "confidence", "groundedness", "flagged", "flag_reason",
"low_confidence", "unsupported_facts", "sources"}``; the toxicity filter may replace the answer;
the record step (record.py) adds ``request_id``. What the monitoring event needs rides along in
``body["_trace"]`` (trace.py), and the record step removes it.
Any exception becomes ``{"error", "status"}`` through :func:`error_response`, so a failing step
never hangs a request.

Who answers (``answer_source``): "model"; "knowledge_base" when the model's answer is not
supported by the retrieved passages (quoted sentences instead, ``flag_reason: "ungrounded"``);
"fallback" when the model is unsure; "guard" for a toxic question or answer and for an
off-topic question (declined before the model is called, ``flag_reason: "off_topic"``).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from ..embed import RetrievalConfig, retrieve, store_location
from ..embed.embedder import get_embedder
from ..generation import Generation, clean_answer
from ..grounding.policy import ground_answer
from ..grounding.thresholds import ServingThresholds
from ..guardrails import ToxicityConfig, ToxicityGuard, ToxicityUnavailable
from ..model_loading import ModelConfig
from ..pii import PiiConfig, mask_text
from ..prompts import Passage
from ..schema import embedding_text
from .flags import OFF_TOPIC, TOXIC_INPUT, TOXIC_OUTPUT
from .openai_api import chat_request
from .requests import RequestError, parse_request
from .trace import TRACE, lap, new_trace


class GuardUnavailable(RuntimeError):
    """The toxicity classifier failed: the answer is withheld (the guard fails closed)."""

    status = 503


# A sentence ends at ., ! or ? (closing quotes or brackets included) followed by white space, or
# at a line break; a "." at the very end of a growing text may still be "3." of "3.5".
SENTENCE_END = re.compile(r"[.!?…]+[\"')\]]*(?=\s)|\n")


def sentences(text: str) -> list[str]:
    """``text``'s sentences (stripped, empty ones dropped)."""
    starts = [0] + [match.end() for match in SENTENCE_END.finditer(text)]
    parts = [text[start:end].strip() for start, end in zip(starts, starts[1:] + [len(text)])]
    return [part for part in parts if part]


def _guard_score(guard: ToxicityGuard, text: str, embedding=None) -> float:
    try:
        return float(guard.score([text], embeddings=None if embedding is None else embedding[None, :])[0])
    except ToxicityUnavailable as error:  # fail closed: no score, no answer
        raise GuardUnavailable(f"answer withheld: the toxicity classifier failed ({error})") from error


class Preprocess:
    """Validate the request, refuse toxic questions, mask PII, retrieve passages, decline
    off-topic questions.

    graph.py passes every value, resolved from the settings; the nested dicts are the fields
    of the stages' configs (None switches PII masking or retrieval off). ``thresholds`` are the
    settings' serving thresholds: those calibrated for ``model_path`` win (an off-topic score of
    None never declines).
    """

    def __init__(
        self,
        context=None,
        name: Optional[str] = None,
        *,
        max_question_chars: int,
        max_subject_chars: int,
        max_new_tokens_limit: int,
        thresholds: dict,
        model_path: str,
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
        self.off_topic_score = ServingThresholds(**thresholds).for_model(model_path).off_topic_score
        self.guard = ToxicityGuard(ToxicityConfig(**toxicity))
        self.pii = PiiConfig(**pii) if pii is not None else None
        self.retrieval = RetrievalConfig(**retrieval) if retrieval is not None else None
        self.store = store_location(**store)
        self.models = ModelConfig(**models)

    def do(self, body, messages=None, **api_fields):
        """``messages`` (and other ``api_fields``) come from MLRun's OpenAI frontend on a cluster
        (graph.py): the body is then an OpenAI chat request, its last user message the question."""
        trace = new_trace()
        if messages is not None:
            trace["openai_request"] = {key: body.get(key) for key in ("stream", "stream_options")}
            body = chat_request(body)
        request = parse_request(body, self.max_question_chars, self.max_subject_chars, self.max_new_tokens_limit)
        question, entities = request.question, []
        if self.pii is not None:
            question, entities = mask_text(question, self.pii)  # spaCy loads on first use
        pii_counts = dict(sorted(Counter(entity["type"] for entity in entities).items()))
        # For the monitoring event: the masked question only (raw PII is never recorded).
        trace.update(question=question, pii_counts=pii_counts)
        result = self._prepare(request, question, list(pii_counts))
        trace.update(input_toxicity=result.get("input_toxicity"), retrieval_score=result.get("retrieval_score"))
        lap(trace, "preprocess")
        return {**result, TRACE: trace}

    def _prepare(self, request, question: str, masked_types: list) -> dict:
        """The body for the model server: refused, declined, or the job with its passages."""
        # The subject line is part of the question (and what an article's title matches); the
        # guard screens the same text, so one embedding call serves both.
        query = embedding_text(request.subject or "", question)
        guard_vector, query_vector = self._embed(query)
        toxicity = _guard_score(self.guard, query, guard_vector)
        if toxicity >= self.guard.threshold:
            # Refused here: the LLM server passes refused requests through untouched.
            # "inputs" stays empty: the model server's protocol needs the key, not a prompt.
            return {"inputs": [], "refused": True, "flag_reason": TOXIC_INPUT, "input_toxicity": toxicity,
                    "sources": []}

        hits = retrieve(query, self.retrieval, self.store, self.models, vector=query_vector) if self.retrieval else []
        passages = [{"id": hit["id"], "title": hit["subject"], "text": hit["text"]} for hit in hits]
        sources = [{key: hit.get(key) for key in ("id", "subject", "source", "score")} for hit in hits]
        common = {"sources": sources, "pii_masked": masked_types, "input_toxicity": toxicity}
        # No hits means no knowledge base to judge by (nothing indexed): the model answers alone.
        best = max((hit["score"] for hit in hits), default=None)
        if best is not None and self.off_topic_score is not None and best < self.off_topic_score:
            return {"inputs": [], "refused": True, "flag_reason": OFF_TOPIC, "retrieval_score": best, **common}

        job = {
            "subject": request.subject or "",
            "content": question,
            "passages": passages,  # the model server keeps the best that fit the prompt
            "max_new_tokens": request.max_new_tokens,
        }
        return {"inputs": [job], "refused": False, "retrieval_score": best, **common}

    def _embed(self, query: str):
        """``(guard embedding, query embedding)`` from one call of the embedding model: the
        guard's is of its normalized text (the same vector when normalizing changes nothing).
        None where the guard takes no embeddings (another backend or embedding model) or
        retrieval is off: those embed on their own, if at all."""
        share = self.guard.accepts_embeddings()
        texts = ([query] if self.retrieval else []) + ([self.guard.normalize(query)] if share else [])
        if not texts:
            return None, None
        unique = list(dict.fromkeys(texts))
        vectors = get_embedder(self.models).encode(unique, normalize_embeddings=True, convert_to_numpy=True)
        by_text = dict(zip(unique, vectors))
        return (by_text[texts[-1]] if share else None), (by_text[query] if self.retrieval else None)


class Postprocess:
    """Turn the generation into the answer: clean text, confidence, groundedness, and the
    knowledge base's own sentences when the model's answer is not supported by them (the
    policy in grounding/policy.py, shared with evaluate)."""

    def __init__(self, context=None, name: Optional[str] = None, *, thresholds: dict, model_path: str,
                 extract_sentences: int, fallback_answer: str, refusal: str, off_topic_answer: str,
                 models: dict, **kwargs):
        """``thresholds``: the settings'; those calibrated for ``model_path`` win. A threshold
        of None turns its check off."""
        self.name = name
        self.thresholds = ServingThresholds(**thresholds).for_model(model_path)
        self.extract_sentences = extract_sentences
        self.fallback_answer = fallback_answer
        self.refusal = refusal
        self.off_topic_answer = off_topic_answer
        self.models = ModelConfig(**models)

    def do(self, body):
        trace = body.get(TRACE)
        if trace is not None:
            lap(trace, "llm-server")  # the wait for a batch and the generation
        answer = self._answer(body, trace)
        if trace is not None:
            lap(trace, "postprocess")
            answer[TRACE] = trace
        return answer

    def _answer(self, body, trace: Optional[dict]) -> dict:
        sources = body.get("sources", [])
        if body.get("refused"):
            off_topic = body["flag_reason"] == OFF_TOPIC
            return {
                "answer": self.off_topic_answer if off_topic else self.refusal,
                "answer_source": "guard",
                "confidence": 1.0,  # the guard's decision, not the model's
                "groundedness": None,
                "flagged": True,
                "flag_reason": body["flag_reason"],
                "low_confidence": False,
                "unsupported_facts": [],
                "sources": sources if off_topic else [],
                "prompt_version": None,  # no prompt was rendered
                "usage": {"prompt_tokens": 0, "completion_tokens": 0},  # the model never ran
            }
        output, job = body["llm"]["outputs"][0], body["inputs"][0]
        if trace is not None:
            trace.update(tokens_in=output.get("prompt_tokens", 0), tokens_out=len(output["token_logprobs"]),
                         batch_size=output.get("batch_size", 1), prompt_version=output.get("prompt_version"))
        answer = clean_answer(output["text"])
        confidence = Generation(answer, output["token_logprobs"]).confidence if answer else 0.0
        passages = [Passage.of(passage) for passage in job.get("passages") or []]
        grounded = ground_answer(
            embedding_text(job["subject"], job["content"]), answer, confidence, passages, self.thresholds,
            get_embedder(self.models) if passages else None, self.extract_sentences, self.fallback_answer,
        )
        return {
            "answer": grounded.answer,
            "answer_source": grounded.source,
            "confidence": round(confidence, 4),
            "groundedness": grounded.groundedness,
            "flagged": grounded.flag_reason is not None,
            "flag_reason": grounded.flag_reason,
            "low_confidence": grounded.low_confidence,
            "unsupported_facts": grounded.unsupported_facts,
            "sources": sources,
            "prompt_version": output.get("prompt_version"),  # the library prompt's version that made it
            "usage": {"prompt_tokens": output.get("prompt_tokens", 0),
                      "completion_tokens": len(output["token_logprobs"])},
        }


class ToxicityFilter:
    """Replace a toxic answer by a refusal; withhold the answer if the classifier fails.

    The answer is judged whole and sentence by sentence: one insult among polite sentences
    scores low as part of the whole, not on its own (and a streamed answer is guarded per
    sentence too, serving/streaming.py)."""

    def __init__(self, context=None, name: Optional[str] = None, *, toxicity: dict, refusal: str,
                 models: dict, **kwargs):
        self.name = name
        self.refusal = refusal
        self.guard = ToxicityGuard(ToxicityConfig(**toxicity))
        self.models = ModelConfig(**models)

    def do(self, body):
        if body.get("flagged"):  # refused, declined, or quoting the knowledge base
            return body
        texts = list(dict.fromkeys([body["answer"], *sentences(body["answer"])]))
        embeddings = None
        if self.guard.accepts_embeddings():  # the serving process's embedder: no second copy
            embeddings = get_embedder(self.models).encode(
                [self.guard.normalize(text) for text in texts], normalize_embeddings=True, convert_to_numpy=True
            )
        try:
            toxicity = max(self.guard.score(texts, embeddings=embeddings))
        except ToxicityUnavailable as error:  # fail closed: no score, no answer
            raise GuardUnavailable(f"answer withheld: the toxicity classifier failed ({error})") from error
        if toxicity >= self.guard.threshold:
            body.update(answer=self.refusal, answer_source="guard", flagged=True, flag_reason=TOXIC_OUTPUT)
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
