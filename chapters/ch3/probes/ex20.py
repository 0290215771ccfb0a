"""Probes for ex20_custom_parts: the Huber loss and its gradients, the custom layer's
registered parameters, its forward pass, and its training by an optimizer.
"""

from __future__ import annotations

from typing import TypedDict

import torch
import torch.nn.functional as F
from torch import nn

from chapters.ch3.probes.ex02 import CallRecorder
from grader.probing.observe import Description, describe, to_device
from grader.probing.registry import probe
from grader.probing.submission import Submission

MODULE = "ex20_custom_parts"


class LossObservation(TypedDict):
    """The loss, its gradients w.r.t. pred and target, the loss module's parameters, whether the
    inputs were left alone, and the names of the torch functions the call used."""

    is_module: bool
    parameters: int
    result: Description
    grads: dict[str, Description]
    inputs_unchanged: bool
    calls: list[str]


class BuildObservation(TypedDict):
    """A fresh layer: whether it is a module, its named parameters, its state_dict, its
    ``weight`` and ``bias`` attributes (None when absent), and the ``weight`` of a second layer
    built at the same seed and of a third built at the next seed."""

    is_module: bool
    parameters: dict[str, Description]
    state_dict: dict[str, Description]
    weight: Description
    bias: Description
    weight_again: Description
    weight_next_seed: Description


class ForwardObservation(TypedDict):
    """``layer(x)`` with the given weight and bias, the gradients that reached them and x after
    ``y.backward(upstream)``, and the parameters after SGD steps on the MSE against ``target``."""

    result: Description
    grads: dict[str, Description]
    trained: dict[str, Description]


@probe("ch3.ex20.loss")
def loss(sub: Submission, device: str, pred: torch.Tensor, target: torch.Tensor,
         delta: float | None = None) -> LossObservation:
    """``HuberLoss(delta)(pred, target)`` (``HuberLoss()`` when ``delta`` is None) with pred and
    target leaves that require grad, then ``.backward()`` on a 0-d tensor result."""
    leaves = {"pred": to_device(pred, device).requires_grad_(True),
              "target": to_device(target, device).requires_grad_(True)}
    before = {k: v.detach().clone() for k, v in leaves.items()}
    cls = sub.module(MODULE).HuberLoss
    with CallRecorder() as recorder:
        fn = sub.call(cls) if delta is None else sub.call(cls, delta)
        result = sub.call(fn, leaves["pred"], leaves["target"])
    if isinstance(result, torch.Tensor) and result.dim() == 0 and result.requires_grad:
        sub.call(result.backward)
    return {
        "is_module": isinstance(fn, nn.Module),
        "parameters": len(list(fn.parameters())) if isinstance(fn, nn.Module) else 0,
        "result": describe(result),
        "grads": {k: describe(v.grad) for k, v in leaves.items()},
        "inputs_unchanged": all(torch.equal(leaves[k].detach(), v) for k, v in before.items()),
        "calls": sorted(recorder.names),
    }


def _layer(sub: Submission, in_features: int, out_features: int, seed: int) -> nn.Module:
    """The student's ``CustomLinear(in_features, out_features)``, built with the global generator at ``seed``."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        layer: nn.Module = sub.call(sub.module(MODULE).CustomLinear, in_features, out_features)
    return layer


@probe("ch3.ex20.build")
def build(sub: Submission, device: str, in_features: int, out_features: int, seed: int) -> BuildObservation:
    """A fresh ``CustomLinear(in_features, out_features)`` moved to ``device``: what it registered
    (a plain tensor attribute is not moved)."""
    layer = _layer(sub, in_features, out_features, seed)
    is_module = isinstance(layer, nn.Module)
    if is_module:
        sub.call(layer.to, device)
    return {
        "is_module": is_module,
        "parameters": {name: describe(p) for name, p in layer.named_parameters()} if is_module else {},
        "state_dict": {name: describe(t) for name, t in layer.state_dict().items()} if is_module else {},
        "weight": describe(getattr(layer, "weight", None)),
        "bias": describe(getattr(layer, "bias", None)),
        "weight_again": describe(getattr(_layer(sub, in_features, out_features, seed), "weight", None)),
        "weight_next_seed": describe(getattr(_layer(sub, in_features, out_features, seed + 1), "weight", None)),
    }


@probe("ch3.ex20.forward")
def forward(sub: Submission, device: str, weight: torch.Tensor, bias: torch.Tensor, x: torch.Tensor,
            upstream: torch.Tensor, target: torch.Tensor, lr: float, steps: int) -> ForwardObservation:
    """A ``CustomLinear`` given ``weight`` and ``bias`` (copied into its attributes), moved to
    ``device``: ``y = layer(x)`` for an x that requires grad, ``y.backward(upstream)``, the gradients
    of ``weight``, ``bias`` and ``x``;
    then ``steps`` steps of ``torch.optim.SGD(layer.parameters(), lr)`` on
    ``F.mse_loss(layer(x), target)`` and the two attributes afterwards."""
    layer = _layer(sub, weight.shape[0], weight.shape[1], 0).to(device)
    with torch.no_grad():
        layer.weight.copy_(weight)
        layer.bias.copy_(bias)
    x, upstream, target = (to_device(t, device) for t in (x, upstream, target))
    leaf = x.detach().requires_grad_(True)
    y = sub.call(layer, leaf)
    if isinstance(y, torch.Tensor) and y.shape == upstream.shape and y.requires_grad:
        sub.call(y.backward, upstream.to(y.dtype))
    grads = {name: describe(getattr(layer, name).grad) for name in ("weight", "bias")} | {"x": describe(leaf.grad)}
    parameters = list(layer.parameters())
    optimizer = torch.optim.SGD(parameters, lr=lr) if parameters else None
    for _ in range(steps if optimizer is not None else 0):
        optimizer.zero_grad()  # type: ignore[union-attr]
        out = sub.call(layer, x)
        if not (isinstance(out, torch.Tensor) and out.shape == target.shape and out.requires_grad):
            break
        sub.call(F.mse_loss(out, target.to(out.dtype)).backward)
        optimizer.step()  # type: ignore[union-attr]
    return {"result": describe(y), "grads": grads,
            "trained": {name: describe(getattr(layer, name)) for name in ("weight", "bias")}}
