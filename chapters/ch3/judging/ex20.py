"""Judge-side helpers for ex20: the Huber loss's and the custom layer's references in float64,
and what the probes' observations must show.

Nothing here runs next to student code.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from grader.judge.check import Judge
from grader.judge.expect import expect, expect_sample, expect_tensor, shape_text
from grader.judge.usage import UNREADABLE, forbidden, unverifiable

# what HuberLoss must not reach in its source: the built-in Huber and smooth-L1 losses, however imported
BUILT_IN = (".huber_loss", ".smooth_l1_loss", ".HuberLoss", ".SmoothL1Loss")
PARAMETER = "torch.nn.parameter.Parameter"


def huber_reference(pred: torch.Tensor, target: torch.Tensor, delta: float) -> tuple[torch.Tensor, torch.Tensor]:
    """The mean Huber loss and its gradient w.r.t. pred (that w.r.t. target is its negative), in float64."""
    r = pred.to(torch.float64) - target.to(torch.float64)
    small = r.abs() <= delta
    loss = torch.where(small, 0.5 * r**2, delta * (r.abs() - 0.5 * delta)).mean()
    grad = torch.where(small, r, delta * r.sign()) / r.numel()
    return loss, grad


def residuals(judge: Judge, shape: tuple[int, ...], delta: float, dtype: torch.dtype) -> tuple[torch.Tensor, ...]:
    """pred and target whose residuals lie on both sides of ``delta`` (none within 1e-3 of ±delta)."""
    r = judge.randn(*shape, dtype=torch.float64) * 2 * delta
    r = torch.where((r.abs() - delta).abs() < 1e-3 * delta, r * 1.5, r)
    target = judge.randn(*shape, dtype=torch.float64)
    return (target + r).to(dtype), target.to(dtype)


def expect_huber(judge: Judge, seen: dict[str, Any], pred: torch.Tensor, target: torch.Tensor, delta: float,
                 inputs: str) -> None:
    """``HuberLoss(delta)(pred, target)`` (seen by ``ex20.loss``): a parameter-free module, the 0-d mean
    loss in pred's dtype and device with the right gradients, inputs left alone, computed by hand."""
    where = f"输入 input: {inputs}"
    expect(seen["is_module"], "HuberLoss 的实例不是 nn.Module：应继承 nn.Module。",
           "A HuberLoss instance is not an nn.Module: subclass nn.Module.", where)
    expect(seen["parameters"] == 0, f"HuberLoss 有 {seen['parameters']} 个参数；损失函数本身不应有参数。",
           f"HuberLoss has {seen['parameters']} parameters; a loss has none of its own.", where)
    loss, grad = huber_reference(pred, target, delta)
    what = "HuberLoss(delta)(pred, target)"
    expect_tensor(seen["result"], loss.to(pred.dtype), what, device=judge.device, inputs=inputs)
    expect(seen["result"]["has_graph"], f"{what} 没有计算图：损失应可微（不要用 .item()、.detach() 或 NumPy）。",
           f"{what} has no graph: the loss must be differentiable (no .item(), .detach() or NumPy).", where)
    for name, want in (("pred", grad), ("target", -grad)):
        got = seen["grads"][name]
        expect(got["kind"] == "tensor", f"loss.backward() 之后 {name}.grad 为 None：计算图没有连到 {name}。",
               f"After loss.backward(), {name}.grad is None: the graph does not reach {name}.", where)
        expect_tensor(got, want.to(pred.dtype), f"{name}.grad", inputs=inputs)
    expect(seen["inputs_unchanged"], f"{what} 修改了 pred 或 target。", f"{what} changed pred or target.", where)
    expect_own_huber(judge, seen)


