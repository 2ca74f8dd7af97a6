"""The OpenAI API's shapes without a server: requests to graph requests, answers to completions."""

from __future__ import annotations

import pytest

from genai_flow.serving import openai_api
from genai_flow.serving.requests import RequestError

ANSWER = {"answer": "Use Settings > Export.", "request_id": "abc", "confidence": 0.4, "flagged": False,
          "flag_reason": None, "sources": [], "usage": {"prompt_tokens": 120, "completion_tokens": 7}}


def test_a_chat_request_asks_the_last_user_message_with_the_token_limit():
    body = {"messages": [{"role": "user", "content": "first"}, {"role": "assistant", "content": "ok"},
                         {"role": "user", "content": [{"type": "text", "text": "second"}]}], "max_tokens": 12}
    assert openai_api.chat_request(body) == {"question": "second", "max_new_tokens": 12}
    assert openai_api.completion_request({"prompt": ["only"], "max_completion_tokens": 3}) == {
        "question": "only", "max_new_tokens": 3}


@pytest.mark.parametrize("body, message", [
    ({}, "non-empty list"), ({"messages": ["hi"]}, "with a role"),
    ({"messages": [{"role": "system", "content": "x"}]}, "user message"),
    ({"messages": [{"role": "user", "content": [{"type": "image_url"}]}]}, "text parts"),
    ({"messages": [{"role": "user", "content": "x"}], "n": 2}, "n must be 1"),
])
def test_bad_chat_requests_say_what_is_wrong(body, message):
    with pytest.raises(RequestError, match=message) as error:
        openai_api.chat_request(body)
    assert error.value.status == 400


def test_an_answer_becomes_a_completion_and_a_guarded_one_a_content_filter_finish():
    reply = openai_api.completion(ANSWER, "m", "chat.completion", created=5)
    assert reply["id"] == "chatcmpl-abc" and reply["created"] == 5
    assert reply["choices"] == [{"index": 0, "message": {"role": "assistant", "content": "Use Settings > Export."},
                                 "finish_reason": "stop"}]
    assert reply["usage"] == {"prompt_tokens": 120, "completion_tokens": 7, "total_tokens": 127}
    assert reply["genai_flow"]["confidence"] == 0.4
    refused = openai_api.completion({**ANSWER, "flagged": True, "flag_reason": "toxic_input"}, "m", "text_completion")
    assert refused["object"] == "text_completion" and refused["choices"][0]["finish_reason"] == "content_filter"
    assert openai_api.error_object("nope", 401)["error"]["type"] == "authentication_error"


def test_the_served_model_is_named_by_its_artifact_key_or_folder():
    assert openai_api.served_model_id(None) == "genai-flow-base"
    assert openai_api.served_model_id(
        "store://models/genai-flow/align-align_model#2:latest@ab12^cd") == "align-align_model"
    assert openai_api.served_model_id("/models/my-adapter/") == "my-adapter"
