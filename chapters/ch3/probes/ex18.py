"""Probes for ex18_jacobian: Jacobians and vector-Jacobian products of named functions, and how
they were taken (ex08's spy on torch.autograd.grad and backward).

A function ``f`` cannot cross to the student side, so checks name one from ``FUNCTIONS`` and
send its parameters as tensors; ``build`` makes the same ``f`` on either side.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from chapters.ch3.probes.ex08 import GradSpy, RunObservation
from grader.probing.observe import describe, to_device
from grader.probing.registry import probe
from grader.probing.submission import Submission

MODULE = "ex18_jacobian"


def square(x: torch.Tensor) -> torch.Tensor:
    """x², element by element (note 002's example), any shape."""
    return x**2


def affine_tanh(x: torch.Tensor, A: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """tanh(A x + b) for x (n,), A (m, n), b (m,): (m,)."""
    return torch.tanh(A @ x + b)


def matmul_right(x: torch.Tensor, W: torch.Tensor) -> torch.Tensor:
    """X W for X (p, q), W (q, r): (p, r)."""
    return x @ W


def softmax_rows(x: torch.Tensor) -> torch.Tensor:
    """softmax over each row of X (p, q): (p, q)."""
    return torch.softmax(x, dim=-1)


def normalize(x: torch.Tensor) -> torch.Tensor:
    """x / ‖x‖ over all its elements, any shape."""
    return x / x.norm()


def constant(x: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
    """c, whatever x is: its derivative is 0."""
    return c


FUNCTIONS: dict[str, Callable[..., torch.Tensor]] = {
    fn.__name__: fn for fn in (square, affine_tanh, matmul_right, softmax_rows, normalize, constant)
}


def build(name: str, params: dict[str, torch.Tensor], like: torch.Tensor) -> Callable[[torch.Tensor], torch.Tensor]:
    """``x ↦ FUNCTIONS[name](x, **params)`` with the parameters on ``like``'s device and dtype."""
    fn = FUNCTIONS[name]
    moved = {key: value.to(device=like.device, dtype=like.dtype) for key, value in params.items()}
    return lambda x: fn(x, **moved)


@probe("ch3.ex18.run")
def run(sub: Submission, device: str, func: str, f: str, params: dict[str, torch.Tensor], x: torch.Tensor,
        requires_grad: bool, more: list[Any]) -> RunObservation:
    """``func(f, x, *more)`` with x on ``device``: the result, what became of x, how grad and backward were used."""
    x = to_device(x, device).requires_grad_(requires_grad)
    fn = getattr(sub.module(MODULE), func)
    with GradSpy() as spy:
        result = sub.call(fn, build(f, params, x), x, *to_device(more, device))
    return {
        "result": describe(result),
        "x_requires_grad": x.requires_grad,
        "x_grad_is_none": x.grad is None,
        "x_after": describe(x.detach()),
        "grad_calls": spy.calls,
        "backward_calls": spy.backward_calls,
        "backward_passes": spy.passes,
        "functional": spy.functional,
    }
