"""Judge-side helpers for ex02: the initialisation laws and the reference of ``linear_forward``.

Nothing here runs next to student code.
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F

SCHEMES = ("xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal", "normal", "zeros")


def init_law(scheme: str, fan_in: int, fan_out: int) -> dict[str, Any]:
    """The law a scheme draws the weight from, as ``expect_sample`` takes it: law, std."""
    xavier, kaiming = math.sqrt(2 / (fan_in + fan_out)), math.sqrt(2 / fan_in)
    law, std = {
        "xavier_uniform": ("uniform", xavier),  # bound √3·std = √(6 / (fan_in + fan_out))
        "xavier_normal": ("normal", xavier),
        "kaiming_uniform": ("uniform", kaiming),  # bound √(6 / fan_in)
        "kaiming_normal": ("normal", kaiming),
        "normal": ("normal", 0.01),
        "zeros": ("constant", 0.0),
    }[scheme]
    return {"law": law, "std": std}


def linear_reference(
    x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None, upstream: torch.Tensor | None = None,
) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """Judge side: ``F.linear`` in float64 and, with ``upstream``, the gradients of
    ⟨upstream, y⟩ with respect to each input (keyed "x", "weight", "bias")."""
    leaves = {"x": x, "weight": weight} | ({} if bias is None else {"bias": bias})
    leaves = {k: v.to(torch.float64).requires_grad_() for k, v in leaves.items()}
    y = F.linear(leaves["x"], leaves["weight"], leaves.get("bias"))
    if upstream is None:
        return y.detach(), {}
    grads = torch.autograd.grad(y, list(leaves.values()), upstream.to(torch.float64))
    return y.detach(), dict(zip(leaves, grads, strict=True))
