"""The local HTTP host: the project's serving graph behind a real HTTP server (Starlette/uvicorn).

``POST /`` takes ``{"question": ..., "subject": ..., "max_new_tokens": ...}`` and answers with
the graph's JSON, its ``request_id`` also in an ``X-Request-Id`` header; ``POST /feedback``
takes ``{"request_id": ..., "rating": 1 | -1, "correction": ..., "comment": ...}`` on an
answer; ``GET /health`` is 200 once the model is loaded (503 before). Every bad input gets a
4xx JSON ``{"error": ...}`` and the server keeps serving.

The OpenAI-compatible routes run the same graph: ``POST /v1/chat/completions`` (the last user
message is the question), ``POST /v1/completions`` and ``GET /v1/models``; their errors are
OpenAI error objects, and the bearer token is the API key (serving/openai_api.py).
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

from ..serving import openai_api
from ..serving.config import ServingConfig
from ..serving.requests import RequestError, parse_feedback

if TYPE_CHECKING:
    from ..pii import PiiConfig  # loads Presidio: only where feedback is masked


class BodyTooLarge(Exception):
    pass


class Refused(Exception):
    """A request turned away before the graph: the message and its HTTP status."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


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

    async def json_body(request: Request) -> dict:
        """The request's JSON object; :class:`Refused` says why there is none."""
        if not authorized(request):
            raise Refused("missing or wrong bearer token", 401)
        try:
            raw = await _read_body(request, limit)
        except BodyTooLarge:
            raise Refused(f"request body larger than {limit} bytes", 413) from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise Refused(f"request body is not valid UTF-8 ({error.reason} at byte {error.start})", 400) from None
        try:
            body = json.loads(text)
        except json.JSONDecodeError as error:
            raise Refused(
                f"request body is not valid JSON ({error.msg} at line {error.lineno} column {error.colno})", 400
            ) from None
        if not isinstance(body, dict):
            raise Refused(f"the request body must be a JSON object, not {type(body).__name__}", 400)
        return body

    async def feedback(request: Request) -> JSONResponse:
        try:
            stored = await run_in_threadpool(host.store_feedback, parse_feedback(await json_body(request)))
        except (Refused, RequestError) as error:
            return _error(str(error), error.status)
        return JSONResponse(stored)

    async def ask(request: Request) -> JSONResponse:
        try:
            body = await json_body(request)
        except Refused as error:
            return _error(str(error), error.status)
        if not host.ready.is_set():
            return _error(host.error or "the model is still loading", 503)
        result = await run_in_threadpool(host.ask, body)
        if isinstance(result, dict) and "error" in result:
            return _error(result["error"], int(result.get("status", 500)))
        request_id = result.get("request_id") if isinstance(result, dict) else None
        return JSONResponse(result, headers={"X-Request-Id": request_id} if request_id else None)

    model_id, started = openai_api.served_model_id(model_path), int(time.time())

    def openai_error(message: str, status: int) -> JSONResponse:
        return JSONResponse(openai_api.error_object(message, status), status_code=status)

    async def openai_completion(request: Request, to_graph, kind: str) -> JSONResponse:
        try:
            graph_request = to_graph(await json_body(request))
        except (Refused, RequestError) as error:
            return openai_error(str(error), error.status)
        if not host.ready.is_set():
            return openai_error(host.error or "the model is still loading", 503)
        result = await run_in_threadpool(host.ask, graph_request)
        if isinstance(result, dict) and "error" in result:
            return openai_error(result["error"], int(result.get("status", 500)))
        request_id = result.get("request_id")
        return JSONResponse(openai_api.completion(result, model_id, kind),
                            headers={"X-Request-Id": request_id} if request_id else None)

    async def chat_completions(request: Request) -> JSONResponse:
        return await openai_completion(request, openai_api.chat_request, "chat.completion")

    async def completions(request: Request) -> JSONResponse:
        return await openai_completion(request, openai_api.completion_request, "text_completion")

    async def models(request: Request) -> JSONResponse:
        if not authorized(request):
            return openai_error("missing or wrong bearer token (the API key)", 401)
        return JSONResponse(openai_api.models_list(model_id, started))

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
                Route("/health", health, methods=["GET"]),
                Route("/v1/chat/completions", chat_completions, methods=["POST"]),
                Route("/v1/completions", completions, methods=["POST"]),
                Route("/v1/models", models, methods=["GET"])],
        exception_handlers={HTTPException: http_error, Exception: unexpected_error},
        lifespan=lifespan,
    )
    app.state.host = host
    return app
