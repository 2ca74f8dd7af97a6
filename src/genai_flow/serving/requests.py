"""The HTTP request contract, validated with pydantic: what preprocess accepts."""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, Extra, StrictInt, StrictStr, ValidationError


class RequestError(ValueError):
    """A client error: the request is rejected with this message and an HTTP status."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


class AskRequest(BaseModel):
    question: StrictStr
    subject: Optional[StrictStr] = None
    max_new_tokens: Optional[StrictInt] = None

    class Config:
        extra = Extra.ignore  # unknown fields are tolerated, not used


def parse_request(body, max_question_chars: int, max_subject_chars: int, max_new_tokens_limit: int) -> AskRequest:
    """Validate a request body (a dict) or raise :class:`RequestError` saying what is wrong."""
    if not isinstance(body, dict):
        raise RequestError(f"the request body must be a JSON object, not {type(body).__name__}")
    try:
        request = AskRequest.parse_obj(body)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
        )
        raise RequestError(f"invalid request: {problems}", 422) from error
    question = request.question.strip()
    if not question:
        raise RequestError("invalid request: question: must not be empty", 422)
    if len(question) > max_question_chars:
        raise RequestError(f"invalid request: question: longer than {max_question_chars} characters", 422)
    if request.subject is not None and len(request.subject) > max_subject_chars:
        raise RequestError(f"invalid request: subject: longer than {max_subject_chars} characters", 422)
    if request.max_new_tokens is not None and not 1 <= request.max_new_tokens <= max_new_tokens_limit:
        raise RequestError(f"invalid request: max_new_tokens: must be between 1 and {max_new_tokens_limit}", 422)
    return AskRequest(question=question, subject=(request.subject or "").strip() or None,
                      max_new_tokens=request.max_new_tokens)
