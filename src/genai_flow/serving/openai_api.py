"""The OpenAI-compatible API's shapes: a chat or text completion request as the graph's own
request, the graph's answer as an OpenAI completion, and OpenAI-style error objects.

The graph is the same as for ``POST /``: the last user message is the question, so PII
masking, retrieval, the guards and postprocess all hold. A guarded answer (refused, declined or
replaced) finishes with ``content_filter``; the graph's own fields ride along under
``genai_flow`` (ignored by the OpenAI SDK, which keeps unknown fields on the object).
"""

from __future__ import annotations

import time
from typing import Any, Optional

from .requests import RequestError

OBJECT_PREFIX = {"chat.completion": "chatcmpl-", "text_completion": "cmpl-"}
EXTRA_FIELDS = ("request_id", "confidence", "flagged", "flag_reason", "answer_source", "low_confidence",
                "groundedness", "unsupported_facts", "sources", "prompt_version")


def _text(content: Any, where: str) -> str:
    """A message's content: a string, or a list of parts of which the text ones count."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [part.get("text") for part in content if isinstance(part, dict) and part.get("type") == "text"]
        if parts and all(isinstance(part, str) for part in parts):
            return "\n".join(parts)
    raise RequestError(f"{where} must be a string or a list of text parts", 400)


def _common(body: dict) -> dict:
    """The options both routes share, checked: ``max_tokens`` (or ``max_completion_tokens``)
    becomes the graph's ``max_new_tokens``; a stream or several choices are refused."""
    if body.get("stream"):
        raise RequestError("stream is not supported by this endpoint yet: send \"stream\": false", 400)
    if body.get("n", 1) != 1:
        raise RequestError("n must be 1: the endpoint answers with one choice", 400)
    request = {}
    limit = body.get("max_completion_tokens", body.get("max_tokens"))
    if limit is not None:
        request["max_new_tokens"] = limit  # the graph validates its type and range (422)
    return request


def chat_request(body: dict) -> dict:
    """The graph request for an OpenAI chat completion request: the last user message."""
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise RequestError("messages must be a non-empty list of {role, content} objects", 400)
    if not all(isinstance(m, dict) and isinstance(m.get("role"), str) for m in messages):
        raise RequestError("every message must be an object with a role", 400)
    users = [i for i, m in enumerate(messages) if m["role"] == "user"]
    if not users:
        raise RequestError("messages must contain a user message (the question)", 400)
    question = _text(messages[users[-1]].get("content"), f"messages[{users[-1]}].content")
    return {"question": question, **_common(body)}


def completion_request(body: dict) -> dict:
    """The graph request for an OpenAI (legacy) completion request: the prompt is the question."""
    prompt = body.get("prompt")
    if isinstance(prompt, list) and len(prompt) == 1:
        prompt = prompt[0]
    if not isinstance(prompt, str):
        raise RequestError("prompt must be a string", 400)
    return {"question": prompt, **_common(body)}


def completion(answer: dict, model: str, kind: str, created: Optional[int] = None) -> dict:
    """The graph's ``answer`` as an OpenAI ``chat.completion`` or ``text_completion``."""
    usage = answer.get("usage") or {}
    prompt_tokens, completion_tokens = int(usage.get("prompt_tokens", 0)), int(usage.get("completion_tokens", 0))
    finish_reason = "content_filter" if answer.get("flagged") else "stop"
    choice = ({"index": 0, "message": {"role": "assistant", "content": answer["answer"]}} if kind == "chat.completion"
              else {"index": 0, "text": answer["answer"], "logprobs": None})
    return {
        "id": OBJECT_PREFIX[kind] + str(answer.get("request_id", "")),
        "object": kind,
        "created": int(time.time()) if created is None else created,
        "model": model,
        "choices": [{**choice, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
        "genai_flow": {key: answer.get(key) for key in EXTRA_FIELDS},
    }


def models_list(model: str, created: int) -> dict:
    return {"object": "list", "data": [{"id": model, "object": "model", "created": created, "owned_by": "genai-flow"}]}


def error_object(message: str, status: int, param: Optional[str] = None) -> dict:
    """An OpenAI error body (the SDK raises the matching ``APIStatusError`` subclass)."""
    default = "invalid_request_error" if status < 500 else "server_error"
    kind = {401: "authentication_error", 404: "not_found_error", 429: "rate_limit_error",
            503: "service_unavailable"}.get(status, default)
    return {"error": {"message": message, "type": kind, "param": param, "code": None}}


def served_model_id(model_path: Optional[str]) -> str:
    """The name ``/v1/models`` gives the served model: its artifact key or folder name."""
    if not model_path:
        return "genai-flow-base"
    if "://" in model_path:  # store://models/<project>/<key>[#iter][:tag][@tree]
        return model_path.split("://", 1)[1].split("/")[-1].split("#")[0].split(":")[0].split("@")[0]
    return model_path.rstrip("/").split("/")[-1]
