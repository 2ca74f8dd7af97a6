"""The local host's request bodies as typed models, for its OpenAPI description (``/docs``).

The routes read their bodies themselves (requests.py and openai_api.py check them and answer
bad ones with the endpoint's own 4xx errors), so these models document, they do not validate.
"""

from __future__ import annotations

from typing import List, Literal, Optional, Union

from pydantic import BaseModel, Field


class AskBody(BaseModel):
    question: str = Field(..., description="The customer's question (PII is masked before anything sees it).")
    subject: Optional[str] = Field(None, description="The ticket's subject line, if any.")
    max_new_tokens: Optional[int] = Field(None, description="Answer length in tokens (the server caps it).")


class FeedbackBody(BaseModel):
    request_id: str = Field(..., description="The answer's request_id (also its X-Request-Id header).")
    rating: Literal[1, -1] = Field(..., description="1: helpful, -1: not helpful.")
    correction: Optional[str] = Field(None, description="The answer it should have been (PII-masked when stored).")
    comment: Optional[str] = Field(None, description="Free text (PII-masked when stored).")


class TextPart(BaseModel):
    type: Literal["text"]
    text: str


class ChatMessage(BaseModel):
    role: str = Field(..., description="system, user or assistant; the last user message is the question.")
    content: Union[str, List[TextPart]]


class StreamOptions(BaseModel):
    include_usage: bool = Field(False, description="Send a last chunk with the token counts.")


class _CompletionOptions(BaseModel):
    model: Optional[str] = Field(None, description="Any name: the endpoint serves one model (GET /v1/models).")
    max_tokens: Optional[int] = None
    stream: bool = Field(False, description="Answer as server-sent events, one sentence at a time once guarded.")
    stream_options: Optional[StreamOptions] = None
    n: Literal[1] = 1


class ChatCompletionBody(_CompletionOptions):
    messages: List[ChatMessage]
    max_completion_tokens: Optional[int] = None


class CompletionBody(_CompletionOptions):
    prompt: Union[str, List[str]] = Field(..., description="The question (a list of one is accepted).")


def request_body(model: type[BaseModel]) -> dict:
    """``openapi_extra`` for a route that reads ``model`` as its JSON body."""
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": _inline(model.schema())}}}}


def _inline(schema: dict) -> dict:
    """``schema`` with its ``#/definitions/...`` references replaced by the definitions
    themselves (pydantic puts nested models there; an OpenAPI document has no such section)."""
    definitions = schema.pop("definitions", {})

    def resolve(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return resolve(dict(definitions[node["$ref"].rsplit("/", 1)[-1]]))
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    return resolve(schema)
