"""深化 8：用 `torch.autograd.grad` 计算高阶导数。

用 `torch.autograd.grad` 计算高阶导数（higher-order derivatives），并编写简单的示例代码
（例如：海森矩阵的计算）。章中的例子：x = 2、y = x³，先以 `create_graph=True` 求一阶导数
3x² = 12，再对它求导得二阶导数 6x = 12。

约定：
- 只用 `torch.autograd.grad` 求导：不用 `.backward()`（`torch.autograd.backward` 也不用）、
  `torch.autograd.functional`（jacobian、hessian、hvp、vhp 等）、`torch.autograd.forward_ad`，
  也不用 `torch.func`（包括 `torch.vmap`），无论怎样导入、起什么别名。对需要继续求导的导数，
  调用时传 `create_graph=True`。
- 这一条是本练习的要求，也是计分的前提：评分程序既读源代码（函数本身及它调用的本模块函数），
  也在运行时核对；不守这一条的函数，检查它结果的每一项都不得分（不用 `torch.autograd.grad`
  的答案至多得 1/10 分）。getattr 取计算出的名字、eval、torch 的私有模块、sys 等让用法无法
  核实的写法，按不守处理。
- 调用者的 `x` 保持原样：`requires_grad` 标志、`.grad`（仍为 None）和数值都不变。可在
  `x.detach().requires_grad_()` 这个新叶子上求导。
- 结果是普通张量：不需要梯度、没有计算图（`requires_grad=False`），dtype 与设备同 `x`。
- 导数不再依赖 x 时（例如 x³ 的四阶以上导数、线性函数的海森矩阵）结果为 0，不应报错：
  对不需要梯度的输出不要再调用 `torch.autograd.grad`。
- `hessian_vector_product` 不构造 H：先求 g = ∇f（`create_graph=True`），再对 g·v 求梯度，
  只需两次反向传播，与 n 无关；不调用 `hessian`，也不逐行或成批（`is_grads_batched`）求 H。

Deeper 8: higher-order derivatives with `torch.autograd.grad`.

Compute higher-order derivatives with `torch.autograd.grad` and write a simple example
(say, the Hessian matrix). The chapter's example: x = 2, y = x³; the first derivative
3x² = 12 is taken with `create_graph=True`, and differentiating it again gives the second
derivative 6x = 12.

Conventions:
- Take derivatives with `torch.autograd.grad` only: not `.backward()` (nor
  `torch.autograd.backward`), `torch.autograd.functional` (jacobian, hessian, hvp, vhp, ...),
  `torch.autograd.forward_ad`, or `torch.func` (`torch.vmap` included), however imported or
  renamed. Pass `create_graph=True` for a derivative that will be differentiated again.
- This rule is the point of the exercise, and what its points depend on: the grader reads
  the source (the function and this module's functions it calls) and also watches the run;
  a function that breaks it earns nothing on any check of its results (an answer without
  `torch.autograd.grad` scores at most 1/10). Code that makes the use unverifiable (getattr
  with a computed name, eval, torch's private modules, sys, ...) counts as breaking it.
- The caller's `x` is left as it was: its `requires_grad` flag, its `.grad` (still None)
  and its values. Differentiate with respect to the new leaf `x.detach().requires_grad_()`.
- Results are plain tensors: no grad and no graph (`requires_grad=False`), with x's dtype
  and device.
- When a derivative no longer depends on x (the fourth and higher derivatives of x³, the
  Hessian of a linear function) the result is 0, not an error: do not call
  `torch.autograd.grad` on an output that does not require grad.
- `hessian_vector_product` never forms H: take g = ∇f (`create_graph=True`), then the
  gradient of g·v — two backward passes, whatever n is; it does not call `hessian`, nor take
  the rows of H one by one or in a batch (`is_grads_batched`).
"""

from collections.abc import Callable

import torch

ScalarFn = Callable[[torch.Tensor], torch.Tensor]


def _grad(y: torch.Tensor, x: torch.Tensor, create_graph: bool = False) -> torch.Tensor:
    """dy/dx by torch.autograd.grad; zeros like x when y does not depend on x.

    Args:
        y: 0-d tensor, a function of the leaf ``x`` (or a constant).
        x: any shape, requires grad.
        create_graph: keep a graph of the result, to differentiate it again.
    Returns:
        Tensor with x's shape, dtype and device. The graph of y is kept (retain_graph),
        so the caller may differentiate another function of it.
    """
    ### BEGIN SOLUTION
    if not y.requires_grad:
        return torch.zeros_like(x)
    (dy,) = torch.autograd.grad(y, x, create_graph=create_graph, retain_graph=True, materialize_grads=True)
    return dy
    ### END SOLUTION


def nth_derivative(f: ScalarFn, x: torch.Tensor, n: int) -> torch.Tensor:
    """The n-th derivative dⁿf/dxⁿ at x.

    Args:
        f: scalar function of a 0-d tensor, returning a 0-d tensor.
        x: 0-d float tensor.
        n: order, n ≥ 1.
    Returns:
        0-d tensor, x's dtype and device, no grad.
    """
    ### BEGIN SOLUTION
    x = x.detach().requires_grad_(True)
    derivative = f(x)
    for _ in range(n):
        derivative = _grad(derivative, x, create_graph=True)
    return derivative.detach()
    ### END SOLUTION


def gradient(f: ScalarFn, x: torch.Tensor) -> torch.Tensor:
    """The gradient ∇f(x).

    Args:
        f: scalar function of a vector, returning a 0-d tensor.
        x: (n,) float.
    Returns:
        (n,), x's dtype and device, no grad.
    """
    ### BEGIN SOLUTION
    x = x.detach().requires_grad_(True)
    return _grad(f(x), x)
    ### END SOLUTION


def hessian(f: ScalarFn, x: torch.Tensor) -> torch.Tensor:
    """The Hessian H[i, j] = ∂²f / ∂xᵢ∂xⱼ at x, row by row with torch.autograd.grad.

    Args:
        f: scalar function of a vector, returning a 0-d tensor.
        x: (n,) float.
    Returns:
        (n, n), x's dtype and device, no grad.
    """
    ### BEGIN SOLUTION
    x = x.detach().requires_grad_(True)
    g = _grad(f(x), x, create_graph=True)
    return torch.stack([_grad(g[i], x) for i in range(x.shape[0])])
    ### END SOLUTION


def hessian_vector_product(f: ScalarFn, x: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """H(x) v = ∇(∇f(x) · v), without forming H: two backward passes.

    Args:
        f: scalar function of a vector, returning a 0-d tensor.
        x: (n,) float.
        v: (n,) float, same dtype and device.
    Returns:
        (n,), x's dtype and device, no grad.
    """
    ### BEGIN SOLUTION
    x = x.detach().requires_grad_(True)
    g = _grad(f(x), x, create_graph=True)
    return _grad(g @ v, x)
    ### END SOLUTION
