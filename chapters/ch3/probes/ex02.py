"""Probes for ex02_linear: the forward pass and its gradients, gradcheck, re-initialisation.
"""

from __future__ import annotations

from typing import Any, TypedDict

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

from grader.probing.observe import Description, ResultObservation, describe, to_device
from grader.probing.registry import probe
from grader.probing.submission import Submission

MODULE = "ex02_linear"


def _leaves(device: str, tensors: dict[str, torch.Tensor | None],
            requires_grad: bool) -> dict[str, torch.Tensor | None]:
    """The tensors on ``device`` as leaves that require grad or not (None stays None)."""
    return {k: None if v is None else to_device(v, device).requires_grad_(requires_grad) for k, v in tensors.items()}


class CallRecorder(TorchFunctionMode):
    """Records the names of the torch functions called inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def __torch_function__(self, func: Any, types: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
        self.names.add(getattr(func, "__name__", str(func)))
        return func(*args, **(kwargs or {}))


class LinearObservation(ResultObservation):
    """The result, the names of the torch functions it used, whether the inputs were left alone."""

    calls: list[str]
    inputs_unchanged: bool


class LinearGradsObservation(LinearObservation):
    """With ``upstream``: also the gradients that reached the inputs (by name)."""

    grads: dict[str, Description]


class GradcheckObservation(ResultObservation):
    """A float64 result that requires grad, and whether gradcheck passed."""

    passed: bool


class InitObservation(TypedDict):
    """What ``init_linear_`` returned (None when the layer itself) and the layer afterwards."""

    same_layer: bool
    result: Description | None
    same_parameters: bool
    weight: Description
    bias: Description


@probe("ch3.ex02.linear")
def linear(sub: Submission, device: str, x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None,
           upstream: torch.Tensor | None = None) -> LinearGradsObservation | LinearObservation:
    """``linear_forward(x, weight, bias)``; with ``upstream``, then ``y.backward(upstream)``
    and the gradients that reached the inputs. Also whether the inputs were left as they were
    and the names of the torch functions the call used."""
    leaves = _leaves(device, {"x": x, "weight": weight, "bias": bias}, upstream is not None)
    before = {k: v.detach().clone() for k, v in leaves.items() if v is not None}
    fn = sub.module(MODULE).linear_forward
    with CallRecorder() as recorder:
        y = sub.call(fn, leaves["x"], leaves["weight"], leaves["bias"])
    observed: dict[str, Any] = {
        "result": describe(y),
        "calls": sorted(recorder.names),
        "inputs_unchanged": all(torch.equal(leaves[k].detach(), v) for k, v in before.items()),
    }
    if upstream is not None:
        g = to_device(upstream, device)
        same = isinstance(y, torch.Tensor) and (y.shape, y.dtype, y.device) == (g.shape, g.dtype, g.device)
        if same and y.requires_grad:
            sub.call(y.backward, g)
        observed["grads"] = {k: describe(v.grad) for k, v in leaves.items() if v is not None}
    return observed


@probe("ch3.ex02.gradcheck")
def gradcheck(sub: Submission, device: str, x: torch.Tensor, weight: torch.Tensor,
              bias: torch.Tensor) -> GradcheckObservation | ResultObservation:
    """``torch.autograd.gradcheck`` of ``linear_forward`` in float64 at (x, weight, bias)."""
    inputs = tuple(_leaves(device, {"x": x, "weight": weight, "bias": bias}, True).values())
    fn = sub.module(MODULE).linear_forward
    y = sub.call(fn, *inputs)
    observed: dict[str, Any] = {"result": describe(y)}
    if isinstance(y, torch.Tensor) and y.requires_grad and y.dtype == torch.float64:
        observed["passed"] = bool(sub.call(torch.autograd.gradcheck, fn, inputs, raise_exception=False))
    return observed


@probe("ch3.ex02.init")
def init(sub: Submission, device: str, scheme: str, in_features: int, out_features: int, seed: int,
         bias: bool = True, dtype: str = "float32") -> InitObservation:
    """``init_linear_(layer, scheme)`` on a fresh ``nn.Linear`` whose parameters hold a sentinel;
    the layer's parameters afterwards and whether the objects are the same ones."""
    layer = nn.Linear(in_features, out_features, bias=bias, device=device, dtype=getattr(torch, dtype))
    with torch.no_grad():
        for p in layer.parameters():
            p.fill_(7.0)
    weight, old_bias = layer.weight, layer.bias
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)  # seeds the CUDA generators as well
        result = sub.call(sub.module(MODULE).init_linear_, layer, scheme)
    return {
        "same_layer": result is layer,
        "result": describe(result) if result is not layer else None,
        "same_parameters": layer.weight is weight and layer.bias is old_bias,
        "weight": describe(layer.weight),
        "bias": describe(layer.bias),
    }
