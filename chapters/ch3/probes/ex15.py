"""Probes for ex15_linear_regression: one training run, what it returned and how it trained.

The run-time half of the usage rules: the names of the autograd functions the call used
(``backward``, ``grad``) and the class of the optimiser at each ``step()`` it made (every
optimiser's steps fire torch's global step hooks).
"""

from __future__ import annotations

from typing import Any, TypedDict

import torch
from torch import nn
from torch.optim.optimizer import register_optimizer_step_post_hook

from chapters.ch3.probes.ex02 import CallRecorder
from grader.probing.observe import Description, describe, to_device
from grader.probing.registry import probe
from grader.probing.submission import Submission

MODULE = "ex15_linear_regression"
AUTOGRAD = ("backward", "grad")  # Tensor.backward and torch.autograd.backward; torch.autograd.grad


class TrainObservation(TypedDict):
    """What the call returned; a returned module's parameters by name (empty for anything else);
    whether x, y, w0 and b0 kept their values; the autograd functions called; the optimiser's
    class at each step."""

    result: Description
    parameters: dict[str, Description]
    inputs_unchanged: bool
    autograd_calls: list[str]
    optimizer_steps: list[str]


@probe("ch3.ex15.train")
def train(sub: Submission, device: str, func: str, x: torch.Tensor, y: torch.Tensor, w0: torch.Tensor,
          b0: torch.Tensor, lr: float, epochs: int, batch_size: int, seed: int) -> TrainObservation:
    """``func(x, y, w0, b0, lr=…, epochs=…, batch_size=…, seed=…)`` with the tensors on ``device``."""
    inputs = to_device({"x": x, "y": y, "w0": w0, "b0": b0}, device)
    before = {name: t.clone() for name, t in inputs.items()}
    steps: list[str] = []

    def record(optimizer: Any, args: Any, kwargs: Any) -> None:
        steps.append(type(optimizer).__name__)

    fn = getattr(sub.module(MODULE), func)
    hook = register_optimizer_step_post_hook(record)
    try:
        with CallRecorder() as recorder:
            result = sub.call(fn, inputs["x"], inputs["y"], inputs["w0"], inputs["b0"], lr=lr, epochs=epochs,
                              batch_size=batch_size, seed=seed)
    finally:
        hook.remove()
    parameters = dict(result.named_parameters()) if isinstance(result, nn.Module) else {}
    return {
        "result": describe(result),
        "parameters": {name: describe(p) for name, p in parameters.items()},
        "inputs_unchanged": all(torch.equal(inputs[name], t) for name, t in before.items()),
        "autograd_calls": sorted(recorder.names.intersection(AUTOGRAD)),
        "optimizer_steps": steps,
    }
