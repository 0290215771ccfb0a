"""Probes for ex03_autograd: the loss and its gradients, freezing, inference.

``build_model`` is the grader-owned model (Dropout, BatchNorm, a shared layer) that the
probes hand to the student code and the checks rebuild on the judge side. The ``expect_*``
helpers are judge side: they read the probes' observations.
"""

from __future__ import annotations

from typing import Any, TypedDict

import torch
from torch import nn

from grader.expect import expect, expect_tensor
from grader.probes.base import Description, describe, probe, to_device
from grader.student import Submission

MODULE = "ex03_autograd"
FEATURES = 6


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


# -- judge side --

def loss_reference(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The chapter's y = mean((x − 1)² + 4) and its gradient 2(x − 1)/N, in float64."""
    x = x.to(torch.float64)
    return ((x - 1) ** 2 + 4).mean(), 2 * (x - 1) / x.numel()


def expect_gradient(seen: dict[str, Any], x: torch.Tensor, func: str, device: str, inputs: str,
                    grad: torch.Tensor | None = None) -> None:
    """``func(x)`` (seen by ``ex03.apply``) is the plain gradient of the loss, and x is as it was."""
    what = f"{func}(x)"
    expect_tensor(seen["result"], loss_reference(x)[1].to(x.dtype), what, device=device, inputs=inputs)
    expect(not seen["result"]["requires_grad"] and not seen["result"]["has_graph"],
           f"{what} 返回的张量需要梯度或带着计算图；梯度结果应是普通张量（detach 或 no_grad）。",
           f"{what} returned a tensor that requires grad or carries a graph; a gradient result must be "
           "a plain tensor (detach it, or compute it under no_grad).", f"输入 input: {inputs}")
    expect_x_untouched(seen, what, grad, inputs)


def expect_x_untouched(seen: dict[str, Any], what: str, grad: torch.Tensor | None, inputs: str) -> None:
    """x kept its values, its ``requires_grad`` flag and its ``.grad`` (None, or ``grad``)."""
    x = seen["x_after"]
    expect(x["values_unchanged"], f"{what} 修改了 x 的数值。", f"{what} changed the values of x.", f"输入 input: {inputs}")
    expect(x["requires_grad"] == x["requires_grad_before"],
           f"{what} 把 x.requires_grad 从 {x['requires_grad_before']} 改成了 {x['requires_grad']}。",
           f"{what} changed x.requires_grad from {x['requires_grad_before']} to {x['requires_grad']}.",
           f"输入 input: {inputs}")
    if grad is None:
        expect(x["grad"]["kind"] == "scalar", f"{what} 之前 x.grad 为 None，之后却有了梯度：不应改动调用者的 x。",
               f"x.grad was None before {what} and is set after it: the caller's x must be left alone.",
               f"输入 input: {inputs}")
    else:
        expect(x["grad"]["kind"] == "tensor" and torch.equal(x["grad"]["value"], grad),
               f"{what} 改动了 x 原有的 .grad（例如梯度被累加上去或被清空）。",
               f"{what} changed the .grad that x already had (added to it, or cleared it).", f"输入 input: {inputs}")


def expect_freeze(seen: dict[str, Any], expected: list[int], inputs: str) -> None:
    """freeze_ returned ``expected`` (one count per call), froze every parameter, changed no value."""
    for call, (obs, want) in enumerate(zip(seen["results"], expected), start=1):
        expect(obs["kind"] == "scalar" and type(obs["value"]) is int,
               f"freeze_ 返回了 {obs['type']}，应为 Python int。", f"freeze_ returned {obs['type']}; expected a Python int.")
        expect(obs["value"] == want, f"第 {call} 次调用 freeze_ 返回 {obs['value']}，应为 {want}（本次新冻结的标量参数个数）。",
               f"Call {call} of freeze_ returned {obs['value']}; expected {want}, the number of scalar parameters "
               "it froze (already frozen ones, buffers and a shared parameter's second use do not count).",
               f"输入 input: {inputs}")
    still = [name for name, flag in seen["requires_grad"].items() if flag]
    expect(not still, "freeze_ 之后仍有参数需要梯度。", "After freeze_, some parameters still require grad.",
           f"仍需梯度 still requiring grad: {', '.join(still)}")
    expect(seen["values_unchanged"], "freeze_ 改变了参数的数值。", "freeze_ changed parameter values.")


def expect_predict(seen: dict[str, Any], seed: int, x: torch.Tensor, device: str, inputs: str) -> None:
    """predict(model, x): the model left exactly as it was, and the eval-mode output, plain."""
    what, where = "predict(model, x)", f"输入 input: {inputs}"
    expect(not seen["state_changed"], f"{what} 改变了模型的参数或缓冲区（如 BatchNorm 的滑动统计量：模型仍在训练模式？）。",
           f"{what} changed the model's parameters or buffers (BatchNorm's running statistics: was the model "
           "still in train mode?).", f"改变的 changed: {', '.join(seen['state_changed'])}", where)
    model = build_model(seed)
    kinds = {name: type(m).__name__ for name, m in model.named_modules()}
    changed = [name for name, mode in seen["modes_after"].items() if seen["modes_before"].get(name) != mode]
    expect(not changed, f"{what} 没有恢复模型（或其子模块）调用前的 training 标志。",
           f"{what} did not restore the training flag of the model (or of a submodule) to what it was before.",
           "training: " + ", ".join(f"{name or '(model)'} {kinds.get(name, '')} {seen['modes_before'].get(name)} → "
                                    f"{seen['modes_after'][name]}" for name in changed), where)
    with torch.no_grad():
        want = model.double().eval()(x.double()).to(x.dtype)
    expect_tensor(seen["result"], want, what, device=device, inputs=inputs)
    expect(not seen["result"]["requires_grad"] and not seen["result"]["has_graph"],
           f"{what} 建立了计算图：输出需要梯度。推理应在 torch.no_grad()（或 inference_mode）下进行。",
           f"{what} built a graph: the output requires grad. Inference runs under torch.no_grad() "
           "(or inference_mode).", where)
    expect(seen["params_require_grad"], f"{what} 之后模型参数不再需要梯度：推理不应冻结模型。",
           f"After {what}, the model's parameters no longer require grad: inference must not freeze the model.", where)


# -- probes: student side --

class XAfter(TypedDict):
    """x after the call: whether its values stayed, its ``.grad``, its ``requires_grad`` after and before."""

    values_unchanged: bool
    grad: Description
    requires_grad: bool
    requires_grad_before: bool


class ApplyObservation(TypedDict):
    """The result and x afterwards."""

    result: Description
    x_after: XAfter


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


@probe("ex03.apply")
def apply(sub: Submission, device: str, func: str, x: torch.Tensor, requires_grad: bool,
          grad: torch.Tensor | None = None) -> ApplyObservation:
    """``func(x)`` for a leaf x on ``device`` (requiring grad or not, with ``.grad`` preset or
    None); the result, and x afterwards."""
    leaf = to_device(x, device).requires_grad_(requires_grad)
    if grad is not None:
        leaf.grad = to_device(grad, device)
    values = leaf.detach().clone()
    result = sub.call(getattr(sub.module(MODULE), func), leaf)
    return {
        "result": describe(result),
        "x_after": {"values_unchanged": bool(torch.equal(leaf.detach(), values)), "grad": describe(leaf.grad),
                    "requires_grad": leaf.requires_grad, "requires_grad_before": requires_grad},
    }


@probe("ex03.freeze")
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


@probe("ex03.predict")
def predict(sub: Submission, device: str, model_seed: int, x: torch.Tensor, train: bool,
            batchnorm_eval: bool = False) -> PredictObservation:
    """``predict(model, x)`` on the grader model in train or eval mode (optionally with its
    BatchNorm kept in eval mode); the output and what changed in the model."""
    model = build_model(model_seed).to(device).train(train)
    if batchnorm_eval:
        model[1].eval()
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
