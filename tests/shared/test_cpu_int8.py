"""The int8 Linear layer on its own: per-token activation scales, bias, shapes."""

from __future__ import annotations

import torch

from genai_flow.cpu_int8 import Int8Linear


def _layer(bias: bool = False) -> torch.nn.Linear:
    torch.manual_seed(0)
    return torch.nn.Linear(256, 64, bias=bias)


def _relative_error(got: torch.Tensor, expected: torch.Tensor) -> float:
    return float((got - expected).detach().norm() / expected.detach().norm())


def test_a_token_with_massive_activations_does_not_cost_the_others_their_precision():
    layer = _layer()
    quantized = Int8Linear(layer, reduce_range=False)
    ordinary = torch.randn(7, 256)
    massive = torch.randn(1, 256) * 1000  # as SmolLM2's first token feeds down_proj
    with torch.no_grad():
        together = quantized(torch.cat([massive, ordinary]))[1:]
        expected = layer(ordinary)
        # One activation scale for the call (the kernel alone) leaves the ordinary rows ~0 levels.
        per_call = torch.ops.quantized.linear_dynamic(torch.cat([massive, ordinary]), quantized._packed, False)[1:]
        massive_alone = _relative_error(quantized(massive), layer(massive))
    assert _relative_error(together, expected) < 0.02
    assert _relative_error(per_call, expected) > 0.2
    assert massive_alone < 0.02


def test_a_token_gets_the_same_result_alone_as_in_any_batch_and_the_bias_is_added_once():
    layer = _layer(bias=True)
    quantized = Int8Linear(layer, reduce_range=False)
    inputs = torch.randn(2, 5, 256)  # (batch, tokens, features), as a decoder layer calls it
    with torch.no_grad():
        batched, expected = quantized(inputs), layer(inputs)
        alone = quantized(inputs[1:, 2:3])
    assert batched.shape == expected.shape == (2, 5, 64)
    assert _relative_error(batched, expected) < 0.02
    assert _relative_error(alone, layer(inputs[1:, 2:3])) < 0.02
    # Exactly: a token's result must not change with the tokens it is batched with.
    assert torch.equal(alone, batched[1:, 2:3])
    assert torch.equal(quantized(inputs[:1]), batched[:1])
