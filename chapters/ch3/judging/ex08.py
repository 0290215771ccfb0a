"""Judge-side helpers for ex08: random parameters of the named functions, the usage rules
(torch.autograd.grad only; the Hessian-vector product never forms H), and what every answer
must leave alone.

Nothing here runs next to student code.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.autograd.functional

from grader.judge.check import Judge
from grader.judge.expect import expect, expect_kind
from grader.judge.usage import UNREADABLE, forbidden, unverifiable, uses


def random_params(name: str, size: int, gen: torch.Generator) -> dict[str, torch.Tensor]:
    """Random float64 parameters of ``FUNCTIONS[name]`` for x of shape (size,); for poly,
    a polynomial of degree ``size``."""
    def randn(*shape: int) -> torch.Tensor:
        return torch.randn(shape, generator=gen, dtype=torch.float64)

    if name == "poly":
        return {"c": randn(size + 1)}
    if name == "sin_exp":
        (a0, a2), (r1, r3) = randn(2), torch.rand(2, generator=gen, dtype=torch.float64)
        return {"a": torch.stack([a0, 0.5 + 1.5 * r1, a2, 2 * r3 - 1])}
    if name == "quadratic":
        return {"A": randn(size, size), "b": randn(size)}
    if name == "mixed":
        return {"A": randn(size, size), "w": randn(size), "u": 0.3 * randn(size)}
    if name == "linear":
        return {"b": randn(size)}
    return {}


# What "torch.autograd.grad only" forbids in the source: .backward (Tensor.backward and
# torch.autograd.backward), the other ways to differentiate, and vmap (torch.func's, a batch of
# backward passes in one call).
ONLY_GRAD = (".backward", "torch.autograd.functional", "torch.autograd.forward_ad", "torch.func", "torch.vmap")
RULE_ZH = "本练习的导数只能用 torch.autograd.grad 求，否则这一项不得分"
RULE_EN = "this exercise takes its derivatives with torch.autograd.grad only; otherwise this check earns nothing"


def expect_grad_only(judge: Judge, func: str, runs: list[dict[str, Any]]) -> None:
    """``func`` took its derivatives with torch.autograd.grad only: its source, as the judge reads
    it, reaches torch.autograd.grad and nothing of ``ONLY_GRAD`` nor anything that could reach the
    spy; and in ``runs`` (the probe's observations) the spy saw grad called, and no backward
    call nor torch.autograd.functional."""
    source = judge.source()  # None: no source to read (a missing module was reported by the probe)
    if source is not None:
        found = list(dict.fromkeys(forbidden(source, func, ONLY_GRAD) + unverifiable(source, func)))
        expect(found != [UNREADABLE],
               f"评分程序读不出源代码中的 {func}（语法错误，或没有顶层的 def {func}），"
               f"无法确认它只用了 torch.autograd.grad：{RULE_ZH}。",
               f"The grader cannot read {func} in the source (a syntax error, or no top-level def {func}), "
               f"so it cannot confirm that it uses torch.autograd.grad only: {RULE_EN}.")
        expect(not found, f"{func} 用到了 {'、'.join(found)}：{RULE_ZH}。",
               f"{func} uses {', '.join(found)}: {RULE_EN}.",
               "评分程序从源代码读出用法：getattr 取计算出的名字、eval、globals()、torch 的私有模块等写法读不出，"
               "也不允许 / the grader reads usage from the source: getattr with a computed name, eval, globals(), "
               "torch's private modules and the like cannot be read and are not allowed.")
    expect(not any(seen["functional"] for seen in runs), f"{func} 调用了 torch.autograd.functional：{RULE_ZH}。",
           f"{func} called torch.autograd.functional: {RULE_EN}.")
    expect(not any(seen["backward_calls"] for seen in runs), f"{func} 调用了 .backward()：{RULE_ZH}。",
           f"{func} called .backward(): {RULE_EN}.")
    expect(all(seen["grad_calls"] for seen in runs) and (source is None or uses(source, func, "torch.autograd.grad")),
           f"{func} 没有调用 torch.autograd.grad：{RULE_ZH}。", f"{func} did not call torch.autograd.grad: {RULE_EN}.")


def expect_no_hessian(judge: Judge, seen: dict[str, Any], n: int) -> None:
    """hessian_vector_product, run on x of size ``n`` (≥ 4, so that forming H shows), never formed
    H: the spy counted at most 3 backward passes, and its source does not reach ``hessian``."""
    passes = seen["backward_passes"]
    expect(passes <= 3, f"hessian_vector_product 做了 {passes} 次反向传播：这是在构造整个 H（n + 1 次）。"
           "应先求 g = ∇f（create_graph=True），再对 g·v 求梯度（2 次）。",
           f"hessian_vector_product ran {passes} backward passes: that is forming all of H (n + 1 passes). "
           "Take g = ∇f with create_graph=True, then the gradient of g·v (2 passes).", f"n = {n}")
    source = judge.source()
    expect(source is None or not uses(source, "hessian_vector_product", "hessian"),
           "hessian_vector_product 调用了 hessian：这是在构造整个 H。"
           "应先求 g = ∇f（create_graph=True），再对 g·v 求梯度。",
           "hessian_vector_product calls hessian: that forms all of H. "
           "Take g = ∇f with create_graph=True, then the gradient of g·v.")


def expect_x_alone(seen: dict[str, Any], func: str, x: torch.Tensor, requires_grad: bool) -> None:
    """``func`` returned a plain tensor, and left the caller's ``x`` (sent with ``requires_grad``)
    as it was: its flag, its .grad (None) and its values, compared here with what was sent."""
    when = f"输入 input: x.requires_grad={requires_grad}"
    result = seen["result"]
    expect_kind(result, "tensor", func)
    expect(not result["requires_grad"] and not result["has_graph"],
           f"{func} 返回的张量需要梯度（带有计算图）：应返回普通张量"
           "（最后一次求导不用 create_graph=True，或 .detach()）。",
           f"{func} returned a tensor that requires grad (it carries a graph): return a plain tensor "
           "(no create_graph=True on the last derivative, or .detach()).", when)
    expect(seen["x_requires_grad"] == requires_grad,
           f"{func} 改变了调用者 x 的 requires_grad：请对 x.detach().requires_grad_() 求导。",
           f"{func} changed the caller's x.requires_grad: differentiate with respect to "
           "x.detach().requires_grad_() instead.", when)
    expect(seen["x_grad_is_none"],
           f"{func} 在调用者的 x 上留下了 .grad：请用 torch.autograd.grad，不要用 .backward()。",
           f"{func} left a .grad on the caller's x: use torch.autograd.grad, not .backward().", when)
    after = seen["x_after"]
    expect(after.get("kind") == "tensor" and bool(torch.equal(after["value"].cpu(), x)),
           f"{func} 修改了 x 的数值。", f"{func} changed the values of x.", when)
