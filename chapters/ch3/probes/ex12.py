"""Probes for ex12_normalise: a function's result, and its tensor arguments as they were after the call."""

from __future__ import annotations

from typing import Any

from grader.probing.observe import Description, ResultObservation, describe, to_device
from grader.probing.registry import probe
from grader.probing.submission import Submission

MODULE = "ex12_normalise"


class RunObservation(ResultObservation):
    """The result, and each positional argument described after the call."""

    args_after: list[Description]


@probe("ch3.ex12.run")
def run(sub: Submission, device: str, func: str, args: list[Any], kwargs: dict[str, Any]) -> RunObservation:
    """``func(*args, **kwargs)`` with the tensors on ``device``; the result and the arguments after."""
    moved = to_device(args, device)
    result = sub.call(getattr(sub.module(MODULE), func), *moved, **kwargs)
    return {"result": describe(result), "args_after": [describe(arg) for arg in moved]}
