"""Hostile input, fuzzed (Hypothesis) against a real server: every route answers 2xx or 4xx with
a JSON error, never 5xx, and the server stays healthy.

The model is injected (answers at once): what is fuzzed is everything around it, the HTTP host,
body parsing, validation, PII masking, the guards, retrieval and the OpenAI shapes.
``make test`` runs GENAI_FLOW_FUZZ_EXAMPLES examples per route (default 40); ``make fuzz`` many more.
"""

from __future__ import annotations

import json
import os
import socket
import time
from urllib.parse import urlparse

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_serving_http import _start_server, _stop

EXAMPLES = int(os.environ.get("GENAI_FLOW_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=os.environ.get("GENAI_FLOW_FUZZ_RANDOM") != "1",
                database=None,  # no .hypothesis folder in the checkout
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Text with the awkward parts of Unicode: control characters and NUL, right-to-left marks,
# combining characters, 4-byte emoji, and (as JSON escapes, below) lone surrogates.
AWKWARD = st.sampled_from(["\x00", "\x07", "\u202e", "\u200f", "\u0301", "\U0001F600", "\ufeff", "\u2028", "𝔘"])
TEXT = st.lists(st.one_of(st.text(max_size=40), AWKWARD), max_size=8).map("".join)
NUMBERS = st.one_of(st.integers(min_value=-(2**70), max_value=2**70), st.floats(allow_nan=True, allow_infinity=True))
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), NUMBERS, TEXT),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(TEXT, children, max_size=4)),
    max_leaves=12,
)


def _fields(*names: str):
    """A JSON object with the route's own fields (any value, or a likely one) and extra fields."""
    likely = {"question": TEXT, "subject": TEXT, "max_new_tokens": NUMBERS, "request_id": TEXT,
              "rating": st.sampled_from([1, -1, 0, 2, 1.0, True, "1"]), "correction": TEXT, "comment": TEXT,
              "model": TEXT, "prompt": st.one_of(TEXT, st.lists(TEXT, max_size=3)), "max_tokens": NUMBERS,
              "stream": st.one_of(st.booleans(), JSON_VALUES), "n": NUMBERS,
              "messages": st.lists(st.fixed_dictionaries({"role": st.sampled_from(["user", "system", "bot", 1]),
                                                          "content": st.one_of(TEXT, JSON_VALUES)}), max_size=3)}
    own = st.fixed_dictionaries({}, optional={name: st.one_of(likely[name], JSON_VALUES) for name in names})
    return st.tuples(own, st.dictionaries(TEXT, JSON_VALUES, max_size=3)).map(lambda parts: {**parts[1], **parts[0]})


def _encoded(value, surrogate: bool, duplicate: bool) -> bytes:
    """``value`` as JSON bytes; optionally with a lone surrogate escape or a duplicated key."""
    text = json.dumps(value, allow_nan=True)
    if surrogate and text.startswith('{"'):
        text = '{"\\ud800x' + text[2:]
    if duplicate and text.startswith("{") and len(text) > 2:
        text = '{"question": "first", ' + text[1:]
    return text.encode()


BODIES = st.one_of(
    st.binary(max_size=200),
    st.builds(_encoded, JSON_VALUES, st.booleans(), st.booleans()),
)
CONTENT_TYPES = st.sampled_from(["application/json", "text/plain", "", "application/x-www-form-urlencoded",
                                 "multipart/form-data; boundary=x", "application/json; charset=latin-1"])


@pytest.fixture(scope="module")
def fuzz_endpoint(tmp_path_factory):
    process, url = _start_server(tmp_path_factory.mktemp("fuzz"), "--model-class",
                                 "tests.assets.serving.injected_models.ToxicTailServer")
    with httpx.Client(base_url=url, timeout=60) as client:
        yield client
    _stop(process)


def _check(response: httpx.Response, openai: bool = False) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:500])
    if response.status_code >= 400:
        error = response.json()["error"]
        assert isinstance(error["message"] if openai else error, str) and error


ROUTES = {"/": ("question", "subject", "max_new_tokens"),
          "/feedback": ("request_id", "rating", "correction", "comment"),
          "/v1/chat/completions": ("model", "messages", "max_tokens", "stream", "n"),
          "/v1/completions": ("model", "prompt", "max_tokens", "stream", "n")}


