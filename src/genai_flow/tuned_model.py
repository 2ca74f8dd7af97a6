"""The fine-tuned model: an adapter folder that names its base model and carries its prompt.

fine-tune writes it and logs it with ``context.log_model``; evaluate and serving read it from a
model artifact URI (``store://models/...``) or a local folder.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any, Optional

from . import model_loading
from .prompts import PromptTemplate

INFO_FILE = "genai_flow_model.json"
ADAPTER_FILE = "adapter_model.safetensors"


def save_tuned_model(
    folder: Path, peft_model, tokenizer, template: PromptTemplate, base_model: str, parameters: dict
) -> Path:
    """Write adapter weights, tokenizer, prompt template and a description of the base model."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    peft_model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    template.save(folder)
    info = {"base_model": base_model, "adapter": "lora", "parameters": parameters}
    (folder / INFO_FILE).write_text(json.dumps(info, indent=2, default=str))
    return folder


def model_folder(model: Any) -> Path:
    """A local folder for a model artifact URI, a model DataItem, or a path."""
    import mlrun

    if hasattr(model, "artifact_url"):
        model = model.artifact_url
    model = str(model)
    if mlrun.datastore.is_store_uri(model):
        model_file, _, _ = mlrun.artifacts.get_model(model)
        return Path(model_file).parent
    path = Path(model).expanduser()
    if path.is_file():
        path = path.parent
    if not (path / INFO_FILE).is_file():
        raise FileNotFoundError(f"{model} is not a genai-flow model folder (no {INFO_FILE})")
    return path


@dataclasses.dataclass
class TunedModel:
    model: Any
    tokenizer: Any
    template: PromptTemplate
    plan: model_loading.LoadPlan
    info: dict
    folder: Optional[Path]


def load_tuned_model(
    model: Any, config: model_loading.ModelConfig, quantization: str = "none", cuda: Optional[bool] = None
) -> TunedModel:
    """The base model with the adapter applied, ready for generation."""
    folder = model_folder(model)
    info = json.loads((folder / INFO_FILE).read_text())
    llm, tokenizer, plan = model_loading.load_causal_lm(
        config, info["base_model"], quantization=quantization, adapter=str(folder), cuda=cuda
    )
    return TunedModel(llm, tokenizer, PromptTemplate.load(folder), plan, info, folder)


def load_base_model(
    config: model_loading.ModelConfig,
    name: Optional[str] = None,
    quantization: str = "none",
    cuda: Optional[bool] = None,
) -> TunedModel:
    """The base model ``name`` (default: ``config.llm_model``) alone, with the default prompt
    (what an untuned deployment answers with)."""
    llm, tokenizer, plan = model_loading.load_causal_lm(config, name, quantization=quantization, cuda=cuda)
    info = {"base_model": name or config.llm_model, "adapter": None}
    return TunedModel(llm, tokenizer, PromptTemplate(), plan, info, None)
