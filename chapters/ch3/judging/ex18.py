"""Judge-side helpers for ex18: the closed-form Jacobians of the probe's named functions in
float64, the rules of each function (ex08's torch.autograd.grad only; the functional API; the
VJP never forms J), and the run itself.

Nothing here runs next to student code.
"""

from __future__ import annotations

from typing import Any

import torch

from chapters.ch3.judging.ex08 import expect_grad_only, expect_x_alone
from grader.judge.check import Judge
from grader.judge.expect import expect, expect_tensor
from grader.judge.usage import uses

TOLERANCE = {torch.float32: (1e-5, 1e-4), torch.float64: (1e-10, 1e-8)}  # atol, rtol
DESCRIBE = {"square": "y = x²", "affine_tanh": "y = tanh(Ax + b)", "matmul_right": "Y = X W",
            "softmax_rows": "Y = softmax of each row of X", "normalize": "y = x / ‖x‖", "constant": "y = c"}


def random_params(name: str, x_shape: tuple[int, ...], m: int, gen: torch.Generator) -> dict[str, torch.Tensor]:
    """Random float64 parameters of the named function for x of ``x_shape``; ``m`` the output size where free."""
    def randn(*shape: int) -> torch.Tensor:
        return torch.randn(shape, generator=gen, dtype=torch.float64)

    if name == "affine_tanh":
        return {"A": randn(m, x_shape[0]) * 0.5, "b": randn(m)}
    if name == "matmul_right":
        return {"W": randn(x_shape[1], m)}
    if name == "constant":
        return {"c": randn(m)}
    return {}


