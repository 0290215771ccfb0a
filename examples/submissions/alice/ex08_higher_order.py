"""深化 8 / Deeper 8 — higher-order derivatives with torch.autograd.grad (Alice's answer)."""

from collections.abc import Callable

import torch
from torch.autograd import grad

ScalarFn = Callable[[torch.Tensor], torch.Tensor]


def _leaf(x: torch.Tensor) -> torch.Tensor:
    """A fresh leaf with x's values that requires grad (the caller's x is untouched)."""
    return x.detach().clone().requires_grad_()


def nth_derivative(f: ScalarFn, x: torch.Tensor, n: int) -> torch.Tensor:
    """dⁿf/dxⁿ at a 0-d x."""
    x = _leaf(x)
    d = f(x)
    for _ in range(n):
        if d.grad_fn is None:  # constant from here on
            return torch.zeros_like(x).detach()
        (d,) = grad(d, x, create_graph=True, allow_unused=True)
        if d is None:
            return torch.zeros_like(x).detach()
    return d.detach()


def gradient(f: ScalarFn, x: torch.Tensor) -> torch.Tensor:
    """∇f(x), shape (n,)."""
    x = _leaf(x)
    with torch.enable_grad():
        (g,) = grad(f(x), x, allow_unused=True)
    return torch.zeros_like(x) if g is None else g


def _first(f: ScalarFn, x: torch.Tensor) -> torch.Tensor | None:
    """∇f(x) with a graph, or None when f does not depend on x to second order."""
    (g,) = grad(f(x), x, create_graph=True)
    return g if g.requires_grad else None


def hessian(f: ScalarFn, x: torch.Tensor) -> torch.Tensor:
    """All rows of H at once: one batched vector-Jacobian product with the identity."""
    x = _leaf(x)
    g = _first(f, x)
    if g is None:
        return torch.zeros(x.numel(), x.numel(), dtype=x.dtype, device=x.device)
    eye = torch.eye(x.numel(), dtype=x.dtype, device=x.device)
    (rows,) = grad(g, x, grad_outputs=eye, is_grads_batched=True, allow_unused=True, materialize_grads=True)
    return rows.detach()


def hessian_vector_product(f: ScalarFn, x: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """H(x) v as the vector-Jacobian product of ∇f with v."""
    x = _leaf(x)
    g = _first(f, x)
    if g is None:
        return torch.zeros_like(x)
    (hv,) = grad(g, x, grad_outputs=v, allow_unused=True, materialize_grads=True)
    return hv
