"""Probes for ex06_einsum: the EQUATIONS strings, and each function's result and einsum use.

``reference`` is what the exercise statement defines each function to compute, written
without einsum; the checks use it on the judge side (CPU, float64).
"""

from __future__ import annotations

import math
from typing import Any, Callable

import torch
from torch.overrides import TorchFunctionMode

from grader.probes.base import Description, ResultObservation, describe, probe, to_device
from grader.student import Submission

MODULE = "ex06_einsum"


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


class _EinsumSpy(TorchFunctionMode):
    """Counts calls to torch.einsum, however the student code imported it."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def __torch_function__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
        if getattr(func, "__name__", "") == "einsum":
            self.calls += 1
        return func(*args, **(kwargs or {}))


class CallObservation(ResultObservation):
    """The result, and how many times the call reached torch.einsum."""

    einsum_calls: int


@probe("ex06.EQUATIONS")
def equations(sub: Submission, device: str, names: list[str]) -> Description:
    """The ``EQUATIONS`` entries for ``names``, described; not implemented while any is missing."""
    table = getattr(sub.module(MODULE), "EQUATIONS", None)
    if isinstance(table, dict):
        missing = [name for name in names if name not in table]
        if missing:
            raise NotImplementedError(f"EQUATIONS has no entry for {', '.join(missing)}")
        return describe({name: table[name] for name in names})
    return describe(table)


@probe("ex06.call")
def call(sub: Submission, device: str, func: str, args: list[torch.Tensor]) -> CallObservation:
    """``func(*args)`` on ``device``: its result, and how many times it called torch.einsum."""
    fn = getattr(sub.module(MODULE), func)
    with _EinsumSpy() as spy:
        result = sub.call(fn, *to_device(args, device))
    return {"result": describe(result), "einsum_calls": spy.calls}
