"""The HTTP request contracts, validated with pydantic: a question (what preprocess accepts)
and feedback on an answer (what ``POST /feedback`` accepts)."""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, Extra, StrictInt, StrictStr, ValidationError

MAX_FEEDBACK_CHARS = 4000  # a correction or a comment


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


class FeedbackRequest(BaseModel):
    request_id: StrictStr
    rating: StrictInt  # 1 (good) or -1 (bad)
    correction: Optional[StrictStr] = None  # a better answer, a training example for retraining
    comment: Optional[StrictStr] = None

    class Config:
        extra = Extra.ignore


def _validated(model, body):
    """``body`` (a dict) as ``model``, or :class:`RequestError` (422) listing the problems."""
    if not isinstance(body, dict):
        raise RequestError(f"the request body must be a JSON object, not {type(body).__name__}")
    try:
        return model.parse_obj(body)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
        )
        raise RequestError(f"invalid request: {problems}", 422) from error


def parse_feedback(body) -> FeedbackRequest:
    """Validate a feedback body or raise :class:`RequestError` saying what is wrong."""
    feedback = _validated(FeedbackRequest, body)
    for field in ("request_id", "correction", "comment"):
        _check_unicode(field, getattr(feedback, field))
    if feedback.rating not in (1, -1):
        raise RequestError("invalid request: rating: must be 1 (good answer) or -1 (bad answer)", 422)
    for field in ("correction", "comment"):
        text = getattr(feedback, field)
        if text is not None and len(text) > MAX_FEEDBACK_CHARS:
            raise RequestError(f"invalid request: {field}: longer than {MAX_FEEDBACK_CHARS} characters", 422)
    return FeedbackRequest(request_id=feedback.request_id.strip(), rating=feedback.rating,
                           correction=(feedback.correction or "").strip() or None,
                           comment=(feedback.comment or "").strip() or None)


def _check_unicode(field: str, text: Optional[str]) -> None:
    """A lone surrogate (from a "\\ud800" JSON escape) is no text UTF-8 can carry: 422, not a
    crash further down (the local host refuses such bodies itself; this covers a cluster)."""
    if text is not None:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise RequestError(f"invalid request: {field}: has a lone surrogate, not valid Unicode", 422) from None


def parse_request(body, max_question_chars: int, max_subject_chars: int, max_new_tokens_limit: int) -> AskRequest:
    """Validate a request body (a dict) or raise :class:`RequestError` saying what is wrong."""
    request = _validated(AskRequest, body)
    _check_unicode("question", request.question)
    _check_unicode("subject", request.subject)
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
