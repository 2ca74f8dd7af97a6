"""The OpenAI-compatible API's shapes: a chat or text completion request as the graph's own
request, the graph's answer as an OpenAI completion, and OpenAI-style error objects.

The graph is the same as for ``POST /``: the last user message is the question, so PII
masking, retrieval, the guards and postprocess all hold. A streamed answer is a series of
chunks (serving/streaming.py says how the guards hold while it grows). A guarded answer (refused, declined or
replaced) finishes with ``content_filter``; the graph's own fields ride along under
``genai_flow`` (ignored by the OpenAI SDK, which keeps unknown fields on the object).
"""

from __future__ import annotations

import json
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
    becomes the graph's ``max_new_tokens``; several choices are refused."""
    if not isinstance(body.get("stream", False), bool):
        raise RequestError("stream must be true or false", 400)
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


def wants_stream(body: dict) -> bool:
    return body.get("stream") is True


def wants_usage_chunk(body: dict) -> bool:
    """``stream_options.include_usage``: a last chunk with the token counts and no choices."""
    options = body.get("stream_options")
    return isinstance(options, dict) and options.get("include_usage") is True


def chunk(kind: str, request_id: str, model: str, created: int, text: Optional[str] = None,
          finish_reason: Optional[str] = None, first: bool = False) -> dict:
    """One streamed piece of a ``chat.completion`` (a ``chat.completion.chunk``) or of a
    ``text_completion``; ``first`` adds the assistant role, as OpenAI's first chunk does."""
    if kind == "chat.completion":
        delta = {**({"role": "assistant"} if first else {}), **({"content": text} if text is not None else {})}
        choice, object_name = {"index": 0, "delta": delta}, "chat.completion.chunk"
    else:
        choice, object_name = {"index": 0, "text": text or "", "logprobs": None}, kind
    return {"id": OBJECT_PREFIX[kind] + request_id, "object": object_name, "created": created, "model": model,
            "choices": [{**choice, "finish_reason": finish_reason}]}


def final_chunk(kind: str, answer: dict, model: str, created: int) -> dict:
    """The stream's last choice chunk: the finish reason (``content_filter`` for a guarded answer)
    and, under ``genai_flow``, the graph's fields, the final ``answer`` among them (what the plain
    route would have answered: differs from the streamed text when a guard replaced it)."""
    finish_reason = "content_filter" if answer.get("flagged") else "stop"
    last = chunk(kind, str(answer.get("request_id", "")), model, created, finish_reason=finish_reason)
    return {**last, "genai_flow": {"answer": answer.get("answer"), **{key: answer.get(key) for key in EXTRA_FIELDS}}}


def usage_chunk(kind: str, answer: dict, model: str, created: int) -> dict:
    full = completion(answer, model, kind, created)
    return {"id": full["id"], "object": "chat.completion.chunk" if kind == "chat.completion" else kind,
            "created": created, "model": model, "choices": [], "usage": full["usage"]}


def graph_response(answer: dict, request: Optional[dict], model: str):
    """The graph's last word on a cluster, where MLRun's OpenAI frontend hands the graph an
    OpenAI ``request`` (None: the native ``POST /``, answered as is): the completion, or for a
    streamed request its server-sent events (the answer is whole and guarded by now, so it goes
    out a sentence per chunk)."""
    if request is None:
        return answer
    reply = completion(answer, model, "chat.completion")
    if not wants_stream(request):
        return reply
    return _sse_events(answer, model, reply["created"], wants_usage_chunk(request))


def _sse_events(answer: dict, model: str, created: int, usage: bool):
    from .steps import sentences

    request_id = str(answer.get("request_id", ""))
    chunks = [chunk("chat.completion", request_id, model, created, "", first=True)]
    pieces = sentences(answer["answer"])
    chunks += [chunk("chat.completion", request_id, model, created, piece + (" " if i < len(pieces) - 1 else ""))
               for i, piece in enumerate(pieces)]
    chunks.append(final_chunk("chat.completion", answer, model, created))
    if usage:
        chunks.append(usage_chunk("chat.completion", answer, model, created))
    for item in chunks:
        yield f"data: {json.dumps(item)}\n\n"
    yield "data: [DONE]\n\n"


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
