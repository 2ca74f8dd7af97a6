"""The local HTTP host: the project's serving graph behind a real HTTP server (FastAPI/uvicorn).

``POST /`` takes ``{"question": ..., "subject": ..., "max_new_tokens": ...}`` and answers with
the graph's JSON, its ``request_id`` also in an ``X-Request-Id`` header; ``POST /feedback``
takes ``{"request_id": ..., "rating": 1 | -1, "correction": ..., "comment": ...}`` on an
answer; ``GET /health`` is 200 once the model is loaded (503 before). Every bad input gets a
4xx JSON ``{"error": ...}`` and the server keeps serving.

The OpenAI-compatible routes run the same graph: ``POST /v1/chat/completions`` (the last user
message is the question), ``POST /v1/completions`` and ``GET /v1/models``; their errors are
OpenAI error objects, and the bearer token is the API key (serving/openai_api.py). With
``"stream": true`` they answer as server-sent events (serving/streaming.py).

``GET /metrics`` is Prometheus' text format (serving/metrics.py; behind the bearer token when
one is set); ``/docs`` (offline Swagger UI) and ``/openapi.json`` describe every route.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import threading
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Optional

import swagger_ui_bundle
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.staticfiles import StaticFiles

from .. import __version__
from ..serving import metrics, openai_api
from ..serving.api_schemas import AskBody, ChatCompletionBody, CompletionBody, FeedbackBody, request_body
from ..serving.config import ServingConfig
from ..serving.requests import RequestError, parse_feedback
from ..serving.steps import GuardUnavailable
from ..serving.streaming import Delta, GraphSteps, StreamedAnswer

if TYPE_CHECKING:
    from ..pii import PiiConfig  # loads Presidio: only where feedback is masked


class BodyTooLarge(Exception):
    pass


class Refused(Exception):
    """A request turned away before the graph: the message, its HTTP status and headers."""

    def __init__(self, message: str, status: int, headers: Optional[dict] = None):
        super().__init__(message)
        self.status = status
        self.headers = headers


class Admission:
    """Backpressure for graph requests: at most ``limit`` at once, more are refused at once
    with 503 and ``Retry-After`` (an unbounded queue only makes every answer late), and each
    has a deadline: 504, and its slot is free again (the graph still finishes what it began)."""

    def __init__(self, limit: int, timeout_s: float):
        self.limit, self.timeout_s = limit, timeout_s
        self.active = 0
        # Re-entrant: a stream frees its slot from a worker thread, or from its generator's
        # finalizer, which garbage collection may run inside admit() on the loop's thread.
        self._lock = threading.RLock()

    def admit(self) -> None:
        with self._lock:
            if self.active >= self.limit:
                raise Refused(f"busy: {self.active} requests in progress, retry shortly", 503, {"Retry-After": "1"})
            self.active += 1

    def release(self) -> None:
        with self._lock:
            self.active -= 1

    async def within_deadline(self, function, *args):
        try:
            return await asyncio.wait_for(run_in_threadpool(function, *args), self.timeout_s)
        except asyncio.TimeoutError:
            raise Refused(f"no answer within {self.timeout_s:g} s (GENAI_FLOW_SERVING_REQUEST_TIMEOUT_S)",
                          504) from None

    async def run(self, function, *args):
        """``function(*args)`` in a worker thread, admitted and within the deadline."""
        self.admit()
        try:
            return await self.within_deadline(function, *args)
        finally:
            self.release()


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
        self.steps: Optional[GraphSteps] = None
        self.weights: Optional[str] = None  # how the model's weights are held, e.g. "8-bit on CPU: ..."

    def load(self) -> None:
        try:
            from ..project import load_project
            from ..serving.graph import LLM_SERVER_CLASS, serving_function

            function = serving_function(load_project(), self.model_path, self.model_class or LLM_SERVER_CLASS)
            # to_mock_server runs the real graph in this process (MLRun's local serving host).
            self.server = function.to_mock_server()
            self.steps = GraphSteps(self.server)
            plan = getattr(getattr(self.steps.llm, "loaded", None), "plan", None)  # None: an injected model
            self.weights = plan.describe() if plan else None
            metrics.MODEL_LOAD.set(time.monotonic() - self.started)
            metrics.watch_queue(self.steps.llm.batcher.pending)
            self.ready.set()
        except Exception as error:  # reported by /health; the process stays up to say so
            self.error = f"{type(error).__name__}: {error}"

    def ask(self, body) -> dict:
        return self.server.test("/", body=body)

    def stream(self, body) -> StreamedAnswer:
        """A streamed answer to ``body``, its preprocess done (raises the graph's 4xx errors)."""
        answer = StreamedAnswer(self.steps, body)
        answer.prepare()
        return answer

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


def _error(message: str, status: int, headers: Optional[dict] = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge()
    body = bytearray()
    try:
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > limit:
                raise BodyTooLarge()
    except ClientDisconnect:  # the client stopped sending before the body was whole
        raise Refused("the request body ended early (connection closed)", 400) from None
    return bytes(body)


def _sse(data: dict) -> str:
    return f"data: {json.dumps(data)}\n\n"


def create_app(config: ServingConfig, model_path: Optional[str] = None, load_in_background: bool = True,
               model_class: Optional[str] = None, pii: Optional[PiiConfig] = None) -> FastAPI:
    """The ASGI app; the graph (and its model) loads once, at startup. ``config`` gives the
    bearer token, the body limit and the LiveOps store; ``model_class`` swaps in another
    ``LLMModelServer`` subclass; ``pii`` masks feedback's free text (None: stored as given;
    ``genai-flow serve`` passes the project's)."""
    token, limit = config.auth_token, config.max_body_bytes
    admission = Admission(config.max_in_flight, config.request_timeout_s)
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
            # A "\\ud800" escape decodes to a lone surrogate, a string no UTF-8 can encode.
            json.dumps(body, ensure_ascii=False).encode("utf-8")
        except json.JSONDecodeError as error:
            raise Refused(
                f"request body is not valid JSON ({error.msg} at line {error.lineno} column {error.colno})", 400
            ) from None
        except RecursionError:
            raise Refused("request body is nested too deeply", 400) from None
        except UnicodeEncodeError as error:
            raise Refused(f"request body has a lone surrogate escape ({error.object[error.start]!a}): "
                          "not valid Unicode", 400) from None
        except ValueError as error:  # e.g. an integer of more than 4,300 digits
            raise Refused(f"request body is not usable JSON ({error})", 400) from None
        if not isinstance(body, dict):
            raise Refused(f"the request body must be a JSON object, not {type(body).__name__}", 400)
        return body

    @asynccontextmanager
    async def lifespan(app):
        if load_in_background:
            threading.Thread(target=host.load, name="graph-loader", daemon=True).start()
        else:
            await run_in_threadpool(host.load)
        yield
        await run_in_threadpool(host.close)

    app = FastAPI(title="genai-flow endpoint", version=__version__, lifespan=lifespan, docs_url=None,
                  redoc_url=None, description="The guarded serving graph: its own JSON on POST /, and the "
                  "OpenAI API under /v1 (plain and streamed).")
    app.state.host = host
    # Swagger UI from the installed package: /docs works without internet.
    app.mount("/docs-assets", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs-assets")

    @app.middleware("http")
    async def count_requests(request: Request, call_next):
        metrics.IN_FLIGHT.inc()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            return response
        finally:
            metrics.IN_FLIGHT.dec()
            route = request.scope.get("route")
            metrics.REQUESTS.labels(route=getattr(route, "path", "unmatched"), status=str(status)).inc()

    @app.post("/", openapi_extra=request_body(AskBody), summary="Ask a question")
    async def ask(request: Request) -> JSONResponse:
        try:
            body = await json_body(request)
            if not host.ready.is_set():
                return _error(host.error or "the model is still loading", 503)
            result = await admission.run(host.ask, body)
        except Refused as error:
            return _error(str(error), error.status, error.headers)
        if isinstance(result, dict) and "error" in result:
            return _error(result["error"], int(result.get("status", 500)))
        request_id = result.get("request_id") if isinstance(result, dict) else None
        return JSONResponse(result, headers={"X-Request-Id": request_id} if request_id else None)

    @app.post("/feedback", openapi_extra=request_body(FeedbackBody), summary="Rate or correct an answer")
    async def feedback(request: Request) -> JSONResponse:
        try:
            stored = await run_in_threadpool(host.store_feedback, parse_feedback(await json_body(request)))
        except (Refused, RequestError) as error:
            return _error(str(error), error.status)
        return JSONResponse(stored)

    model_id, started = openai_api.served_model_id(model_path), int(time.time())

    def openai_error(message: str, status: int, headers: Optional[dict] = None) -> JSONResponse:
        return JSONResponse(openai_api.error_object(message, status), status_code=status, headers=headers)

    async def openai_completion(request: Request, to_graph, kind: str) -> Response:
        try:
            body = await json_body(request)
            graph_request = to_graph(body)
            if not host.ready.is_set():
                return openai_error(host.error or "the model is still loading", 503)
            if openai_api.wants_stream(body):
                return await openai_stream(graph_request, kind, openai_api.wants_usage_chunk(body))
            result = await admission.run(host.ask, graph_request)
        except (Refused, RequestError) as error:
            return openai_error(str(error), error.status, getattr(error, "headers", None))
        if isinstance(result, dict) and "error" in result:
            return openai_error(result["error"], int(result.get("status", 500)))
        request_id = result.get("request_id")
        return JSONResponse(openai_api.completion(result, model_id, kind),
                            headers={"X-Request-Id": request_id} if request_id else None)

    async def openai_stream(graph_request: dict, kind: str, usage: bool) -> Response:
        """Server-sent OpenAI chunks; the input guard has run before the response starts. The
        stream holds its admission slot until it ends (the deadline covers preprocess)."""
        received = time.perf_counter()
        admission.admit()
        try:
            answer = await admission.within_deadline(host.stream, graph_request)
        except (RequestError, GuardUnavailable) as error:
            admission.release()
            return openai_error(str(error), error.status)
        except BaseException:
            admission.release()
            raise
        request_id, created = answer.request_id, int(time.time())

        def events() -> Iterator[str]:  # Starlette iterates it in a worker thread
            first = True
            try:
                yield _sse(openai_api.chunk(kind, request_id, model_id, created, "", first=True))
                for item in answer:
                    if isinstance(item, Delta):
                        if first:
                            metrics.FIRST_TOKEN.observe(time.perf_counter() - received)
                            first = False
                        yield _sse(openai_api.chunk(kind, request_id, model_id, created, item.text))
                    else:
                        yield _sse(openai_api.final_chunk(kind, item.answer, model_id, created))
                        if usage:
                            yield _sse(openai_api.usage_chunk(kind, item.answer, model_id, created))
            except Exception as error:  # mid-stream: the status is sent, the error goes as an event
                answer.stop.set()
                yield _sse(openai_api.error_object(f"the answer failed: {type(error).__name__}: {error}", 500))
            finally:  # also when the reader went away (the generator is closed)
                admission.release()
            yield "data: [DONE]\n\n"

        stream = events()
        head = next(stream)  # started: closing it now runs its finally, which frees the slot
        return StreamingResponse(itertools.chain([head], stream), media_type="text/event-stream",
                                 headers={"X-Request-Id": request_id, "Cache-Control": "no-cache"})

    @app.post("/v1/chat/completions", openapi_extra=request_body(ChatCompletionBody), tags=["OpenAI"],
              summary="OpenAI chat completion (plain or streamed)")
    async def chat_completions(request: Request) -> Response:
        return await openai_completion(request, openai_api.chat_request, "chat.completion")

    @app.post("/v1/completions", openapi_extra=request_body(CompletionBody), tags=["OpenAI"],
              summary="OpenAI text completion (plain or streamed)")
    async def completions(request: Request) -> Response:
        return await openai_completion(request, openai_api.completion_request, "text_completion")

    @app.get("/v1/models", tags=["OpenAI"], summary="The served model")
    async def models(request: Request) -> JSONResponse:
        if not authorized(request):
            return openai_error("missing or wrong bearer token (the API key)", 401)
        return JSONResponse(openai_api.models_list(model_id, started))

    @app.get("/health", summary="200 once the model is loaded")
    async def health(request: Request) -> JSONResponse:
        if host.ready.is_set():
            return JSONResponse({"status": "ok", "model": model_path or "base model", "weights": host.weights})
        if host.error:
            return JSONResponse({"status": "failed", "error": host.error}, status_code=500)
        return JSONResponse({"status": "loading", "seconds": round(time.monotonic() - host.started)}, status_code=503)

    @app.get("/metrics", summary="Prometheus metrics")
    async def prometheus_metrics(request: Request) -> Response:
        if not authorized(request):
            return _error("missing or wrong bearer token", 401)
        data, content_type = metrics.exposition()
        return Response(data, media_type=content_type)

    @app.get("/docs", include_in_schema=False)
    async def docs() -> Response:
        return get_swagger_ui_html(openapi_url=app.openapi_url, title=f"{app.title} docs",
                                   swagger_js_url="/docs-assets/swagger-ui-bundle.js",
                                   swagger_css_url="/docs-assets/swagger-ui.css", swagger_favicon_url="")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        return _error(error.detail or "error", error.status_code)

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, error: Exception) -> JSONResponse:
        return _error(f"internal error: {type(error).__name__}: {error}", 500)

    return app
