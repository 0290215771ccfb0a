"""基础 3：自动微分（autograd）如何工作，以及 `requires_grad` 属性的作用。

对 `requires_grad=True` 的张量进行运算时会生成计算图；调用 `.backward()` 时，按链式法则
计算梯度。`requires_grad` 决定是否对一个张量进行梯度计算与跟踪。本章的例子是损失函数
y = (1/N) Σᵢ ((xᵢ − 1)² + 4)，按链式法则 ∂y/∂xᵢ = 2(xᵢ − 1)/N。在推理、或微调时固定
大部分参数的场合，需要关掉梯度跟踪（`torch.no_grad()`、`detach()`、`requires_grad_(False)`）。
实现下面五个函数：本章的损失函数；用 autograd 与用闭式公式求它的梯度；冻结一个模块的
全部参数；以及不建计算图、按评估模式进行的推理。

Basics 3: how automatic differentiation (autograd) works, and what `requires_grad` does.

Operations on a tensor with `requires_grad=True` build a computation graph; `.backward()`
computes gradients through it by the chain rule. `requires_grad` says whether a tensor's
gradient is computed and tracked. The chapter's example is the loss
y = (1/N) Σᵢ ((xᵢ − 1)² + 4), whose gradient by the chain rule is ∂y/∂xᵢ = 2(xᵢ − 1)/N.
Gradient tracking is switched off for inference, or when most parameters stay fixed during
fine-tuning (`torch.no_grad()`, `detach()`, `requires_grad_(False)`). Implement the five
functions below: the chapter's loss; its gradient by autograd and by the closed form;
freezing every parameter of a module; and inference that builds no graph, in eval mode.
"""

import torch
from torch import nn


def chapter_loss(x: torch.Tensor) -> torch.Tensor:
    """y = mean((x − 1)² + 4), the chapter's loss.

    Args:
        x: any shape (...), floating dtype, any device.
    Returns:
        0-d tensor, the dtype and device of ``x``; differentiable (it has a graph back to
        ``x`` when ``x`` requires grad).
    """
    raise NotImplementedError("ex03_autograd.chapter_loss: 尚未实现 / not implemented yet")


def grad_by_autograd(x: torch.Tensor) -> torch.Tensor:
    """dy/dx of ``chapter_loss`` at ``x``, computed by autograd: ``.backward()`` or
    ``torch.autograd.grad`` on the loss does the differentiation (the closed form is
    ``grad_by_hand``'s job; the grader reads the source and watches the call).

    The caller's ``x`` is left exactly as it was: its values, its ``requires_grad`` flag
    and its ``.grad`` (None stays None; an existing gradient is not added to).

    Args:
        x: any shape (...), floating dtype, any device; requiring grad or not.
    Returns:
        A plain tensor of the shape, dtype and device of ``x``: it does not require grad
        and has no graph.
    """
    raise NotImplementedError("ex03_autograd.grad_by_autograd: 尚未实现 / not implemented yet")


def grad_by_hand(x: torch.Tensor) -> torch.Tensor:
    """The same gradient from the closed form dy/dxᵢ = 2(xᵢ − 1)/N, N = x.numel().

    A gradient is a result, not part of a model: the returned tensor does not require grad
    and has no graph, also when ``x`` requires grad (no graph is built). ``x`` is left as it was.

    Args:
        x: any shape (...), floating dtype, any device; requiring grad or not.
    Returns:
        A plain tensor of the shape, dtype and device of ``x``.
    """
    raise NotImplementedError("ex03_autograd.grad_by_hand: 尚未实现 / not implemented yet")


def freeze_(module: nn.Module) -> int:
    """Set ``requires_grad=False`` on every parameter of ``module`` (its submodules included).

    Returns the number of scalar parameters this call froze: the sum of ``numel()`` over
    the parameters that still required grad before the call. Parameters that were already
    frozen are not counted, a parameter shared by several submodules is counted once, and
    buffers (such as BatchNorm's running statistics) are not parameters. A second call
    therefore returns 0. Parameter values do not change.

    Args:
        module: any ``nn.Module``, on any device.
    Returns:
        A Python int ≥ 0.
    """
    raise NotImplementedError("ex03_autograd.freeze_: 尚未实现 / not implemented yet")


def predict(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """``model(x)`` for inference: dropout off and batch norm on its running statistics (eval
    mode), and no graph built.

    The model is left exactly as it was: its parameters and buffers (no running statistic
    changes) and the ``training`` flag of the model and of every submodule, each back to its
    own value (a model in train mode with a BatchNorm layer kept in eval mode comes back that
    way, and so does a model in eval mode with a Dropout layer kept in train mode).

    Args:
        model: any ``nn.Module`` on the device of ``x``, in train or eval mode.
        x: the model's input, e.g. (N, features) float32.
    Returns:
        The model's output, e.g. (N, outputs) float32, on the device of ``x``; it does not
        require grad and has no graph.
    """
    raise NotImplementedError("ex03_autograd.predict: 尚未实现 / not implemented yet")
