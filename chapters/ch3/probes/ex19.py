"""Probes for ex19_mixed_precision: the scaler made, the autocast forward pass, and training steps.

The model is grader-owned (:func:`build_model`, float32, drawn from a seed), so the judge
recomputes logits, loss and gradients in float64. The scalers handed to ``train_step`` are
built here, enabled even on the CPU (bfloat16 does not need one, but then scaling, unscaling,
skipping and the scale's growth are all observable).
"""

from __future__ import annotations

import contextlib
import inspect
import warnings
from collections.abc import Iterator
from typing import Any, Literal, TypedDict

import torch
from torch import nn

from grader.probing.observe import Description, describe, to_device, type_name
from grader.probing.registry import probe
from grader.probing.submission import Submission

MODULE = "ex19_mixed_precision"


def build_model(features: int, hidden: int, classes: int, seed: int, activation: Literal["tanh", "relu"] = "tanh",
                ) -> nn.Sequential:
    """Linear(features, hidden), Tanh or ReLU, Linear(hidden, classes), float32 on the CPU, drawn
    from ``seed``. Tanh is smooth, so low precision moves gradients only a little; ReLU's
    gradients grow with x without bound."""
    act = nn.Tanh() if activation == "tanh" else nn.ReLU()
    model = nn.Sequential(nn.Linear(features, hidden), act, nn.Linear(hidden, classes))
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * 0.5)
    return model


@contextlib.contextmanager
def _scalers_made() -> Iterator[list[dict[str, Any]]]:
    """Meanwhile, the arguments (defaults filled in) each ``torch.amp.GradScaler`` was constructed with."""
    cls = torch.amp.GradScaler
    init = cls.__init__
    signature = inspect.signature(init)
    made: list[dict[str, Any]] = []

    def spying_init(self: torch.amp.GradScaler, *args: Any, **kwargs: Any) -> None:
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        made.append({name: value if type(value) in (bool, int, float, str) else repr(value)
                     for name, value in bound.arguments.items() if name != "self"})
        init(self, *args, **kwargs)

    cls.__init__ = spying_init  # type: ignore[method-assign]
    try:
        yield made
    finally:
        cls.__init__ = init  # type: ignore[method-assign]


class ScalerObservation(TypedDict):
    """The type of what ``make_scaler`` returned, whether it is enabled here (None if it is no
    GradScaler), and the arguments of every GradScaler constructed."""

    type: str
    enabled: bool | None
    made: list[dict[str, str | bool | int | float]]


class ForwardObservation(TypedDict):
    """What ``amp_forward`` returned; the parameters' dtypes afterwards; whether autocast was
    still on afterwards."""

    result: Description
    param_dtypes: list[str]
    autocast_after: bool


class StepObservation(TypedDict):
    """What ``train_step`` returned; the parameters afterwards; the scaler's scale afterwards;
    the model's mode at each forward pass."""

    result: Description
    params: dict[str, torch.Tensor]
    scale: float
    training: list[bool]


@probe("ch3.ex19.make_scaler")
def make_scaler(sub: Submission, device: str, device_type: str) -> ScalerObservation:
    """``make_scaler(device_type)``, whatever the machine (a "cuda" scaler is disabled, with a
    warning, where there is no GPU: what it was built with tells)."""
    with _scalers_made() as made, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scaler = sub.call(sub.module(MODULE).make_scaler, device_type)
    enabled = sub.call(scaler.is_enabled) if isinstance(scaler, torch.amp.GradScaler) else None
    return {"type": type_name(scaler), "enabled": enabled, "made": made}


@probe("ch3.ex19.forward")
def forward(sub: Submission, device: str, seed: int, hidden: int, classes: int, activation: Literal["tanh", "relu"],
            x: torch.Tensor, target: torch.Tensor) -> ForwardObservation:
    """``amp_forward(model, x, target, device_type)`` with the grader model, x and target on ``device``."""
    device_type = torch.device(device).type
    model = build_model(x.shape[1], hidden, classes, seed, activation).to(device)
    result = sub.call(sub.module(MODULE).amp_forward, model, to_device(x, device), to_device(target, device),
                      device_type)
    return {"result": describe(result),
            "param_dtypes": sorted({str(p.dtype).removeprefix("torch.") for p in model.parameters()}),
            "autocast_after": torch.is_autocast_enabled(device_type)}


@probe("ch3.ex19.step")
def step(sub: Submission, device: str, seed: int, hidden: int, classes: int, activation: Literal["tanh", "relu"],
         x: torch.Tensor, target: torch.Tensor, lr: float, init_scale: float, enabled: bool,
         stale_grad: float) -> StepObservation:
    """``train_step(model, SGD(lr), scaler, x, target, device_type)`` for the grader model in
    eval mode, its parameters holding a gradient of ``stale_grad`` everywhere, with
    ``GradScaler(device_type, init_scale=init_scale, growth_interval=1, enabled=enabled)``."""
    device_type = torch.device(device).type
    model = build_model(x.shape[1], hidden, classes, seed, activation).to(device).eval()
    for p in model.parameters():
        p.grad = torch.full_like(p, stale_grad)
    modes: list[bool] = []

    def note(module: nn.Module, args: object, out: object) -> None:
        modes.append(module.training)

    model.register_forward_hook(note)
    scaler = torch.amp.GradScaler(device_type, init_scale=init_scale, growth_interval=1, enabled=enabled)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    result = sub.call(sub.module(MODULE).train_step, model, optimizer, scaler, to_device(x, device),
                      to_device(target, device), device_type)
    return {"result": describe(result), "scale": float(scaler.get_scale()), "training": modes,
            "params": {name: p.detach().cpu().clone() for name, p in model.named_parameters()}}
