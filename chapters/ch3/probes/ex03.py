"""Probes for ex03_autograd: the loss and its gradients, freezing, inference.

``build_model`` is the grader-owned model (Dropout, BatchNorm, a shared layer) that the
probes hand to the student code and the checks rebuild on the judge side.
"""

from __future__ import annotations

from typing import TypedDict

import torch
from torch import nn

from chapters.ch3.probes.ex02 import CallRecorder
from grader.probing.observe import Description, describe, to_device
from grader.probing.registry import probe
from grader.probing.submission import Submission

MODULE = "ex03_autograd"
FEATURES = 6
AUTOGRAD = ("backward", "grad")  # Tensor.backward and torch.autograd.backward; torch.autograd.grad


def build_model(seed: int) -> nn.Sequential:
    """(N, 6) → (N, 3): Linear, BatchNorm1d, ReLU, Dropout(0.5), a hidden Linear used twice
    (one shared Parameter set), Tanh, Linear. Every parameter and running statistic is drawn
    from ``seed``, so the judge rebuilds the very model a probe used."""
    hidden = nn.Linear(16, 16)
    model = nn.Sequential(nn.Linear(FEATURES, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.5),
                          hidden, nn.ReLU(), hidden, nn.Tanh(), nn.Linear(16, 3))
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for t in [*model.parameters(), model[1].running_mean]:
            t.copy_(torch.randn(t.shape, generator=gen) * 0.5)
        model[1].running_var.copy_(torch.rand(16, generator=gen) + 0.5)
    return model


# -- probes: student side --

class XAfter(TypedDict):
    """x after the call: whether its values stayed, its ``.grad``, its ``requires_grad`` after and before."""

    values_unchanged: bool
    grad: Description
    requires_grad: bool
    requires_grad_before: bool


class ApplyObservation(TypedDict):
    """The result, x afterwards, and which of autograd's entry points the call used."""

    result: Description
    x_after: XAfter
    autograd_calls: list[str]


class FreezeObservation(TypedDict):
    """What each call returned; each parameter's ``requires_grad`` afterwards; whether values stayed."""

    results: list[Description]
    requires_grad: dict[str, bool]
    values_unchanged: bool


class PredictObservation(TypedDict):
    """The output; each module's training flag before and after; the state entries changed;
    whether every parameter still requires grad."""

    result: Description
    modes_before: dict[str, bool]
    modes_after: dict[str, bool]
    state_changed: list[str]
    params_require_grad: bool


@probe("ch3.ex03.apply")
def apply(sub: Submission, device: str, func: str, x: torch.Tensor, requires_grad: bool,
          grad: torch.Tensor | None = None) -> ApplyObservation:
    """``func(x)`` for a leaf x on ``device`` (requiring grad or not, with ``.grad`` preset or
    None); the result, x afterwards, and the names of the autograd functions it called."""
    leaf = to_device(x, device).requires_grad_(requires_grad)
    if grad is not None:
        leaf.grad = to_device(grad, device)
    values = leaf.detach().clone()
    fn = getattr(sub.module(MODULE), func)
    with CallRecorder() as recorder:
        result = sub.call(fn, leaf)
    return {
        "result": describe(result),
        "x_after": {"values_unchanged": bool(torch.equal(leaf.detach(), values)), "grad": describe(leaf.grad),
                    "requires_grad": leaf.requires_grad, "requires_grad_before": requires_grad},
        "autograd_calls": sorted(recorder.names.intersection(AUTOGRAD)),
    }


@probe("ch3.ex03.freeze")
def freeze(sub: Submission, device: str, model_seed: int, frozen: list[str], calls: int = 1) -> FreezeObservation:
    """``freeze_(model)`` ``calls`` times on the grader model with the parameters ``frozen``
    already frozen; what each call returned and the model afterwards."""
    model = build_model(model_seed).to(device)
    named = dict(model.named_parameters())
    for name in frozen:
        named[name].requires_grad_(False)
    values = {name: p.detach().clone() for name, p in named.items()}
    results = [describe(sub.call(sub.module(MODULE).freeze_, model)) for _ in range(calls)]
    return {
        "results": results,
        "requires_grad": {name: p.requires_grad for name, p in named.items()},
        "values_unchanged": all(torch.equal(p.detach(), values[name]) for name, p in named.items()),
    }


@probe("ch3.ex03.predict")
def predict(sub: Submission, device: str, model_seed: int, x: torch.Tensor, train: bool,
            modes: dict[str, bool] | None = None) -> PredictObservation:
    """``predict(model, x)`` on the grader model in train or eval mode, then with the
    ``training`` flag of each submodule named in ``modes`` set to its own value (a BatchNorm
    kept in eval mode, say); the output and what changed in the model."""
    model = build_model(model_seed).to(device).train(train)
    for name, mode in (modes or {}).items():
        model.get_submodule(name).training = mode
    modes = {name: m.training for name, m in model.named_modules()}
    state = {name: t.clone() for name, t in model.state_dict().items()}
    result = sub.call(sub.module(MODULE).predict, model, to_device(x, device))
    return {
        "result": describe(result),
        "modes_before": modes,
        "modes_after": {name: m.training for name, m in model.named_modules()},
        "state_changed": [name for name, t in model.state_dict().items()
                          if name not in state or not torch.equal(t, state[name])],
        "params_require_grad": all(p.requires_grad for p in model.parameters()),
    }
