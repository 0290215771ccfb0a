"""Probes for ex21_finetune_head: a new head on a torchvision ShuffleNetV2, a frozen backbone, an
optimizer over the head, and training steps with it.

``build_model`` is the grader-owned model: ``torchvision.models.shufflenet_v2_x0_5(weights=None)``
(nothing is downloaded; its classifier is ``model.fc`` as in a ResNet, and it builds and runs in a
fifth of ResNet-18's time) drawn from a seed, in eval mode so that its BatchNorm layers use (and
keep) their running statistics. The checks never rebuild it: what they compare comes back from the probes,
the features the backbone gives (``model.conv5``'s output averaged over space, caught by a hook)
included.
"""

from __future__ import annotations

import functools
from typing import Any, TypedDict

import torch
import torch.nn.functional as F
from torch import nn
from torchvision.models import ShuffleNetV2, shufflenet_v2_x0_5

from grader.probing.observe import Description, describe, to_device, type_name
from grader.probing.registry import probe
from grader.probing.submission import Submission

MODULE = "ex21_finetune_head"
FEATURES = 1024  # shufflenet_v2_x0_5's fc.in_features
NOT_THE_MODELS = "(not a parameter of the model)"


def build_model(seed: int, device: str) -> ShuffleNetV2:
    """ShuffleNetV2 (×0.5) with random weights drawn from ``seed``, on ``device``, in eval mode."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = shufflenet_v2_x0_5(weights=None)
    return model.to(device).eval()


@functools.cache
def parameter_names() -> tuple[str, ...]:
    """The names of the model's parameters (built on the meta device: no memory used)."""
    with torch.device("meta"):
        return tuple(name for name, _ in shufflenet_v2_x0_5(weights=None).named_parameters())


def _backbone(model: nn.Module) -> dict[str, torch.Tensor]:
    """Copies of every state entry of ``model`` outside ``fc``."""
    return {name: t.detach().clone() for name, t in model.state_dict().items() if not name.startswith("fc.")}


def _same(model: nn.Module, before: dict[str, torch.Tensor]) -> bool:
    """Whether the state entries outside ``fc`` are those of ``before``."""
    now = {name: t for name, t in model.state_dict().items() if not name.startswith("fc.")}
    return now.keys() == before.keys() and all(torch.equal(now[k], v) for k, v in before.items())


class Forward:
    """Runs the model, catching the backbone's features: ``conv5``'s output averaged over space,
    what ``model.fc`` gets."""

    def __init__(self, model: nn.Module) -> None:
        self.model = model
        self.features: list[torch.Tensor] = []
        model.conv5.register_forward_hook(lambda _m, _i, out: self.features.append(out.detach().mean([2, 3])))

    def __call__(self, sub: Submission, x: torch.Tensor) -> Any:
        return sub.call(self.model, x)


class HeadObservation(TypedDict):
    """What ``replace_head`` returned (whether ``model.fc`` itself), ``model.fc`` afterwards, the
    features and output of ``model(x)``, and whether the backbone stayed as it was."""

    returned_fc: bool
    result: Description
    fc_type: str
    weight: Description
    bias: Description
    features: Description
    output: Description
    backbone_unchanged: bool


class FreezeObservation(TypedDict):
    """What ``freeze_backbone`` returned, each parameter's ``requires_grad`` afterwards, whether values stayed."""

    result: Description
    requires_grad: dict[str, bool]
    values_unchanged: bool


class GroupObservation(TypedDict):
    """One parameter group: its parameters by name (model's ``named_parameters``), lr, momentum."""

    params: list[str]
    lr: Description
    momentum: Description


class OptimizerObservation(TypedDict):
    """The optimizer's type and parameter groups."""

    type: str
    groups: list[GroupObservation]


class OptimizersObservation(TypedDict):
    """``head_optimizer(model, lr)`` and ``head_optimizer(model, lr, momentum)``."""

    default: OptimizerObservation
    given: OptimizerObservation


class TrainObservation(TypedDict):
    """The head before and after the training steps, the features, whether the backbone stayed."""

    features: Description
    before: dict[str, Description]
    after: dict[str, Description]
    backbone_unchanged: bool


