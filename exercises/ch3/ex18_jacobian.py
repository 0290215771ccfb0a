"""练习 18：雅可比矩阵：用 `torch.autograd.grad` 逐行求，对照 `torch.autograd.functional.jacobian`；向量-雅可比积。

笔记 002 用 `torch.autograd.functional.jacobian` 求雅可比矩阵（jacobian matrix），例子是
y = x²、x 的形状为 (2, 3)。对 y = f(x)，雅可比 J 收集所有偏导数 ∂yᵢ/∂xⱼ：x 为 (n,)、y 为 (m,)
时 J 是 (m, n)；一般地 J 的形状是 y.shape + x.shape（(2, 3) 的 x 平方得到 (2, 3, 2, 3) 的 J，
只有“对角线”上为 2x）。反向模式的自动微分一次反向传播求的是向量-雅可比积（VJP）vᵀJ：
`torch.autograd.grad(y, x, grad_outputs=v)`；取 v 为第 i 个单位向量就得到 J 的第 i 行，所以
逐个输出元素求梯度（保留计算图，`retain_graph=True`）就得到整个 J，共 y.numel() 次反向传播。
注意 `jacobian` 的第一个参数是函数，不是张量。

约定：
- `jacobian` 与 `vjp` 只用 `torch.autograd.grad` 求导：不用 `.backward()`、
  `torch.autograd.functional`、`torch.autograd.forward_ad`、`torch.func`（包括 `torch.vmap`），
  无论怎样导入；`jacobian_functional` 则用 `torch.autograd.functional.jacobian`。评分程序读
  源代码，也在运行时核对，不守约定的函数在检查它结果的各项中不得分。
- `vjp` 不构造 J：一次反向传播，与 y 的大小无关。
- 调用者的 `x` 保持原样（`requires_grad`、`.grad` 仍为 None、数值）；在新叶子
  `x.detach().requires_grad_()` 上求导。结果是普通张量（不需要梯度），dtype 与设备同 x。
- 不依赖 x 的输出，其导数为 0，不报错。

Exercise 18: the Jacobian, row by row with `torch.autograd.grad`, against `torch.autograd.functional.jacobian`;
the vector-Jacobian product.

Note 002 takes a Jacobian matrix with `torch.autograd.functional.jacobian`, for y = x² with
x of shape (2, 3). For y = f(x) the Jacobian J gathers every partial derivative ∂yᵢ/∂xⱼ: for x
(n,) and y (m,), J is (m, n); in general J has the shape y.shape + x.shape (squaring a (2, 3)
x gives a (2, 3, 2, 3) J, 2x on its "diagonal" only). Reverse-mode autodiff computes a
vector-Jacobian product (VJP) vᵀJ in one backward pass: `torch.autograd.grad(y, x,
grad_outputs=v)`; with v the i-th unit vector that is row i of J, so taking the gradient of
each output element in turn (keeping the graph, `retain_graph=True`) gives all of J, in
y.numel() backward passes. Mind that `jacobian`'s first argument is a function, not a tensor.

Conventions:
- `jacobian` and `vjp` take derivatives with `torch.autograd.grad` only: not `.backward()`,
  `torch.autograd.functional`, `torch.autograd.forward_ad` or `torch.func` (`torch.vmap`
  included), however imported; `jacobian_functional` uses
  `torch.autograd.functional.jacobian`. The grader reads the source and watches the run; a
  function that breaks its rule earns nothing on the checks of its results.
- `vjp` never forms J: one backward pass, whatever the size of y.
- The caller's `x` is left as it was (`requires_grad`, `.grad` still None, values);
  differentiate with respect to the new leaf `x.detach().requires_grad_()`. Results are plain
  tensors (no grad), with x's dtype and device.
- An output that does not depend on x has derivative 0, not an error.
"""

from collections.abc import Callable

import torch

TensorFn = Callable[[torch.Tensor], torch.Tensor]


def jacobian(f: TensorFn, x: torch.Tensor) -> torch.Tensor:
    """The Jacobian of ``f`` at ``x`` by ``torch.autograd.grad``, one output element at a time.

    Args:
        f: a differentiable function of a tensor of x's shape, returning a tensor y of any
            shape (0-d included) in x's dtype and device.
        x: any shape (n,), (p, q), ..., float32 or float64, any device.
    Returns:
        J of shape y.shape + x.shape, J[i…, j…] = ∂y[i…]/∂x[j…]; x's dtype and device; plain.
    """
    raise NotImplementedError("ex18_jacobian.jacobian: 尚未实现 / not implemented yet")


def jacobian_functional(f: TensorFn, x: torch.Tensor) -> torch.Tensor:
    """The same Jacobian with ``torch.autograd.functional.jacobian`` (f, not f(x), is its first argument).

    Args:
        f, x: as for ``jacobian``.
    Returns:
        J of shape y.shape + x.shape, x's dtype and device; plain.
    """
    raise NotImplementedError("ex18_jacobian.jacobian_functional: 尚未实现 / not implemented yet")


def vjp(f: TensorFn, x: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """The vector-Jacobian product vᵀJ = Σᵢ v[i…]·∂y[i…]/∂x, in one ``torch.autograd.grad`` call
    with ``grad_outputs=v``; J is never formed.

    Args:
        f, x: as for ``jacobian``.
        v: the shape of y = f(x), x's dtype and device.
    Returns:
        x's shape, dtype and device; plain.
    """
    raise NotImplementedError("ex18_jacobian.vjp: 尚未实现 / not implemented yet")