def expect_own_huber(judge: Judge, seen: dict[str, Any]) -> None:
    """``HuberLoss`` computed the loss itself: no built-in Huber or smooth-L1 loss in its source, read
    here, nor among the torch functions the probe saw it call."""
    source = judge.source()  # None: no source to read (a missing module was reported by the probe)
    found = [] if source is None else list(dict.fromkeys(forbidden(source, "HuberLoss", BUILT_IN)
                                                          + unverifiable(source, "HuberLoss")))
    found += [f"{name} (运行时 at run time)" for name in seen["calls"] if name in ("huber_loss", "smooth_l1_loss")]
    unreadable = ["评分程序读不出源代码中的 HuberLoss（语法错误，或没有顶层的 class HuberLoss）。 / "
                  "The grader cannot read HuberLoss in the source (a syntax error, or no top-level class "
                  "HuberLoss)."] if UNREADABLE in found else []
    expect(not found, f"HuberLoss 用到了 {'、'.join(found)}：请自己写出 Huber 损失的公式。",
           f"HuberLoss uses {', '.join(found)}: write the Huber loss's formula yourself.", *unreadable,
           "评分程序从源代码读出用法：getattr 取计算出的名字、eval、globals()、torch 的私有模块等写法读不出，"
           "也不允许 / the grader reads usage from the source: getattr with a computed name, eval, globals(), "
           "torch's private modules and the like cannot be read and are not allowed.")


def expect_registered(seen: dict[str, Any], n_in: int, n_out: int, device: str) -> torch.Tensor:
    """A fresh ``CustomLinear(n_in, n_out)`` (seen by ``ex20.build``) registered exactly ``weight``
    (n_in, n_out) and ``bias`` (n_out,) as float32 Parameters requiring grad, and its state_dict holds
    exactly them; the bias is zero. Returns the weight's values."""
    what, where = f"CustomLinear({n_in}, {n_out})", f"输入 input: CustomLinear({n_in}, {n_out})"
    expect(seen["is_module"], f"{what} 不是 nn.Module：应继承 nn.Module。",
           f"{what} is not an nn.Module: subclass nn.Module.", where)
    shapes = {"weight": (n_in, n_out), "bias": (n_out,)}
    for name, shape in shapes.items():
        attribute = seen[name]
        expect(attribute["kind"] == "tensor", f"{what} 没有张量属性 {name}。",
               f"{what} has no tensor attribute {name}.", f"得到 got: {attribute['type']}", where)
        expect(attribute["type"] == PARAMETER,
               f"{what}.{name} 是普通张量 {attribute['type']}，不是 nn.Parameter：它不会被登记为参数，优化器看不到它。",
               f"{what}.{name} is a plain {attribute['type']}, not an nn.Parameter: it is not registered, so no "
               "optimizer sees it.", where)
        expect(list(attribute["shape"]) == list(shape),
               f"{what}.{name} 的形状是 {shape_text(attribute['shape'])}，应为 {shape_text(shape)}。",
               f"{what}.{name} has shape {shape_text(attribute['shape'])}; expected {shape_text(shape)}.", where)
    for listing, zh, en in ((seen["parameters"], "named_parameters()", "named_parameters()"),
                            (seen["state_dict"], "state_dict()", "state_dict()")):
        expect(sorted(listing) == ["bias", "weight"],
               f"{what}.{zh} 的名字是 {sorted(listing)}，应恰好为 ['bias', 'weight']。",
               f"{what}.{en} has the names {sorted(listing)}; expected exactly ['bias', 'weight'].", where)
    inputs = inputs_of(n_in, n_out)
    for name, shape in shapes.items():
        expect(seen["parameters"][name]["requires_grad"], f"{what}.{name} 不需要梯度：参数应可训练。",
               f"{what}.{name} does not require grad: a parameter must be trainable.", where)
        # shape, dtype and device here; the values below (bias) and by the law (weight)
        expect_tensor(seen["parameters"][name], torch.zeros(shape), f"{what}.{name}", device=device,
                      atol=float("inf"), inputs=inputs)
    expect_tensor(seen["parameters"]["bias"], torch.zeros(n_out), f"{what}.bias", atol=0.0, rtol=0.0, inputs=inputs)
    weight: torch.Tensor = seen["parameters"]["weight"]["value"]
    return weight


