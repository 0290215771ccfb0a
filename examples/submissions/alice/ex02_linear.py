"""基础 2 / Basics 2 — what nn.Linear computes, and weight initialisation (Alice's answer)."""

import math

import torch
from torch import nn

SCHEMES = ("xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal", "normal", "zeros")


def linear_forward(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None) -> torch.Tensor:
    """y[..., o] = Σ_i x[..., i] W[o, i] + b[o]."""
    y = torch.einsum("...i,oi->...o", x, weight)
    return y if bias is None else y + bias


def init_linear_(layer: nn.Linear, scheme: str) -> nn.Linear:
    """Draw the weight by hand from the scheme's law, in place; zero the bias."""
    fan_out, fan_in = layer.weight.shape
    with torch.no_grad():
        if scheme == "xavier_uniform":
            bound = math.sqrt(6.0 / (fan_in + fan_out))
            layer.weight.uniform_(-bound, bound)
        elif scheme == "xavier_normal":
            layer.weight.normal_(0.0, math.sqrt(2.0 / (fan_in + fan_out)))
        elif scheme == "kaiming_uniform":
            bound = math.sqrt(2.0) * math.sqrt(3.0 / fan_in)
            layer.weight.uniform_(-bound, bound)
        elif scheme == "kaiming_normal":
            layer.weight.normal_(0.0, math.sqrt(2.0) / math.sqrt(fan_in))
        elif scheme == "normal":
            layer.weight.normal_(0.0, 0.01)
        elif scheme == "zeros":
            layer.weight.zero_()
        else:
            raise ValueError(f"init_linear_: {scheme!r} is not a scheme I know. Try one of: {list(SCHEMES)}")
        if layer.bias is not None:
            layer.bias.zero_()
    return layer


def default_init_bound(in_features: int) -> float:
    """nn.Linear uses kaiming_uniform_ with a = √5: gain √(1/3), bound gain·√(3/fan_in)."""
    gain = math.sqrt(2.0 / (1 + 5))
    return gain * math.sqrt(3.0 / in_features)
