"""Judge-side helpers for ex06: what each function computes, written without einsum (float64).

Nothing here runs next to student code.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch


def _bilinear(x: torch.Tensor, w: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (x[:, :, None, None] * w * y[:, None, :, None]).sum(dim=(1, 2))


def _scores(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return q @ k.transpose(1, 2)


def _attention(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return torch.softmax(_scores(q, k) / math.sqrt(q.shape[-1]), dim=-1)


_MEANING: dict[str, Callable[..., torch.Tensor]] = {
    "matmul": torch.matmul,
    "transpose": torch.t,
    "batch_matmul": torch.bmm,
    "bilinear": _bilinear,
    "trace": torch.trace,
    "inner": torch.dot,
    "outer": torch.outer,
    "attention_weights": _attention,
}
NAMES = tuple(_MEANING)


def reference(name: str, *operands: torch.Tensor, equation: bool = False) -> torch.Tensor:
    """What ``name(*operands)`` must return, computed in float64, in the operands' dtype.

    With ``equation``, what ``torch.einsum(EQUATIONS[name], *operands)`` must give: the
    same, except the scores q kᵀ (before scaling and softmax) for attention_weights.
    """
    fn = _scores if equation and name == "attention_weights" else _MEANING[name]
    return fn(*(o.to(torch.float64) for o in operands)).to(operands[0].dtype)
