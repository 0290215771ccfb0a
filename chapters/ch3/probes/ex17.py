"""Probes for ex17_grad_semantics: a grader model with preset gradients handed to one function, and
what became of its gradients, buffers and modes; plain tensor functions and the autograd calls
they made.

``build_model`` is the grader-owned model the probes use and the checks rebuild judge-side.
"""

from __future__ import annotations

from typing import Any, TypedDict

import torch
from torch import nn

from chapters.ch3.probes.ex02 import CallRecorder
from grader.probing.observe import Description, describe, to_device
from grader.probing.registry import probe
from grader.probing.submission import Submission

MODULE = "ex17_grad_semantics"
FEATURES = 4
AUTOGRAD = ("backward", "grad")  # Tensor.backward and torch.autograd.backward; torch.autograd.grad


def build_model(seed: int, kind: str = "batchnorm") -> nn.Module:
    """``"batchnorm"``: (N, 4) → (N, 2), Linear, BatchNorm1d, ReLU, Linear, every parameter and
    running statistic drawn from ``seed``; ``"dropout"``: a lone Dropout(0.5)."""
    if kind == "dropout":
        return nn.Dropout(0.5)
    norm = nn.BatchNorm1d(6)
    model = nn.Sequential(nn.Linear(FEATURES, 6), norm, nn.ReLU(), nn.Linear(6, 2))
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for t in [*model.parameters(), norm.running_mean]:
            t.copy_(torch.randn(t.shape, generator=gen))
        norm.running_var.copy_(torch.rand(6, generator=gen) + 0.5)
    return model


class ModelObservation(TypedDict):
    """The result; each parameter's ``.grad`` afterwards (None when None); the buffers afterwards;
    each module's training flag before and after; whether the parameters kept their values."""

    result: Description
    grads: dict[str, Description | None]
    buffers: dict[str, Description]
    modes_before: dict[str, bool]
    modes_after: dict[str, bool]
    parameters_unchanged: bool


class ApplyObservation(TypedDict):
    """The result; whether the inputs kept their values; the autograd functions called."""

    result: Description
    inputs_unchanged: bool
    autograd_calls: list[str]


@probe("ch3.ex17.model")
def model_call(sub: Submission, device: str, func: str, model_seed: int, train: bool, args: list[Any],
               grads: dict[str, torch.Tensor], kind: str = "batchnorm") -> ModelObservation:
    """``func(model, *args)`` on the grader model in train or eval mode, its parameters' ``.grad``
    preset to ``grads`` (the others None)."""
    model = build_model(model_seed, kind).to(device).train(train)
    named = dict(model.named_parameters())
    for name, grad in grads.items():
        named[name].grad = to_device(grad, device)
    values = {name: p.detach().clone() for name, p in named.items()}
    modes = {name: m.training for name, m in model.named_modules()}
    result = sub.call(getattr(sub.module(MODULE), func), model, *to_device(args, device))
    return {
        "result": describe(result),
        "grads": {name: describe(p.grad) if p.grad is not None else None for name, p in named.items()},
        "buffers": {name: describe(b) for name, b in model.named_buffers()},
        "modes_before": modes,
        "modes_after": {name: m.training for name, m in model.named_modules()},
        "parameters_unchanged": all(torch.equal(p.detach(), values[name]) for name, p in named.items()),
    }


@probe("ch3.ex17.apply")
def apply(sub: Submission, device: str, func: str, args: list[torch.Tensor],
          as_losses: bool = False) -> ApplyObservation:
    """``func(*args)`` with the tensors on ``device``; with ``as_losses``, ``func`` gets the one
    argument's values as a list of 0-d tensors, each with a graph (as a training loop's losses)."""
    inputs = [to_device(a, device) for a in args]
    before = [a.clone() for a in inputs]
    fn = getattr(sub.module(MODULE), func)
    call_args: list[Any] = [list(inputs[0].requires_grad_(True).unbind())] if as_losses else inputs
    with CallRecorder() as recorder:
        result = sub.call(fn, *call_args)
    return {
        "result": describe(result),
        "inputs_unchanged": all(torch.equal(a.detach(), b) for a, b in zip(inputs, before, strict=True)),
        "autograd_calls": sorted(recorder.names.intersection(AUTOGRAD)),
    }
