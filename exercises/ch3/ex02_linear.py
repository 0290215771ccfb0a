"""基础 2：`torch.nn.Linear` 层的作用与权重初始化方法。

`nn.Linear` 做线性变换 y = xWᵀ + b：输入 x 乘以权重 W 的转置，再加上偏置 b。权重的初始值
可以用 `torch.nn.init` 模块修改，例如 `init.xavier_uniform_(linear_layer.weight)`。
实现下面三个函数：不借助 `nn.Linear` 与 `F.linear` 自己算出线性层的输出；用指定的方案
原地重新初始化一个线性层；给出 PyTorch 默认初始化所用均匀分布的边界。

各初始化方案（fan_in = in_features，fan_out = out_features）：
- "xavier_uniform"：U(−a, a)，a = √(6 / (fan_in + fan_out))
- "xavier_normal"：N(0, σ²)，σ = √(2 / (fan_in + fan_out))
- "kaiming_uniform"：U(−a, a)，a = √(6 / fan_in)（fan_in 模式，ReLU 增益 √2）
- "kaiming_normal"：N(0, σ²)，σ = √(2 / fan_in)（fan_in 模式，ReLU 增益 √2）
- "normal"：N(0, 0.01²)
- "zeros"：全为 0

Basics 2: what a `torch.nn.Linear` layer computes, and how its weights are initialised.

`nn.Linear` applies the linear map y = xWᵀ + b: the input x times the transposed weight W,
plus the bias b. The initial weights can be changed with `torch.nn.init`, for example
`init.xavier_uniform_(linear_layer.weight)`. Implement the three functions below: compute
a linear layer's output yourself (without `nn.Linear` or `F.linear`); re-initialise a
linear layer in place with a named scheme; give the bound of the uniform law PyTorch's
default initialisation draws from.

The schemes (fan_in = in_features, fan_out = out_features):
- "xavier_uniform": U(−a, a), a = √(6 / (fan_in + fan_out))
- "xavier_normal": N(0, σ²), σ = √(2 / (fan_in + fan_out))
- "kaiming_uniform": U(−a, a), a = √(6 / fan_in) (fan_in mode, ReLU gain √2)
- "kaiming_normal": N(0, σ²), σ = √(2 / fan_in) (fan_in mode, ReLU gain √2)
- "normal": N(0, 0.01²)
- "zeros": all zero
"""

import math

import torch
from torch import nn

SCHEMES = ("xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal", "normal", "zeros")


def linear_forward(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None) -> torch.Tensor:
    """y = x Wᵀ + b, what ``nn.Linear`` computes (without ``nn.Linear`` or ``F.linear``).

    Args:
        x: (..., in_features), any number of leading dimensions (none for a single sample),
            floating dtype.
        weight: (out_features, in_features), same dtype and device as ``x``.
        bias: (out_features,) or None (no bias), same dtype and device as ``x``.
    Returns:
        (..., out_features), the dtype and device of ``x``, equal to
        ``torch.nn.functional.linear(x, weight, bias)`` and differentiable with respect to
        ``x``, ``weight`` and ``bias``. The inputs are left as they were (no in-place change).
    """
    raise NotImplementedError("ex02_linear.linear_forward: 尚未实现 / not implemented yet")


def init_linear_(layer: nn.Linear, scheme: str) -> nn.Linear:
    """Re-initialise ``layer.weight`` in place with ``scheme`` (one of ``SCHEMES``) and set
    ``layer.bias`` (if the layer has one) to zero.

    In place means the layer keeps the very same ``weight`` and ``bias`` Parameters (an
    optimiser that already holds them sees the new values); their shape, dtype, device and
    ``requires_grad`` stay as they were.

    Args:
        layer: an ``nn.Linear`` with weight (out_features, in_features), any floating dtype,
            on any device.
        scheme: one of ``SCHEMES``; the laws are listed in the module docstring.
    Returns:
        ``layer`` itself (the same object), so that calls can be chained.
    Raises:
        ValueError: for any other ``scheme`` (names match exactly, case included); the message
            lists every valid scheme.
    """
    raise NotImplementedError("ex02_linear.init_linear_: 尚未实现 / not implemented yet")


def default_init_bound(in_features: int) -> float:
    """The bound b such that PyTorch's default ``nn.Linear`` init draws the weight from U(−b, b).

    Args:
        in_features: the layer's number of inputs (fan_in), ≥ 1.
    Returns:
        b as a Python float.
    """
    raise NotImplementedError("ex02_linear.default_init_bound: 尚未实现 / not implemented yet")