def inputs_of(n_in: int, n_out: int) -> str:
    """How to name a fresh layer in the feedback."""
    return f"CustomLinear({n_in}, {n_out}), float32"


def expect_init(seen: dict[str, Any], n_in: int, n_out: int, device: str) -> None:
    """The fresh layer's weight follows N(0, 1) (and the bias is zero), drawn from the global
    generator: a layer built after the same ``torch.manual_seed`` has the same weight, one built
    after another seed another weight."""
    weight = expect_registered(seen, n_in, n_out, device)
    what = f"CustomLinear({n_in}, {n_out}).weight"
    expect_sample(weight, what, law="normal", std=1.0, inputs=inputs_of(n_in, n_out))
    again, other = seen["weight_again"], seen["weight_next_seed"]
    same = again["kind"] == "tensor" and torch.equal(again["value"], weight)
    differs = other["kind"] == "tensor" and not torch.equal(other["value"], weight)
    zh, en = ("同一种子得到不同的值", "the same seed gives another value") if not same else (
        "另一种子得到相同的值", "another seed gives the same value")
    expect(same and differs, f"{what} 不由 torch.manual_seed 决定（{zh}）：应从全局随机数生成器抽取（torch.randn）。",
           f"{what} is not decided by torch.manual_seed ({en}): draw it from the global generator (torch.randn).",
           f"输入 input: {inputs_of(n_in, n_out)}")


def layer_reference(weight: torch.Tensor, bias: torch.Tensor, x: torch.Tensor, upstream: torch.Tensor,
                    target: torch.Tensor, lr: float, steps: int) -> dict[str, Any]:
    """What ``ex20.forward`` must see, in float64: y = x W + b, the gradients of W, b and x for
    ``y.backward(upstream)``, and W, b after ``steps`` SGD steps on the MSE against ``target``."""
    w, b = weight.double().requires_grad_(True), bias.double().requires_grad_(True)
    leaf = x.double().requires_grad_(True)
    y = torch.matmul(leaf, w) + b
    grads = torch.autograd.grad(y, (w, b, leaf), upstream.double())
    w, b = w.detach().clone(), b.detach().clone()
    for _ in range(steps):
        w.requires_grad_(True)
        b.requires_grad_(True)
        gw, gb = torch.autograd.grad(F.mse_loss(torch.matmul(x.double(), w) + b, target.double()), (w, b))
        w, b = (w - lr * gw).detach(), (b - lr * gb).detach()
    return {"y": y.detach(), "grads": dict(zip(("weight", "bias", "x"), grads, strict=True)),
            "trained": {"weight": w, "bias": b}}


def expect_forward(judge: Judge, seen: dict[str, Any], case: dict[str, Any], what: str, inputs: str) -> None:
    """``layer(x)`` (seen by ``ex20.forward``) is x W + b, differentiable w.r.t. W, b and x, and SGD
    over ``layer.parameters()`` trains W and b as the float64 reference does."""
    ref = layer_reference(**case)
    expect_tensor(seen["result"], ref["y"].float(), what, device=judge.device, inputs=inputs)
    for name, grad in ref["grads"].items():
        shown = name if name == "x" else f"layer.{name}"
        expect(seen["grads"][name]["kind"] == "tensor",
               f"y.backward(g) 之后 {shown}.grad 为 None：它不是需要梯度的参数，或计算图没有连到它。",
               f"After y.backward(g), {shown}.grad is None: it is not a parameter that requires grad, "
               "or the graph does not reach it.", f"输入 input: {inputs}")
        expect_tensor(seen["grads"][name], grad.float(), f"{shown}.grad", inputs=inputs)
    for name, value in ref["trained"].items():
        expect_tensor(seen["trained"][name], value.float(),
                      f"SGD(layer.parameters(), lr={case['lr']:g}) 训练 {case['steps']} 步后 after {case['steps']} "
                      f"steps: layer.{name}", inputs=inputs)
