"""8-bit on CPU: a causal LM whose ``Linear`` layers run as int8, activations scaled per token.

bitsandbytes' 8-bit load needs CUDA. On CPU the same request is served by PyTorch's FBGEMM
int8 kernels: int8 weights (one scale per output channel), activations quantized on the fly,
int8 matrix products. Decoding reads a quarter of float32's weight bytes per token, which is
what bounds it on a small CPU.

The stock dynamic layer (``quantize_dynamic``) quantizes activations with one scale per call,
which fails SmolLM2: its first token carries massive activations into the MLP's ``down_proj``,
and one scale for the whole prompt leaves the other tokens a few levels (held-out perplexity
5.30 -> 9.04 with every layer so; 5.74 with ``down_proj`` kept in float32). ``Int8Linear``
scales each row (token) into [-1, 1] before the kernel and multiplies the output back (exact:
the layer is linear): every token gets its own activation scale through the same kernel and
one copy of the weights (perplexity 5.45 with every layer in int8). The rows are quantized on
one fixed grid, so a token's result does not depend on its batch neighbours. Layers named in
``skip_modules`` stay in float32 (as bitsandbytes' ``llm_int8_skip_modules``).

Why not ``torchao`` (0.18, which resolves against the lock): its int8 configs run in eager mode
through tensor subclasses, and without ``torch.compile`` they generated 7.5 (dynamic
activations) and 10.9 (weight only) tokens/s here, against 16.5 for float32 and 45 for FBGEMM's
dynamic kernel. ``torch.compile`` needs a C compiler at run time and recompiles as generation
shapes change. ``torch.ao.quantization`` warns that it is deprecated in favour of torchao; it is
present and tested in the pinned torch (2.13), so those warnings are silenced here; when
torchao is faster on CPU, it replaces this module.

A LoRA adapter is merged into the base weights before quantizing (PEFT's ``merge_and_unload``):
the quantized model is then one plain model, and the adapter costs nothing per token.
"""

from __future__ import annotations

import gc
import re
import warnings
from pathlib import Path
from typing import Callable, Iterable, Optional

import torch

METHOD = "int8 Linear layers (FBGEMM, per-channel weights, per-token activation scales)"


def full_range_is_safe() -> bool:
    """Whether 8-bit activations may use their full range on this CPU.

    Without VNNI, FBGEMM sums pairs of uint8 x int8 products in int16, which can saturate at the
    full range, so torch quantizes activations to 7 bits (``reduce_range``). With VNNI
    (AVX512-VNNI, AVX-VNNI) the products accumulate in int32 and the 8th bit is safe; it
    matters here: SmolLM2's held-out perplexity is 5.74 at full range, 6.94 at 7 bits (fp32 5.30,
    with ``down_proj`` in float32).
    """
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:  # not Linux: keep torch's default
        return False
    return torch.backends.quantized.engine in ("x86", "fbgemm") and bool(
        re.search(r"\b(avx512_vnni|avx_vnni)\b", flags)
    )


class Int8Linear(torch.nn.Module):
    """A ``Linear`` layer with int8 weights (symmetric, per output channel) and int8 activations
    scaled per token (row), run by FBGEMM's int8 kernel.

    Each row is scaled into [-1, 1] and quantized on one fixed grid, so a token's result depends
    on that token alone, exactly, whatever it is batched with; one token (decoding a single
    sequence) goes through the same arithmetic as many."""

    def __init__(self, linear: torch.nn.Linear, reduce_range: bool):
        super().__init__()
        weight = linear.weight.detach().float()
        observer = torch.ao.quantization.default_per_channel_weight_observer()
        observer(weight)
        scales, zero_points = observer.calculate_qparams()
        quantized = torch.quantize_per_channel(weight, scales.double(), zero_points, 0, torch.qint8)
        # The bias stays out of the packed weights: it must not be scaled with the rows.
        self._packed = torch.ops.quantized.linear_prepack(quantized, None)
        self.bias: Optional[torch.Tensor] = None if linear.bias is None else linear.bias.detach().clone()
        self.in_features, self.out_features = linear.in_features, linear.out_features
        # The grid: [-1, 1] onto uint8 levels 1..255, or 1..127 where the 8th bit is unsafe.
        self.levels = 63 if reduce_range else 127

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        rows = inputs.reshape(-1, self.in_features)
        scale = rows.abs().amax(1, keepdim=True).clamp_min(torch.finfo(rows.dtype).tiny)
        outputs = torch.ops.quantized.linear_with_input_q_dq_qweight_dq_output_fp32(
            rows / scale, 1.0 / self.levels, self.levels + 1, self._packed
        ).mul_(scale)
        if self.bias is not None:
            outputs += self.bias
        return outputs.reshape(*inputs.shape[:-1], self.out_features)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


def replace_linear_layers(model, make_layer: Callable[[torch.nn.Linear], torch.nn.Module],
                          skip_modules: Iterable[str] = ()) -> None:
    """Replace, in place, every ``Linear`` layer of ``model`` whose name does not end with one of
    ``skip_modules`` by ``make_layer(layer)``."""
    skip = tuple(skip_modules)
    chosen = [name for name, module in model.named_modules()
              if isinstance(module, torch.nn.Linear) and not (skip and name.endswith(skip))]
    for name in chosen:
        parent_name, _, attribute = name.rpartition(".")
        parent = model.get_submodule(parent_name)
        setattr(parent, attribute, make_layer(getattr(parent, attribute)))


def quantize_int8(model, skip_modules: Iterable[str] = ()):
    """``model`` (a transformers causal LM, or a PEFT model whose adapter is merged first) with
    its ``Linear`` layers replaced by ``Int8Linear``, except those whose name ends with one of
    ``skip_modules`` (kept in float32), in eval mode."""
    if hasattr(model, "merge_and_unload"):
        model = model.merge_and_unload()
    model.eval()
    reduce_range = not full_range_is_safe()
    with warnings.catch_warnings():
        # torch's quantized-tensor deprecation notices (see the module docstring).
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"torch\.ao")
        warnings.filterwarnings("ignore", message=r".*torch\.ao\.quantization is deprecated.*")
        warnings.filterwarnings("ignore", message=r".*quantized tensor creation functions.*")
        replace_linear_layers(model, lambda linear: Int8Linear(linear, reduce_range), skip_modules)
    with torch.no_grad():
        # The float tensors left (embeddings, norms, skipped layers) are views of the weights file's
        # memory map, which keeps every page of it resident: about 530 MiB here, more than the
        # int8 model. Copies of them let the map go.
        for tensor in [*model.parameters(), *model.buffers()]:
            tensor.data = tensor.data.clone()
    gc.collect()  # the PEFT wrapper's reference cycles hold the float32 weights until a collection
    return model


def is_int8(model) -> bool:
    """Whether ``model`` carries int8 layers."""
    return any(isinstance(module, Int8Linear) for module in model.modules())
