"""Probes for ex08_higher_order: derivatives of named scalar functions, and how they were taken.

A function ``f`` cannot cross to the student side, so checks name one from ``FUNCTIONS``
and send its parameters as tensors; ``build`` makes the same ``f`` on either side.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import torch
import torch.autograd.functional
from torch._C import _functorch
from torch.overrides import TorchFunctionMode

from grader.probing.observe import Description, ResultObservation, describe, to_device
from grader.probing.registry import probe
from grader.probing.submission import Submission

MODULE = "ex08_higher_order"


def cube(x: torch.Tensor) -> torch.Tensor:
    """Σ x³ (the chapter's y = x³ for a 0-d x)."""
    return (x**3).sum()


def poly(x: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
    """Σₖ c[k] xᵏ for a 0-d x, by Horner's rule."""
    out = c[-1]
    for coefficient in c.flip(0)[1:]:
        out = out * x + coefficient
    return out


def sin_exp(x: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    """a₀ sin(a₁ x) + a₂ exp(a₃ x) for a 0-d x."""
    return a[0] * torch.sin(a[1] * x) + a[2] * torch.exp(a[3] * x)


def quadratic(x: torch.Tensor, A: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """½ xᵀ A x + bᵀ x for x (n,)."""
    return 0.5 * x @ A @ x + b @ x


def mixed(x: torch.Tensor, A: torch.Tensor, w: torch.Tensor, u: torch.Tensor) -> torch.Tensor:
    """½ xᵀ A x + Σ wᵢ sin xᵢ + exp(uᵀ x) for x (n,)."""
    return 0.5 * x @ A @ x + (w * torch.sin(x)).sum() + torch.exp(u @ x)


def linear(x: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """bᵀ x for x (n,): its Hessian is zero."""
    return b @ x


FUNCTIONS: dict[str, Callable[..., torch.Tensor]] = {
    fn.__name__: fn for fn in (cube, poly, sin_exp, quadratic, mixed, linear)
}


def build(name: str, params: dict[str, torch.Tensor], like: torch.Tensor) -> Callable[[torch.Tensor], torch.Tensor]:
    """``x ↦ FUNCTIONS[name](x, **params)`` with the parameters on ``like``'s device and dtype."""
    fn = FUNCTIONS[name]
    moved = {key: value.to(device=like.device, dtype=like.dtype) for key, value in params.items()}
    return lambda x: fn(x, **moved)


_GRAD, _TENSOR_BACKWARD, _BACKWARD = torch.autograd.grad, torch.Tensor.backward, torch.autograd.backward


class GradSpy(TorchFunctionMode):
    """Watches torch.autograd.grad and backward, however they were imported: grad calls,
    backward calls (Tensor.backward, torch.autograd.backward), backward passes (one per
    backward call, and per grad call, where a batched one counts one per row of
    grad_outputs, and one under vmap one per row of its batch), and calls made by
    torch.autograd.functional."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = self.backward_calls = self.passes = 0
        self.functional = False

    def __torch_function__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
        kwargs = kwargs or {}
        if func is _GRAD:
            self.calls += 1
            seeds = kwargs.get("grad_outputs")
            seed = seeds[0] if isinstance(seeds, (tuple, list)) and seeds else seeds
            batched = kwargs.get("is_grads_batched") and isinstance(seed, torch.Tensor) and seed.dim()
            seen = [*(args[0] if args and isinstance(args[0], (tuple, list)) else args[:1]),
                    *(seeds if isinstance(seeds, (tuple, list)) else [seeds])]
            self.passes += (int(seed.shape[0]) if batched else 1) * max(_vmap_rows(t) for t in seen)
            self.functional |= _inside(torch.autograd.functional.__file__)
        elif func is _TENSOR_BACKWARD or func is _BACKWARD:
            self.backward_calls += 1
            self.passes += 1
        return func(*args, **kwargs)


def _vmap_rows(value: Any) -> int:
    """How many rows ``value`` stands for under (nested) vmap: 1 outside vmap, or for a non-tensor."""
    rows = 1
    while isinstance(value, torch.Tensor) and _functorch.is_batchedtensor(value):
        bdim = _functorch.maybe_get_bdim(value)
        value = _functorch.get_unwrapped(value)
        rows *= int(value.shape[bdim])
    return rows


def _inside(filename: str) -> bool:
    """Whether a function of ``filename`` is on the current call stack."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename == filename:
            return True
        frame = frame.f_back
    return False


class RunObservation(ResultObservation):
    """The result; what became of x (its flag, its .grad, its values after the call); how grad and backward
    were used."""

    x_requires_grad: bool
    x_grad_is_none: bool
    x_after: Description
    grad_calls: int
    backward_calls: int
    backward_passes: int
    functional: bool


@probe("ch3.ex08.run")
def run(sub: Submission, device: str, func: str, f: str, params: dict[str, torch.Tensor],
        x: torch.Tensor, requires_grad: bool, more: list[Any]) -> RunObservation:
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
