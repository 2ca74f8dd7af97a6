"""Model-as-judge: score parsing, and the OpenAI-compatible judge against a local stand-in server.

The stand-in is a real HTTP server on 127.0.0.1 speaking the chat-completions format: the
boundary this machine cannot reach (a hosted judge model) is replaced, nothing else. It can
fail a number of times first (429, 503, or too slow) to show the `openai` client's retries.
"""

from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler

import pytest

from genai_flow.evaluate.judge import JudgeConfig, JudgeError, OpenAICompatibleJudge, make_judge, parse_score
from genai_flow.model_loading import ModelConfig
from genai_flow.settings import Settings

from ..helpers import http_server


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
    failures: list = []  # answered first, one per request: a status code, or "slow" (no answer in time)

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        if self.headers.get("Authorization") != "Bearer secret-key":
            return self._answer(401, {"error": {"message": "invalid key"}})
        if type(self).failures:
            failure = type(self).failures.pop(0)
            if failure == "slow":
                time.sleep(2)
                return None
            return self._answer(failure, {"error": {"message": f"stand-in failure {failure}"}})
        return self._answer(200, {"choices": [{"index": 0, "finish_reason": "stop",
                                               "message": {"role": "assistant", "content": type(self).reply}}]})

    def _answer(self, status: int, payload: dict):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def stand_in_judge_server(monkeypatch):
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):  # only what each test sets
        monkeypatch.delenv(name, raising=False)
    _ChatCompletions.requests = []
    _ChatCompletions.failures = []
    with http_server(_ChatCompletions) as url:
        yield url + "/v1"


def _config(url, api_key="secret-key", **overrides) -> JudgeConfig:
    return JudgeConfig.from_settings(Settings(), kind="openai", model="judge-model", url=url, api_key=api_key,
                                     **overrides)


def _judge(url, max_retries=2, timeout_s=5.0, api_key="secret-key") -> OpenAICompatibleJudge:
    return OpenAICompatibleJudge(url, "judge-model", api_key, max_retries=max_retries, timeout_s=timeout_s)


def test_openai_compatible_judge_against_a_stand_in_server(stand_in_judge_server):
    judge = make_judge(_config(stand_in_judge_server), ModelConfig.from_settings())
    assert judge.score("How do I reset 2FA?", "Go to Settings.", "Open Settings > Security.") == 4

    request = _ChatCompletions.requests[-1]
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == "Bearer secret-key"
    assert request["body"]["model"] == "judge-model" and request["body"]["temperature"] == 0
    prompt = request["body"]["messages"][-1]["content"]
    assert "How do I reset 2FA?" in prompt and "Open Settings > Security." in prompt


@pytest.mark.parametrize("status", [429, 503])
def test_a_rate_limit_or_server_error_is_retried_and_then_scored(stand_in_judge_server, status):
    _ChatCompletions.failures = [status]
    assert _judge(stand_in_judge_server).score("q", "r", "c") == 4
    assert len(_ChatCompletions.requests) == 2  # the failure, then the retry


def test_a_slow_endpoint_times_out_and_is_retried(stand_in_judge_server):
    _ChatCompletions.failures = ["slow"]
    started = time.monotonic()
    assert _judge(stand_in_judge_server, max_retries=1, timeout_s=0.3).score("q", "r", "c") == 4
    assert len(_ChatCompletions.requests) == 2 and time.monotonic() - started < 2


def test_an_endpoint_that_keeps_failing_gives_a_clear_error_in_bounded_time(stand_in_judge_server):
    _ChatCompletions.failures = [503] * 10
    started = time.monotonic()
    with pytest.raises(JudgeError, match=r"judge openai:judge-model@.* failed \(after up to 2 retries\).*503"):
        _judge(stand_in_judge_server, max_retries=2).score("q", "r", "c")
    assert len(_ChatCompletions.requests) == 3  # the first try and two retries, no more
    assert time.monotonic() - started < 5  # the client's backoff: about 0.5 s, then 1 s


def test_judge_errors_are_reported_not_scored_or_retried(stand_in_judge_server):
    judge = _judge(stand_in_judge_server, api_key="wrong-key")
    with pytest.raises(JudgeError, match="401"):
        judge.score("q", "r", "c")
    assert len(_ChatCompletions.requests) == 1  # a refused key is not retried


def test_the_usual_openai_variables_work_when_the_settings_are_unset(stand_in_judge_server, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", stand_in_judge_server)
    monkeypatch.setenv("OPENAI_API_KEY", "secret-key")
    judge = make_judge(_config(None, api_key=None), ModelConfig.from_settings())
    assert judge.score("q", "r", "c") == 4
    assert judge.name.startswith(f"openai:judge-model@{stand_in_judge_server}")


def test_our_settings_win_over_the_openai_variables(stand_in_judge_server, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/nowhere")
    monkeypatch.setenv("OPENAI_API_KEY", "wrong-key")
    assert make_judge(_config(stand_in_judge_server), ModelConfig.from_settings()).score("q", "r", "c") == 4
    assert _ChatCompletions.requests[-1]["auth"] == "Bearer secret-key"


def test_a_missing_url_key_or_model_names_the_setting(stand_in_judge_server):
    models = ModelConfig.from_settings()
    with pytest.raises(ValueError, match="endpoint URL: set judge_url .*GENAI_FLOW_JUDGE_URL.* or OPENAI_BASE_URL"):
        make_judge(_config(None), models)
    with pytest.raises(ValueError, match="API key: .*JUDGE_API_KEY.*GENAI_FLOW_JUDGE_API_KEY or OPENAI_API_KEY"):
        make_judge(_config(stand_in_judge_server, api_key=None), models)
    with pytest.raises(ValueError, match="needs the endpoint's model name: set judge_model .*GENAI_FLOW_JUDGE_MODEL"):
        make_judge(JudgeConfig.from_settings(Settings(judge_model=None), kind="openai", url=stand_in_judge_server,
                                             api_key="secret-key"), models)
    assert _ChatCompletions.requests == []  # nothing was sent


def test_no_judge_configured():
    assert make_judge(JudgeConfig.from_settings(Settings(), kind="none"), ModelConfig.from_settings()) is None
