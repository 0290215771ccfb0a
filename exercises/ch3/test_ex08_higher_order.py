"""Public checks for ex08_higher_order / 深化 8 的公开检查。"""

from typing import Any

import torch
from torch.autograd import functional

from chapters.ch3.judging.ex08 import random_params
from chapters.ch3.probes.ex08 import build
from grader.judge.check import Judge, check
from grader.judge.expect import expect, expect_kind, expect_tensor
from grader.judge.usage import UNREADABLE, forbidden, unverifiable, uses

EX = "ex08_higher_order"
# what "torch.autograd.grad only" forbids in the source; .backward: any, torch.autograd.backward included
ONLY_GRAD = (".backward", "torch.autograd.functional", "torch.func")


def _run(judge: Judge, func: str, f: str, params: dict[str, torch.Tensor], x: torch.Tensor, *more: Any,
         requires_grad: bool = False) -> dict[str, Any]:
    """``func(f, x, *more)`` on the student side; the probe's observations."""
    return judge.probe("ch3.ex08.run", func=func, f=f, params=params, x=x, requires_grad=requires_grad, more=list(more))


def _mixed(judge: Judge, n: int) -> tuple[dict[str, torch.Tensor], torch.Tensor, str]:
    """Parameters of f(x) = ½ xᵀAx + Σ wᵢ sin xᵢ + exp(uᵀx), a float64 x (n,), and their description."""
    return random_params("mixed", n, judge.gen), judge.randn(n, dtype=torch.float64), \
        f"f(x) = ½ xᵀAx + Σ wᵢ sin xᵢ + exp(uᵀx), float64 x ({n},)"


def _expect_method(judge: Judge, seen: dict[str, Any], func: str) -> None:
    """``func`` took its derivatives with torch.autograd.grad only, by its source and by the run-time spy."""
    source = judge.source()  # None: no source to read (a missing module was reported by the probe)
    if source is not None:
        found = list(dict.fromkeys(forbidden(source, func, ONLY_GRAD) + unverifiable(source, func)))
        expect(found != [UNREADABLE],
               f"评分程序读不出源代码中的 {func}（语法错误，或没有顶层的 def {func}），"
               "无法确认它只用了 torch.autograd.grad。",
               f"The grader cannot read {func} in the source (a syntax error, or no top-level def {func}), "
               "so it cannot confirm that it uses torch.autograd.grad only.")
        expect(not found, f"{func} 用到了 {'、'.join(found)}：本题只能用 torch.autograd.grad。",
               f"{func} uses {', '.join(found)}: this exercise is about torch.autograd.grad only.",
               "评分程序从源代码读出用法：getattr 取计算出的名字、eval、globals() 等写法读不出，也不允许 / "
               "the grader reads usage from the source: getattr with a computed name, eval, globals() "
               "and the like cannot be read and are not allowed.")
    expect(not seen["functional"], f"{func} 调用了 torch.autograd.functional：本题只能用 torch.autograd.grad。",
           f"{func} called torch.autograd.functional: this exercise is about torch.autograd.grad only.")
    expect(seen["backward_calls"] == 0, f"{func} 调用了 .backward()：本题只能用 torch.autograd.grad。",
           f"{func} called .backward(): this exercise is about torch.autograd.grad only.")
    expect(seen["grad_calls"] > 0 and (source is None or uses(source, func, "torch.autograd.grad")),
           f"{func} 没有调用 torch.autograd.grad。", f"{func} did not call torch.autograd.grad.")


@check(EX, 1)
def test_nth_derivative_cube(judge: Judge) -> None:
    """章中的例子：y = x³ 在 x = 2 处的一、二、三阶导数为 12、12、6
    the chapter's example: y = x³ at x = 2 has derivatives 12, 12, 6 (orders 1, 2, 3)"""
    for n, value in ((1, 12.0), (2, 12.0), (3, 6.0)):
        seen = _run(judge, "nth_derivative", "cube", {}, torch.tensor(2.0), n)
        expect_tensor(seen["result"], torch.tensor(value), f"nth_derivative(f, x, n={n})", device=judge.device,
                      inputs="f(x) = x³, x = 2.0 (float32, 0-d)")


@check(EX, 1)
def test_gradient_quadratic(judge: Judge) -> None:
    """gradient 对二次型 ½ xᵀAx + bᵀx 给出 ½(A + Aᵀ)x + b
    gradient of the quadratic form ½ xᵀAx + bᵀx is ½(A + Aᵀ)x + b"""
    params, x = random_params("quadratic", 4, judge.gen), judge.randn(4, dtype=torch.float64)
    seen = _run(judge, "gradient", "quadratic", params, x)
    A, b = params["A"], params["b"]
    expect_tensor(seen["result"], 0.5 * (A + A.T) @ x + b, "gradient(f, x)", device=judge.device,
                  inputs="f(x) = ½ xᵀAx + bᵀx, float64 x (4,)")


@check(EX, 1)
def test_hessian_uses_grad(judge: Judge) -> None:
    """hessian 的结果正确，且只用 torch.autograd.grad 计算
    hessian is right, and computed with torch.autograd.grad only"""
    params, x, inputs = _mixed(judge, 5)
    seen = _run(judge, "hessian", "mixed", params, x)
    expect_tensor(seen["result"], functional.hessian(build("mixed", params, x), x), "hessian(f, x)",
                  device=judge.device, inputs=inputs)
    _expect_method(judge, seen, "hessian")


@check(EX, 1)
def test_hvp_without_hessian(judge: Judge) -> None:
    """hessian_vector_product 的结果正确，且不构造 H（反向传播次数与 n 无关）
    hessian_vector_product is right and never forms H (backward passes do not grow with n)"""
    n = 12
    params, x, inputs = _mixed(judge, n)
    v = judge.randn(n, dtype=torch.float64)
    seen = _run(judge, "hessian_vector_product", "mixed", params, x, v)
    _, expected = functional.hvp(build("mixed", params, x), x, v)
    expect_tensor(seen["result"], expected, "hessian_vector_product(f, x, v)", device=judge.device, inputs=inputs)
    _expect_method(judge, seen, "hessian_vector_product")
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


@check(EX, 1)
def test_leaves_x_alone(judge: Judge) -> None:
    """四个函数都返回普通张量，且不改变调用者的 x（requires_grad、.grad、数值）
    all four functions return plain tensors and leave the caller's x alone (requires_grad, .grad, values)"""
    params, x, _ = _mixed(judge, 3)
    cases = [("nth_derivative", "sin_exp", random_params("sin_exp", 1, judge.gen), x[0], [2]),
             ("gradient", "mixed", params, x, []), ("hessian", "mixed", params, x, []),
             ("hessian_vector_product", "mixed", params, x, [judge.randn(3, dtype=torch.float64)])]
    for func, f, fn_params, point, more in cases:
        for requires_grad in (False, True):
            seen = _run(judge, func, f, fn_params, point, *more, requires_grad=requires_grad)
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
            expect(seen["x_unchanged"], f"{func} 修改了 x 的数值。", f"{func} changed the values of x.", when)
