"""Judge-side helpers for ex03: the loss's reference and what the probes' observations must show.

Nothing here runs next to student code.
"""

from __future__ import annotations

from typing import Any

import torch

from chapters.ch3.probes.ex03 import build_model
from grader.judge.check import Judge
from grader.judge.expect import expect, expect_tensor
from grader.judge.usage import uses

# what "computed by autograd" means in the source: Tensor.backward or torch.autograd.backward, torch.autograd.grad
AUTOGRAD_RULES = (".backward", "torch.autograd.grad")


def loss_reference(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The chapter's y = mean((x − 1)² + 4) and its gradient 2(x − 1)/N, in float64."""
    x = x.to(torch.float64)
    return ((x - 1) ** 2 + 4).mean(), 2 * (x - 1) / x.numel()


def expect_loss(seen: dict[str, Any], x: torch.Tensor, device: str, inputs: str) -> None:
    """``chapter_loss(x)`` (seen by ``ex03.apply``) is the 0-d loss in x's dtype and device, with a
    graph when x required grad."""
    expect_tensor(seen["result"], loss_reference(x)[0].to(x.dtype), "chapter_loss(x)", device=device, inputs=inputs)
    if seen["x_after"]["requires_grad_before"]:
        expect(seen["result"]["has_graph"], "x 需要梯度时，chapter_loss(x) 的结果没有计算图，无法反向传播。",
               "With x requiring grad, chapter_loss(x) has no graph, so nothing can be back-propagated.",
               f"输入 input: {inputs}")


def expect_autograd_used(judge: Judge, seen: dict[str, Any], inputs: str) -> None:
    """``grad_by_autograd`` differentiated with ``.backward()`` or ``torch.autograd.grad``: by its
    source, read here, and by the calls seen while it ran; both must agree."""
    source = judge.source()  # None: no source to read (a missing module was reported by the probe)
    in_source = source is None or any(uses(source, "grad_by_autograd", rule) for rule in AUTOGRAD_RULES)
    expect(in_source and bool(seen["autograd_calls"]),
           "grad_by_autograd 没有用 autograd 求导：应对 chapter_loss 调用 .backward() 或 torch.autograd.grad，"
           "闭式公式是 grad_by_hand 的事。",
           "grad_by_autograd did not differentiate with autograd: call .backward() or torch.autograd.grad on "
           "chapter_loss; the closed form is grad_by_hand's job.",
           f"源代码中 in the source: {'有 yes' if in_source else '无 no'}; 运行时调用 called at run time: "
           f"{', '.join(seen['autograd_calls']) or '无 none'}", f"输入 input: {inputs}")


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
    expect(x["values_unchanged"], f"{what} 修改了 x 的数值。", f"{what} changed the values of x.",
           f"输入 input: {inputs}")
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
    for call, (obs, want) in enumerate(zip(seen["results"], expected, strict=False), start=1):
        expect(obs["kind"] == "scalar" and type(obs["value"]) is int,
               f"freeze_ 返回了 {obs['type']}，应为 Python int。",
               f"freeze_ returned {obs['type']}; expected a Python int.")
        expect(obs["value"] == want,
               f"第 {call} 次调用 freeze_ 返回 {obs['value']}，应为 {want}（本次新冻结的标量参数个数）。",
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
    expect(not seen["state_changed"],
           f"{what} 改变了模型的参数或缓冲区（如 BatchNorm 的滑动统计量：模型仍在训练模式？）。",
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
