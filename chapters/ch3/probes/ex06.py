"""Probes for ex06_einsum: the EQUATIONS strings, and each function's result and einsum use."""

from __future__ import annotations

from typing import Any

import torch
from torch.overrides import TorchFunctionMode

from grader.probing.observe import Description, ResultObservation, describe, to_device
from grader.probing.registry import probe
from grader.probing.submission import Submission

MODULE = "ex06_einsum"


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
    """The result, how many times the call reached torch.einsum, and the operands after the call."""

    einsum_calls: int
    operands: list[Description]


@probe("ch3.ex06.EQUATIONS")
def equations(sub: Submission, device: str, names: list[str]) -> Description:
    """The ``EQUATIONS`` entries for ``names``, described; not implemented while any is missing."""
    table = getattr(sub.module(MODULE), "EQUATIONS", None)
    if isinstance(table, dict):
        missing = [name for name in names if name not in table]
        if missing:
            raise NotImplementedError(f"EQUATIONS has no entry for {', '.join(missing)}")
        return describe({name: table[name] for name in names})
    return describe(table)


@probe("ch3.ex06.call")
def call(sub: Submission, device: str, func: str, args: list[torch.Tensor]) -> CallObservation:
    """``func(*args)`` on ``device``: its result, how many times it called torch.einsum, and the
    operands as the call left them."""
    fn = getattr(sub.module(MODULE), func)
    operands = to_device(args, device)
    with _EinsumSpy() as spy:
        result = sub.call(fn, *operands)
    return {"result": describe(result), "einsum_calls": spy.calls, "operands": [describe(o) for o in operands]}