@probe("ch3.ex21.head")
def head(sub: Submission, device: str, seed: int, num_classes: int, x: torch.Tensor) -> HeadObservation:
    """``replace_head(model, num_classes)`` on the grader's model, then ``model(x)`` without a graph."""
    model = build_model(seed, device)
    before = _backbone(model)
    result = sub.call(sub.module(MODULE).replace_head, model, num_classes)
    forward = Forward(model)
    with torch.no_grad():
        output = forward(sub, to_device(x, device))
    fc = model.fc
    return {
        "returned_fc": result is fc,
        "result": describe(None if result is fc else result),
        "fc_type": type_name(fc),
        "weight": describe(getattr(fc, "weight", None)),
        "bias": describe(getattr(fc, "bias", None)),
        "features": describe(forward.features[0] if forward.features else None),
        "output": describe(output),
        "backbone_unchanged": _same(model, before),
    }


@probe("ch3.ex21.freeze")
def freeze(sub: Submission, device: str, seed: int, frozen: list[str]) -> FreezeObservation:
    """``freeze_backbone(model)`` on the grader's model whose parameters named in ``frozen``
    were frozen before the call."""
    model = build_model(seed, device)
    named = dict(model.named_parameters())
    for name in frozen:
        named[name].requires_grad_(False)
    values = {name: p.detach().clone() for name, p in named.items()}
    result = sub.call(sub.module(MODULE).freeze_backbone, model)
    return {
        "result": describe(result),
        "requires_grad": {name: p.requires_grad for name, p in model.named_parameters()},
        "values_unchanged": all(torch.equal(p.detach(), values[name]) for name, p in named.items()),
    }


def _optimizer(optimizer: Any, names: dict[int, str]) -> OptimizerObservation:
    """An optimizer's type and its groups, parameters named after the model's."""
    groups = getattr(optimizer, "param_groups", None) if isinstance(optimizer, torch.optim.Optimizer) else None
    return {
        "type": type_name(optimizer),
        "groups": [{"params": [names.get(id(p), NOT_THE_MODELS) for p in group.get("params", [])],
                    "lr": describe(group.get("lr")), "momentum": describe(group.get("momentum"))}
                   for group in groups or []],
    }


@probe("ch3.ex21.optimizer")
def optimizer(sub: Submission, device: str, seed: int, lr: float, momentum: float) -> OptimizersObservation:
    """``head_optimizer(model, lr)`` and ``head_optimizer(model, lr, momentum)`` on the grader's model."""
    model = build_model(seed, device)
    names = {id(p): name for name, p in model.named_parameters()}
    fn = sub.module(MODULE).head_optimizer
    return {"default": _optimizer(sub.call(fn, model, lr), names),
            "given": _optimizer(sub.call(fn, model, lr, momentum), names)}


@probe("ch3.ex21.train")
def train(sub: Submission, device: str, seed: int, num_classes: int, x: torch.Tensor, y: torch.Tensor,
          lr: float, momentum: float, steps: int) -> TrainObservation:
    """``replace_head``, ``freeze_backbone`` and ``head_optimizer(model, lr, momentum)`` on the
    grader's model, then ``steps`` steps of zero_grad, cross-entropy of ``model(x)`` against
    ``y``, backward, step (the model stays in eval mode)."""
    module = sub.module(MODULE)
    model = build_model(seed, device)
    sub.call(module.replace_head, model, num_classes)
    sub.call(module.freeze_backbone, model)
    opt = sub.call(module.head_optimizer, model, lr, momentum)
    backbone = _backbone(model)
    head_before = {name: describe(getattr(model.fc, name, None)) for name in ("weight", "bias")}
    forward = Forward(model)
    x, y = to_device(x, device), to_device(y, device)
    for _ in range(steps):
        sub.call(opt.zero_grad)
        output = forward(sub, x)
        if not (isinstance(output, torch.Tensor) and output.requires_grad):
            break
        sub.call(F.cross_entropy(output, y).backward)
        sub.call(opt.step)
    return {
        "features": describe(forward.features[0] if forward.features else None),
        "before": head_before,
        "after": {name: describe(getattr(model.fc, name, None)) for name in ("weight", "bias")},
        "backbone_unchanged": _same(model, backbone),
    }
