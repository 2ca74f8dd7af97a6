"""The local HTTP host: the project's serving graph behind a real HTTP server (Starlette/uvicorn).

``POST /`` takes ``{"question": ..., "subject": ..., "max_new_tokens": ...}`` and answers with
the graph's JSON, its ``request_id`` also in an ``X-Request-Id`` header; ``POST /feedback``
takes ``{"request_id": ..., "rating": 1 | -1, "correction": ..., "comment": ...}`` on an
answer; ``GET /health`` is 200 once the model is loaded (503 before). Every bad input gets a
4xx JSON ``{"error": ...}`` and the server keeps serving.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..serving.config import ServingConfig
from ..serving.requests import RequestError, parse_feedback

if TYPE_CHECKING:
    from ..pii import PiiConfig  # loads Presidio: only where feedback is masked


class BodyTooLarge(Exception):
    pass


class GraphHost:
    """Owns the in-process graph server: loads it in the background, runs requests through it."""

    def __init__(self, model_path: Optional[str], model_class: Optional[str] = None,
                 liveops_store: Optional[Path] = None, pii: Optional[PiiConfig] = None):
        self.model_path = model_path
        self.model_class = model_class
        self.liveops_store = liveops_store  # None: recording is off, no feedback
        self.pii = pii
        self.server = None
        self.error: Optional[str] = None
        self.ready = threading.Event()
        self.started = time.monotonic()

    def load(self) -> None:
        try:
            from ..project import load_project
            from ..serving.graph import LLM_SERVER_CLASS, serving_function

            function = serving_function(load_project(), self.model_path, self.model_class or LLM_SERVER_CLASS)
            # to_mock_server runs the real graph in this process (MLRun's local serving host).
            self.server = function.to_mock_server()
            self.ready.set()
        except Exception as error:  # reported by /health; the process stays up to say so
            self.error = f"{type(error).__name__}: {error}"

    def ask(self, body) -> dict:
        return self.server.test("/", body=body)

    def store_feedback(self, feedback) -> dict:
        """Store ``feedback`` (a :class:`FeedbackRequest`) with its event, its free text PII-masked
        like everything else that is kept. Raises :class:`RequestError` (404, 409)."""
        from ..liveops import EventStore, flush_recorders
        from ..pii import mask_text

        if self.liveops_store is None:
            raise RequestError("feedback needs recorded answers, and recording is off (GENAI_FLOW_LIVEOPS_RECORD)", 409)
        correction, comment = (mask_text(text, self.pii)[0] if text and self.pii else text
                               for text in (feedback.correction, feedback.comment))
        store = EventStore(self.liveops_store)
        for attempt in range(2):
            try:
                return store.put_feedback(feedback.request_id, feedback.rating, correction, comment)
            except KeyError:
                if attempt == 0:  # the answer may be so fresh that its event is still queued
                    flush_recorders()
        raise RequestError(f"unknown request_id {feedback.request_id!r}: no answer of this server has it", 404)

    def close(self) -> None:
        from ..liveops import close_recorders

        if self.server is not None:
            self.server.wait_for_completion()  # stops the storey loop thread, else exit hangs
        close_recorders()  # a graceful shutdown writes the queued monitoring events


def _error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge()
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise BodyTooLarge()
    return bytes(body)


def create_app(config: ServingConfig, model_path: Optional[str] = None, load_in_background: bool = True,
               model_class: Optional[str] = None, pii: Optional[PiiConfig] = None) -> Starlette:
    """The ASGI app; the graph (and its model) loads once, at startup. ``config`` gives the
    bearer token, the body limit and the LiveOps store; ``model_class`` swaps in another
    ``LLMModelServer`` subclass; ``pii`` masks feedback's free text (None: stored as given;
    ``genai-flow serve`` passes the project's)."""
    token, limit = config.auth_token, config.max_body_bytes
    host = GraphHost(model_path, model_class, config.liveops_store if config.liveops_record else None, pii)

    def authorized(request: Request) -> bool:
        if not token:
            return True
        header = request.headers.get("authorization", "")
        return secrets.compare_digest(header.encode(), f"Bearer {token}".encode())

    async def json_body(request: Request):
        """The request's JSON object, or the error response saying why there is none."""
        if not authorized(request):
            return _error("missing or wrong bearer token", 401)
        try:
            raw = await _read_body(request, limit)
        except BodyTooLarge:
            return _error(f"request body larger than {limit} bytes", 413)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            return _error(f"request body is not valid UTF-8 ({error.reason} at byte {error.start})", 400)
        try:
            body = json.loads(text)
        except json.JSONDecodeError as error:
            return _error(
                f"request body is not valid JSON ({error.msg} at line {error.lineno} column {error.colno})", 400)
        if not isinstance(body, dict):
            return _error(f"the request body must be a JSON object, not {type(body).__name__}", 400)
        return body

    async def feedback(request: Request) -> JSONResponse:
        body = await json_body(request)
        if isinstance(body, JSONResponse):
            return body
        try:
            stored = await run_in_threadpool(host.store_feedback, parse_feedback(body))
        except RequestError as error:
            return _error(str(error), error.status)
        return JSONResponse(stored)

    async def ask(request: Request) -> JSONResponse:
        body = await json_body(request)
        if isinstance(body, JSONResponse):
            return body
        if not host.ready.is_set():
            return _error(host.error or "the model is still loading", 503)
        result = await run_in_threadpool(host.ask, body)
        if isinstance(result, dict) and "error" in result:
            return _error(result["error"], int(result.get("status", 500)))
        request_id = result.get("request_id") if isinstance(result, dict) else None
        return JSONResponse(result, headers={"X-Request-Id": request_id} if request_id else None)

    async def health(request: Request) -> JSONResponse:
        if host.ready.is_set():
            return JSONResponse({"status": "ok", "model": model_path or "base model"})
        if host.error:
            return JSONResponse({"status": "failed", "error": host.error}, status_code=500)
        return JSONResponse({"status": "loading", "seconds": round(time.monotonic() - host.started)}, status_code=503)

    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        return _error(error.detail or "error", error.status_code)

    async def unexpected_error(request: Request, error: Exception) -> JSONResponse:
        return _error(f"internal error: {type(error).__name__}: {error}", 500)

    @asynccontextmanager
    async def lifespan(app):
        if load_in_background:
            threading.Thread(target=host.load, name="graph-loader", daemon=True).start()
        else:
            await run_in_threadpool(host.load)
        yield
        await run_in_threadpool(host.close)

    app = Starlette(
        routes=[Route("/", ask, methods=["POST"]), Route("/feedback", feedback, methods=["POST"]),
                Route("/health", health, methods=["GET"])],
        exception_handlers={HTTPException: http_error, Exception: unexpected_error},
        lifespan=lifespan,
    )
    app.state.host = host
    return app
