"""Hidden checks for ex08_higher_order / 深化 8 的隐藏检查: random functions, points, sizes and dtypes."""

import math
from collections.abc import Callable
from typing import Any

import torch
from torch.autograd import functional

from chapters.ch3.judging.ex08 import expect_grad_only, expect_no_hessian, expect_x_alone, random_params
from chapters.ch3.probes.ex08 import build
from grader.judge.check import Judge, check
from grader.judge.expect import expect_tensor

EX = "ex08_higher_order"
TOLERANCE = {torch.float32: {"atol": 1e-3, "rtol": 1e-4}, torch.float64: {"atol": 1e-8, "rtol": 1e-6}}
DESCRIBE = {
    "poly": "a random polynomial of degree {size}",
    "sin_exp": "f(x) = a₀ sin(a₁x) + a₂ exp(a₃x)",
    "mixed": "f(x) = ½ xᵀAx + Σ wᵢ sin xᵢ + exp(uᵀx)",
    "quadratic": "f(x) = ½ xᵀAx + bᵀx",
    "cube": "f(x) = Σ xᵢ³",
    "linear": "f(x) = bᵀx",
}


def _closed_form(_: Callable, x: torch.Tensor, params: dict[str, torch.Tensor], n: int) -> torch.Tensor:
    """dⁿf/dxⁿ at the 0-d float64 x, for f a polynomial (params c) or a₀ sin(a₁x) + a₂ exp(a₃x) (params a)."""
    if "a" in params:
        a0, a1, a2, a3 = params["a"]
        return a0 * a1**n * torch.sin(a1 * x + n * math.pi / 2) + a2 * a3**n * torch.exp(a3 * x)
    c = params["c"]
    k = torch.arange(len(c), dtype=torch.float64)[n:]
    falling = torch.stack([k - m for m in range(n)]).prod(dim=0)
    return (c[n:] * falling * x ** (k - n)).sum()


def _check(judge: Judge, func: str, f: str, size: int, reference: Callable[..., torch.Tensor], *, scalar: bool = False,
           n: int | None = None, with_v: bool = False) -> dict[str, Any]:
    """``func`` on ``f`` with random parameters, a random point (0-d, or (size,)), dtype and
    x.requires_grad, and with ``n`` or a random v, equals ``reference(f, x, params, *more)``
    computed in float64, by torch.autograd.grad only, as a plain tensor, leaving x alone; the
    probe's observations."""
    dtype = judge.choice([torch.float32, torch.float64])
    params = random_params(f, size, judge.gen)
    x = (judge.rand(dtype=torch.float64) * 3 - 1.5).to(dtype) if scalar else judge.randn(size, dtype=dtype)
    more: list[Any] = [n] if n is not None else [judge.randn(size, dtype=dtype)] if with_v else []
    requires_grad = judge.choice([False, True])
    seen = judge.probe("ch3.ex08.run", func=func, f=f, params=params, x=x, requires_grad=requires_grad, more=more)
    wide = [m.double() if isinstance(m, torch.Tensor) else m for m in (x, *more)]
    expected = reference(build(f, params, wide[0]), wide[0], params, *wide[1:])
    what = f"{func}(f, x{f', n={n}' if n is not None else ', v' if with_v else ''})"
    inputs = f"{DESCRIBE[f].format(size=size)}, random {str(dtype).removeprefix('torch.')} " + \
        ("0-d x" if scalar else f"x ({size},)")
    expect_tensor(seen["result"], expected.to(dtype), what, device=judge.device, inputs=inputs, **TOLERANCE[dtype])
    expect_grad_only(judge, func, [seen])
    expect_x_alone(seen, func, x, requires_grad)
    return seen


@check(EX, 1, hidden=True)
def test_nth_derivative_random(judge: Judge) -> None:
    """nth_derivative 对随机多项式与 sin/exp 函数的 1 到 4 阶导数都正确，只用 torch.autograd.grad
    nth_derivative is right for orders 1 to 4 of random polynomials and sin/exp functions, by autograd.grad only"""
    for f in ("poly", "sin_exp", "poly"):
        size = judge.randint(4, 7)  # degree ≥ n: the order-n derivative still comes from a graph
        for n in range(1, 5):
            _check(judge, "nth_derivative", f, size, _closed_form, scalar=True, n=n)


@check(EX, 0.5, hidden=True)
def test_gradient_random(judge: Judge) -> None:
    """gradient 对随机的 n 与函数都正确，只用 torch.autograd.grad
    gradient is right for random n and functions, by torch.autograd.grad only"""
    for f in ("mixed", "quadratic", "mixed"):
        _check(judge, "gradient", f, judge.randint(1, 10), lambda fn, x, _: functional.jacobian(fn, x))


@check(EX, 1, hidden=True)
def test_hessian_random(judge: Judge) -> None:
    """hessian 对随机的 n 与函数都正确，只用 torch.autograd.grad
    hessian is right for random n and functions, by torch.autograd.grad only"""
    for f in ("mixed", "cube", "mixed"):
        _check(judge, "hessian", f, judge.randint(1, 10), lambda fn, x, _: functional.hessian(fn, x))


@check(EX, 1, hidden=True)
def test_hvp_random(judge: Judge) -> None:
    """hessian_vector_product 对随机的 n、函数与 v 都正确，只用 torch.autograd.grad，且不构造 H
    hessian_vector_product is right for random n, functions and v, by torch.autograd.grad only, never forming H"""
    for f in ("mixed", "quadratic", "mixed"):
        size = judge.randint(1, 10)
        seen = _check(judge, "hessian_vector_product", f, size, lambda fn, x, _, v: functional.hvp(fn, x, v)[1],
                      with_v=True)
        if size >= 4:  # forming H takes n + 1 ≥ 5 passes
            expect_no_hessian(judge, seen, size)


@check(EX, 0.5, hidden=True)
def test_zero_derivatives_random(judge: Judge) -> None:
    """导数不再依赖 x 时结果为 0：随机点上 x³ 的四、五阶导数，随机线性函数的 H 与 Hv
    derivatives that no longer depend on x are 0: orders 4 and 5 of x³ at random points, H and Hv of a random
    linear f"""
    for n in (4, 5):
        _check(judge, "nth_derivative", "cube", 1, lambda *_: torch.zeros(()), scalar=True, n=n)
    size = judge.randint(2, 8)
    _check(judge, "hessian", "linear", size, lambda *_: torch.zeros(size, size))
    _check(judge, "hessian_vector_product", "linear", size, lambda *_: torch.zeros(size), with_v=True)