def reference(name: str, params: dict[str, torch.Tensor], x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """y = f(x) and its Jacobian (shape y.shape + x.shape) in closed form, float64."""
    x = x.double()
    n = x.numel()
    if name == "square":
        return x**2, torch.diag(2 * x.flatten()).reshape(x.shape + x.shape)
    if name == "affine_tanh":
        A, b = params["A"], params["b"]
        y = torch.tanh(A @ x + b)
        return y, (1 - y**2)[:, None] * A
    if name == "matmul_right":
        W = params["W"]
        eye = torch.eye(x.shape[0], dtype=torch.float64)
        return x @ W, eye[:, None, :, None] * W.T[None, :, None, :]
    if name == "softmax_rows":
        s = torch.softmax(x, dim=-1)
        per_row = torch.diag_embed(s) - s[:, :, None] * s[:, None, :]  # (p, q, q): ∂s[i, j]/∂x[i, c]
        eye = torch.eye(x.shape[0], dtype=torch.float64)
        return s, eye[:, None, :, None] * per_row[:, :, None, :]
    if name == "normalize":
        norm = x.norm()
        u = x.flatten() / norm
        jac = (torch.eye(n, dtype=torch.float64) - u[:, None] * u[None, :]) / norm
        return x / norm, jac.reshape(x.shape + x.shape)
    c = params["c"]
    return c, torch.zeros(c.shape + x.shape, dtype=torch.float64)


def run(judge: Judge, func: str, f: str, params: dict[str, torch.Tensor], x: torch.Tensor, *more: Any,
        requires_grad: bool = False) -> dict[str, Any]:
    """``func(f, x, *more)`` on the student side; the probe's observations."""
    seen: dict[str, Any] = judge.probe("ch3.ex18.run", func=func, f=f, params=params, x=x,
                                       requires_grad=requires_grad, more=list(more))
    return seen


def describe_input(f: str, x: torch.Tensor) -> str:
    shape = ", ".join(map(str, x.shape)) + ("," if x.dim() == 1 else "")
    return f"{DESCRIBE[f]}, {str(x.dtype).removeprefix('torch.')} x ({shape})"


def expect_functional_used(judge: Judge, seen: dict[str, Any]) -> None:
    """``jacobian_functional`` called torch.autograd.functional.jacobian: in its source, and at run time."""
    source = judge.source()  # None: no source to read (a missing module was reported by the probe)
    in_source = source is None or uses(source, "jacobian_functional", "torch.autograd.functional.jacobian")
    expect(in_source and seen["functional"],
           "jacobian_functional 应调用 torch.autograd.functional.jacobian(f, x)，否则这一项不得分。",
           "jacobian_functional must call torch.autograd.functional.jacobian(f, x); otherwise this check earns "
           "nothing.", f"源代码中 in the source: {'有 yes' if in_source else '无 no'}; 运行时 at run time: "
           f"{'有 yes' if seen['functional'] else '无 no'}")


def expect_one_pass(judge: Judge, seen: dict[str, Any], outputs: int) -> None:
    """``vjp`` never formed J: one backward pass for ``outputs`` ≥ 2 output elements, and its source
    does not reach this module's ``jacobian`` or ``jacobian_functional``."""
    passes = seen["backward_passes"]
    expect(passes <= 1, f"vjp 做了 {passes} 次反向传播：这是在构造 J。"
           "应以 grad_outputs=v 调用一次 torch.autograd.grad。",
           f"vjp ran {passes} backward passes: that forms J. Call torch.autograd.grad once with grad_outputs=v.",
           f"y 的元素个数 elements of y: {outputs}")
    source = judge.source()
    expect(source is None or not (uses(source, "vjp", "jacobian") or uses(source, "vjp", "jacobian_functional")),
           "vjp 调用了 jacobian：这是在构造 J。应以 grad_outputs=v 调用一次 torch.autograd.grad。",
           "vjp calls jacobian: that forms J. Call torch.autograd.grad once with grad_outputs=v.")


def _grad_only(judge: Judge, func: str, f: str, seen: dict[str, Any]) -> None:
    """ex08's rule, torch.autograd.grad only; for a constant f, whose derivative needs no call, by
    the calls it must not make."""
    expect_grad_only(judge, func, [seen] if f != "constant" else [{**seen, "grad_calls": 1}])


def check_jacobian(judge: Judge, func: str, f: str, params: dict[str, torch.Tensor], x: torch.Tensor,
                   inputs: str = "") -> None:
    """``func`` (jacobian or jacobian_functional) gives the closed-form J in x's dtype, by its rule."""
    seen = run(judge, func, f, params, x)
    _, want = reference(f, params, x)
    atol, rtol = TOLERANCE[x.dtype]
    expect_tensor(seen["result"], want.to(x.dtype), f"{func}(f, x)", device=judge.device,
                  inputs=inputs or describe_input(f, x), atol=atol, rtol=rtol)
    if func == "jacobian":
        _grad_only(judge, "jacobian", f, seen)
    else:
        expect_functional_used(judge, seen)


def check_vjp(judge: Judge, f: str, params: dict[str, torch.Tensor], x: torch.Tensor, v: torch.Tensor) -> None:
    """``vjp`` gives vᵀJ (J in closed form) in x's dtype, by torch.autograd.grad only, in one pass."""
    seen = run(judge, "vjp", f, params, x, v)
    y, jac = reference(f, params, x)
    want = (v.double().reshape(-1) @ jac.reshape(y.numel(), -1)).reshape(x.shape)
    atol, rtol = TOLERANCE[x.dtype]
    expect_tensor(seen["result"], want.to(x.dtype), "vjp(f, x, v)", device=judge.device,
                  inputs=describe_input(f, x), atol=atol, rtol=rtol)
    _grad_only(judge, "vjp", f, seen)
    expect_one_pass(judge, seen, y.numel())


def check_x_alone(judge: Judge, func: str, f: str, params: dict[str, torch.Tensor], x: torch.Tensor,
                  *more: Any) -> None:
    """``func`` returns a plain tensor and leaves the caller's x alone, whether x requires grad or not."""
    for requires_grad in (False, True):
        expect_x_alone(run(judge, func, f, params, x, *more, requires_grad=requires_grad), func, x, requires_grad)
