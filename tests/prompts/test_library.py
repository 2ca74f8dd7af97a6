"""The prompt library: its files load, their versions are their templates' hashes, and broken
prompt files are refused with the file named."""

from __future__ import annotations

import shutil

import pytest

from genai_flow.prompt_library import DEFAULT_KEY, LIBRARY, PromptNotFound, get_prompt, library
from genai_flow.prompts import DEFAULT_PROMPT


def test_the_library_holds_the_seed_prompt_and_an_alternative():
    prompts = library()
    assert {"subject-content", "question-first"} <= set(prompts)
    # The seed's prompt is the one every model so far was trained with: same text, same version.
    assert prompts[DEFAULT_KEY].template == DEFAULT_PROMPT
    assert prompts[DEFAULT_KEY].version == DEFAULT_PROMPT.version
    assert len({prompt.version for prompt in prompts.values()}) == len(prompts)
    for prompt in prompts.values():
        assert prompt.description and prompt.model_family and prompt.artifact_key == f"prompt-{prompt.key}"


def test_the_alternative_puts_the_question_before_the_passages():
    messages = get_prompt("question-first").template.messages(
        "Refunds", "Can I get my money back?", [{"title": "Refund policy", "text": "Within 14 days."}])
    user = messages[1]["content"]
    assert user.index("Can I get my money back?") < user.index("Within 14 days.")


def test_a_prompt_by_key_and_version():
    version = get_prompt(DEFAULT_KEY).version
    assert get_prompt(f"{DEFAULT_KEY}@{version}").version == version
    with pytest.raises(PromptNotFound, match="is at version"):
        get_prompt(f"{DEFAULT_KEY}@000000000000")
    with pytest.raises(PromptNotFound, match="no prompt 'nope'"):
        get_prompt("nope")


@pytest.mark.parametrize("edit, message", [
    (lambda text: text.replace("key: subject-content", "key: other"), "differs from its file name"),
    (lambda text: text.replace("{content}", "{question}"), "unknown placeholder 'question'"),
    (lambda text: text.replace("template:", "templates:"), "not a prompt file"),
])
def test_broken_prompt_files_are_refused_naming_the_file(tmp_path, edit, message):
    shutil.copy(LIBRARY / "subject-content.yaml", tmp_path)
    path = tmp_path / "subject-content.yaml"
    path.write_text(edit(path.read_text()))
    with pytest.raises(ValueError, match=message) as error:
        library(tmp_path)
    assert "subject-content.yaml" in str(error.value)
