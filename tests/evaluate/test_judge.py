"""Model-as-judge: score parsing, and the OpenAI-compatible judge against a local stand-in server.

The stand-in is a real HTTP server on 127.0.0.1 speaking the chat-completions format: the
boundary this machine cannot reach (a hosted judge model) is replaced, nothing else.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from genai_flow.evaluate.judge import OpenAICompatibleJudge, make_judge, parse_score


@pytest.mark.parametrize(
    "reply, score",
    [
        ("4", 4),
        ("Score: 5/5", 5),
        ("I'd give it a 2.", 2),
        ("Score (1-5): 3", 3),
        ("3 out of 5", 3),
        ("on a scale of 1 to 5, 4", 4),
        ("0 or 9", None),
        ("", None),
    ],
)
def test_parse_score(reply, score):
    assert parse_score(reply) == score


class _ChatCompletions(BaseHTTPRequestHandler):
    requests: list[dict] = []
    reply = "4"

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        if self.headers.get("Authorization") != "Bearer secret-key":
            self.send_response(401)
            self.end_headers()
            return
        payload = {"choices": [{"message": {"role": "assistant", "content": type(self).reply}}]}
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def stand_in_judge_server():
    _ChatCompletions.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ChatCompletions)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_openai_compatible_judge_against_a_stand_in_server(stand_in_judge_server):
    judge = make_judge("openai", "judge-model", stand_in_judge_server, "secret-key")
    assert judge.score("How do I reset 2FA?", "Go to Settings.", "Open Settings > Security.") == 4

    request = _ChatCompletions.requests[-1]
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == "Bearer secret-key"
    assert request["body"]["model"] == "judge-model" and request["body"]["temperature"] == 0
    prompt = request["body"]["messages"][-1]["content"]
    assert "How do I reset 2FA?" in prompt and "Open Settings > Security." in prompt


def test_judge_errors_are_reported_not_scored(stand_in_judge_server):
    judge = OpenAICompatibleJudge(stand_in_judge_server, "judge-model", api_key="wrong-key")
    with pytest.raises(httpx.HTTPStatusError):
        judge.score("q", "r", "c")


def test_no_judge_configured():
    assert make_judge("none", None, None, None) is None
    with pytest.raises(ValueError, match="judge must be"):
        make_judge("oracle", None, None, None)
