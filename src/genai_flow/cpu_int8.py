"""8-bit on CPU: a causal LM with its ``Linear`` layers dynamically quantized to int8.

bitsandbytes' 8-bit load needs CUDA. On CPU the same request is served by PyTorch's dynamic
quantization (``torch.ao.quantization.quantize_dynamic``): int8 weights (per output channel),
activations quantized on the fly per call, int8 matrix products through FBGEMM/oneDNN. On this
machine's 2 cores, with every Linear layer in int8, it generated 2.6x as many tokens/s as
float32, but SmolLM2's held-out perplexity went from 5.3 to 21.8: the MLP's ``down_proj``
input carries activation outliers that one per-tensor activation scale cannot hold. Those
layers stay in float32 (setting ``cpu_int8_skip_modules``, like bitsandbytes'
``llm_int8_skip_modules``); the speed and quality of the result are measured by
``bench/bench_quantization.py``.

Why not ``torchao`` (0.18, which resolves against the lock): its int8 configs run in eager mode
through tensor subclasses, and without ``torch.compile`` they generated 7.5 (dynamic
activations) and 10.9 (weight only) tokens/s here, against 16.5 for float32 and 45 for
``quantize_dynamic``. ``torch.compile`` needs a C compiler at run time and recompiles as
generation shapes change. ``torch.ao.quantization`` warns that it is deprecated in favour of
torchao; it is present and tested in the pinned torch (2.13), so those warnings are silenced
here; when torchao is faster on CPU, it replaces this module.

A LoRA adapter is merged into the base weights before quantizing (PEFT's ``merge_and_unload``):
the quantized model is then one plain model, and the adapter costs nothing per token.
"""

from __future__ import annotations

import gc
import re
import warnings
from pathlib import Path
from typing import Iterable

import torch

METHOD = "dynamic int8 Linear layers (torch.ao, per-channel weights)"


def full_range_is_safe() -> bool:
    """Whether 8-bit activations may use their full range on this CPU.

    Without VNNI, FBGEMM sums pairs of uint8 x int8 products in int16, which can saturate at the
    full range, so torch quantizes activations to 7 bits (``reduce_range``). With VNNI
    (AVX512-VNNI, AVX-VNNI) the products accumulate in int32 and the 8th bit is safe; it
    matters here: SmolLM2's held-out perplexity is 5.74 at full range, 6.94 at 7 bits (fp32 5.30).
    """
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:  # not Linux: keep torch's default
        return False
    return torch.backends.quantized.engine in ("x86", "fbgemm") and bool(
        re.search(r"\b(avx512_vnni|avx_vnni)\b", flags)
    )


def quantize_int8(model, skip_modules: Iterable[str] = ()):
    """``model`` (a transformers causal LM, or a PEFT model whose adapter is merged first) with
    its ``Linear`` layers replaced by dynamically quantized int8 ones, except those whose name
    ends with one of ``skip_modules`` (kept in float32, as bitsandbytes' ``llm_int8_skip_modules``),
    in eval mode."""
    if hasattr(model, "merge_and_unload"):
        model = model.merge_and_unload()
    model.eval()
    skip = tuple(skip_modules)
    chosen = {name: torch.ao.quantization.per_channel_dynamic_qconfig for name, module in model.named_modules()
              if isinstance(module, torch.nn.Linear) and not (skip and name.endswith(skip))}
    with warnings.catch_warnings():
        # torch.ao.quantization's deprecation notices (see the module docstring).
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"torch\.ao")
        warnings.filterwarnings("ignore", message=r".*torch\.ao\.quantization is deprecated.*")
        warnings.filterwarnings("ignore", message=r".*quantized tensor creation functions.*")
        model = torch.ao.quantization.quantize_dynamic(model, chosen, dtype=torch.qint8, inplace=True)
    with torch.no_grad():
        # The float tensors left (embeddings, norms, skipped layers) are views of the weights file's
        # memory map, which keeps every page of it resident: about 530 MiB here, more than the
        # int8 model. Copies of them let the map go (resident memory 1100 -> 830 MiB, float32: 950).
        for tensor in [*model.parameters(), *model.buffers()]:
            tensor.data = tensor.data.clone()
    gc.collect()  # the PEFT wrapper's reference cycles hold the float32 weights until a collection
    if full_range_is_safe():
        from torch.ao.nn.quantized.dynamic import Linear as DynamicLinear

        for module in model.modules():
            if isinstance(module, DynamicLinear):
                # DynamicLinear asks for reduce_range from its serialization version 4 on; the
                # version-3 behaviour is the full 8-bit range.
                module.version = 3
    return model


def is_int8(model) -> bool:
    """Whether ``model`` carries dynamically quantized int8 layers."""
    from torch.ao.nn.quantized.dynamic import Linear as DynamicLinear

    return any(isinstance(module, DynamicLinear) for module in model.modules())
