"""The prompt library: the prompts this project can train, evaluate and serve with, one YAML
file each in this folder (key, description, the model family it suits, the template).

A prompt's version is a hash of its template (``PromptTemplate.version``): the same text has
the same version wherever it runs, and every answer and monitoring event names it. The
workflow registers each prompt as an MLRun ``LLMPromptArtifact`` (key ``prompt-<key>``,
tagged with its version); ``genai-flow prompts`` lists them.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import yaml

from ..prompts import PromptTemplate

LIBRARY = Path(__file__).resolve().parent
DEFAULT_KEY = "subject-content"


class PromptNotFound(KeyError):
    """No prompt of that key (or key and version) in the library."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclasses.dataclass(frozen=True)
class LibraryPrompt:
    key: str
    description: str
    model_family: str
    template: PromptTemplate
    file: Path

    @property
    def version(self) -> str:
        return self.template.version

    @property
    def artifact_key(self) -> str:
        """The key of its MLRun LLMPromptArtifact."""
        return f"prompt-{self.key}"

    def to_dict(self) -> dict:
        return {"key": self.key, "version": self.version, "description": self.description,
                "model_family": self.model_family, "file": self.file.name, "template": self.template.to_dict()}


def _read(path: Path) -> LibraryPrompt:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        template = PromptTemplate(**spec["template"])
        prompt = LibraryPrompt(spec["key"], spec["description"].strip(), spec["model_family"].strip(), template, path)
    except (KeyError, TypeError) as error:
        raise ValueError(f"{path.name}: not a prompt file ({error})") from error
    if prompt.key != path.stem:
        raise ValueError(f"{path.name}: its key {prompt.key!r} differs from its file name")
    try:  # every placeholder must be one the prompt fills
        template.messages("subject", "content", [{"title": "title", "text": "text"}])
    except (KeyError, IndexError) as error:
        raise ValueError(f"{path.name}: unknown placeholder {error} (known: subject, content, context)") from error
    return prompt


def library(folder: Path = LIBRARY) -> dict[str, LibraryPrompt]:
    """Every prompt of the library, by key."""
    prompts = [_read(path) for path in sorted(Path(folder).glob("*.yaml"))]
    return {prompt.key: prompt for prompt in prompts}


def get_prompt(name: str, folder: Path = LIBRARY) -> LibraryPrompt:
    """The prompt ``key``, or ``key@version`` (refused unless the file has that version now).

    :raises PromptNotFound: no such key, or the file's version is another one.
    """
    key, _, version = name.partition("@")
    prompts = library(folder)
    if key not in prompts:
        raise PromptNotFound(f"no prompt {key!r} in the library (there are: {', '.join(sorted(prompts))})")
    prompt = prompts[key]
    if version and version != prompt.version:
        raise PromptNotFound(f"prompt {key!r} is at version {prompt.version} now, not {version}")
    return prompt


def register_prompts(logger, prompts) -> list:
    """Log each of ``prompts`` as an MLRun LLMPromptArtifact ``prompt-<key>`` tagged with its
    version (``logger``: a run context or a project); the same version logged again is the
    same artifact, a changed template a new one."""
    logged = []
    for prompt in prompts:
        logged.append(logger.log_llm_prompt(
            prompt.artifact_key,
            prompt_template=prompt.template.as_message_template(),
            prompt_legend=prompt.template.legend,
            description=prompt.description,
            tag=prompt.version,
            labels={"prompt_key": prompt.key, "prompt_version": prompt.version, "model_family": prompt.model_family},
        ))
    return logged