@pytest.mark.parametrize("route", list(ROUTES))
def test_any_json_object_gets_2xx_or_a_4xx_json_error(fuzz_endpoint, route):
    @FUZZ
    @given(body=_fields(*ROUTES[route]), surrogate=st.booleans(), duplicate=st.booleans())
    def run(body, surrogate, duplicate):
        response = fuzz_endpoint.post(route, content=_encoded(body, surrogate, duplicate),
                                      headers={"Content-Type": "application/json"})
        if response.headers.get("content-type", "").startswith("text/event-stream"):
            assert response.text.rstrip().endswith("data: [DONE]") and '"type": "server_error"' not in response.text
        else:
            _check(response, openai=route.startswith("/v1"))

    run()
    assert fuzz_endpoint.get("/health").status_code == 200


@FUZZ
@given(route=st.sampled_from(list(ROUTES)), body=BODIES, content_type=CONTENT_TYPES)
def test_any_bytes_with_any_content_type_get_a_4xx_json_error_or_an_answer(fuzz_endpoint, route, body, content_type):
    response = fuzz_endpoint.post(route, content=body, headers={"Content-Type": content_type} if content_type else {})
    if not response.headers.get("content-type", "").startswith("text/event-stream"):
        _check(response, openai=route.startswith("/v1"))


@FUZZ
@given(route=st.sampled_from(["/health", "/v1/models", "/metrics", "/openapi.json", "/nope", "/v1/../health"]),
       method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]), query=TEXT)
def test_other_methods_and_paths_never_get_a_5xx(fuzz_endpoint, route, method, query):
    response = fuzz_endpoint.request(method, route, params={"q": query} if query else None)
    assert response.status_code < 500


def _raw(url: str, payload: bytes, pause_s: float = 0.0, half_close: bool = False) -> bytes:
    """Send ``payload`` over a raw socket (in two halves, ``pause_s`` apart; then, if
    ``half_close``, say no more will come) and read the answer until the server closes."""
    address = urlparse(url)
    with socket.create_connection((address.hostname, address.port), timeout=30) as sock:
        half = len(payload) // 2
        sock.sendall(payload[:half])
        time.sleep(pause_s)
        sock.sendall(payload[half:])
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_lying_lengths_chunked_and_slow_bodies(fuzz_endpoint):
    url = str(fuzz_endpoint.base_url)
    body = b'{"question": "How do I export my boards?", "max_new_tokens": 8}'
    head = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n"
    # A Content-Length shorter than the body leaves bytes that are no HTTP request: uvicorn's
    # HTTP parser answers 400 (its own plain text) or drops the connection. Never a 5xx.
    for close in (b"Connection: close\r\n", b""):
        lied = _raw(url, head.replace(b"Connection: close\r\n", close) + b"Content-Length: 20\r\n\r\n" + body)
        assert lied == b"" or lied.startswith(b"HTTP/1.1 4"), lied[:200]
    # Longer than the body, then the client stops sending: the request ends, without a 5xx.
    long = _raw(url, head + b"Content-Length: 500\r\n\r\n" + body, half_close=True)
    assert not long.startswith(b"HTTP/1.1 5")
    # A huge declared length is refused before reading.
    huge = _raw(url, head + b"Content-Length: 999999999\r\n\r\n" + body)
    assert huge.startswith(b"HTTP/1.1 413") and b"larger than" in huge
    # Chunked, and chunked past the body limit (no Content-Length to refuse it by).
    chunked = _raw(url, head + b"Transfer-Encoding: chunked\r\n\r\n" + f"{len(body):x}\r\n".encode() + body
                   + b"\r\n0\r\n\r\n")
    assert chunked.startswith(b"HTTP/1.1 200")
    big = b"a" * 70000
    over = _raw(url, head + b"Transfer-Encoding: chunked\r\n\r\n" + f"{len(big):x}\r\n".encode() + big
                + b"\r\n0\r\n\r\n")
    assert over.startswith(b"HTTP/1.1 413")
    # A body that arrives slowly (in two halves, a second apart) is still answered.
    slow = _raw(url, head + f"Content-Length: {len(body)}\r\n\r\n".encode() + body, pause_s=1.0)
    assert slow.startswith(b"HTTP/1.1 200")
    assert fuzz_endpoint.get("/health").status_code == 200
