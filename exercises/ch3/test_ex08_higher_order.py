"""Public checks for ex08_higher_order / 深化 8 的公开检查。"""

from typing import Any

import torch
from torch.autograd import functional

from chapters.ch3.judging.ex08 import expect_grad_only, expect_no_hessian, expect_x_alone, random_params
from chapters.ch3.probes.ex08 import build
from grader.judge.check import Judge, check
from grader.judge.expect import expect_tensor

EX = "ex08_higher_order"


def _run(judge: Judge, func: str, f: str, params: dict[str, torch.Tensor], x: torch.Tensor, *more: Any,
         requires_grad: bool = False) -> dict[str, Any]:
    """``func(f, x, *more)`` on the student side; the probe's observations."""
    return judge.probe("ch3.ex08.run", func=func, f=f, params=params, x=x, requires_grad=requires_grad, more=list(more))


def _mixed(judge: Judge, n: int) -> tuple[dict[str, torch.Tensor], torch.Tensor, str]:
    """Parameters of f(x) = ½ xᵀAx + Σ wᵢ sin xᵢ + exp(uᵀx), a float64 x (n,), and their description."""
    return random_params("mixed", n, judge.gen), judge.randn(n, dtype=torch.float64), \
        f"f(x) = ½ xᵀAx + Σ wᵢ sin xᵢ + exp(uᵀx), float64 x ({n},)"


@check(EX, 1)
def test_nth_derivative_cube(judge: Judge) -> None:
    """章中的例子：y = x³ 在 x = 2 处的一、二、三阶导数为 12、12、6，只用 torch.autograd.grad 计算
    the chapter's example: y = x³ at x = 2 has derivatives 12, 12, 6 (orders 1, 2, 3), by torch.autograd.grad only"""
    runs = []
    for n, value in ((1, 12.0), (2, 12.0), (3, 6.0)):
        runs.append(_run(judge, "nth_derivative", "cube", {}, torch.tensor(2.0), n))
        expect_tensor(runs[-1]["result"], torch.tensor(value), f"nth_derivative(f, x, n={n})", device=judge.device,
                      inputs="f(x) = x³, x = 2.0 (float32, 0-d)")
    expect_grad_only(judge, "nth_derivative", runs)


@check(EX, 1)
def test_gradient_quadratic(judge: Judge) -> None:
    """gradient 对二次型 ½ xᵀAx + bᵀx 给出 ½(A + Aᵀ)x + b，只用 torch.autograd.grad 计算
    gradient of the quadratic form ½ xᵀAx + bᵀx is ½(A + Aᵀ)x + b, by torch.autograd.grad only"""
    params, x = random_params("quadratic", 4, judge.gen), judge.randn(4, dtype=torch.float64)
    seen = _run(judge, "gradient", "quadratic", params, x)
    A, b = params["A"], params["b"]
    expect_tensor(seen["result"], 0.5 * (A + A.T) @ x + b, "gradient(f, x)", device=judge.device,
                  inputs="f(x) = ½ xᵀAx + bᵀx, float64 x (4,)")
    expect_grad_only(judge, "gradient", [seen])


@check(EX, 1)
def test_hessian_uses_grad(judge: Judge) -> None:
    """hessian 的结果正确，且只用 torch.autograd.grad 计算
    hessian is right, and computed with torch.autograd.grad only"""
    params, x, inputs = _mixed(judge, 5)
    seen = _run(judge, "hessian", "mixed", params, x)
    expect_tensor(seen["result"], functional.hessian(build("mixed", params, x), x), "hessian(f, x)",
                  device=judge.device, inputs=inputs)
    expect_grad_only(judge, "hessian", [seen])


@check(EX, 1)
def test_hvp_without_hessian(judge: Judge) -> None:
    """hessian_vector_product 的结果正确，只用 torch.autograd.grad，且不构造 H（反向传播次数与 n 无关）
    hessian_vector_product is right, by torch.autograd.grad only, and never forms H (backward passes do not grow
    with n)"""
    n = 12
    params, x, inputs = _mixed(judge, n)
    v = judge.randn(n, dtype=torch.float64)
    seen = _run(judge, "hessian_vector_product", "mixed", params, x, v)
    _, expected = functional.hvp(build("mixed", params, x), x, v)
    expect_tensor(seen["result"], expected, "hessian_vector_product(f, x, v)", device=judge.device, inputs=inputs)
    expect_grad_only(judge, "hessian_vector_product", [seen])
    expect_no_hessian(judge, seen, n)


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
            expect_x_alone(seen, func, point, requires_grad)


@check(EX, 1)
def test_zero_derivatives(judge: Judge) -> None:
    """导数不再依赖 x 时结果为 0 而不报错：x² 的三阶、x³ 的四阶导数，线性函数的 H 与 Hv
    a derivative that no longer depends on x is 0, not an error: order 3 of x², order 4 of x³, H and Hv of a
    linear f"""
    x = torch.tensor(1.5)
    for f, params, n, text in (("poly", {"c": torch.tensor([0.0, 0.0, 1.0], dtype=torch.float64)}, 3, "x²"),
                               ("cube", {}, 4, "x³")):
        seen = _run(judge, "nth_derivative", f, params, x, n)
        expect_tensor(seen["result"], torch.zeros(()), f"nth_derivative(f, x, n={n})", device=judge.device,
                      inputs=f"f(x) = {text}, x = 1.5 (float32, 0-d)")
        expect_grad_only(judge, "nth_derivative", [seen])
    params, point = random_params("linear", 4, judge.gen), judge.randn(4, dtype=torch.float64)
    inputs = "f(x) = bᵀx, float64 x (4,)"
    seen = _run(judge, "hessian", "linear", params, point)
    expect_tensor(seen["result"], torch.zeros(4, 4, dtype=torch.float64), "hessian(f, x)", device=judge.device,
                  inputs=inputs)
    expect_grad_only(judge, "hessian", [seen])
    seen = _run(judge, "hessian_vector_product", "linear", params, point, judge.randn(4, dtype=torch.float64))
    expect_tensor(seen["result"], torch.zeros(4, dtype=torch.float64), "hessian_vector_product(f, x, v)",
                  device=judge.device, inputs=inputs)
    expect_grad_only(judge, "hessian_vector_product", [seen])
