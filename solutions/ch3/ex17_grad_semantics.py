"""练习 17：梯度的语义：累加与清零、`detach()` 与 `.data`、`.item()`、`no_grad` 与 `eval`、梯度裁剪。

笔记中的要点：`loss.backward()` 把新梯度累加到 `.grad` 上（x.grad = 之前的 x.grad + ∂loss/∂x），
所以每步之前要 `zero_grad()`（默认 `set_to_none=True` 把 `.grad` 设为 None，`False` 则原地置零）；
不清零则得到几次反向传播梯度之和，这正是梯度累积的做法。`detach()` 与 `.data` 都返回与原张量
共享内存、不需要梯度的张量，但经 `.data` 做的原地修改 autograd 看不见，反向传播会悄悄用改过的
值算出错误的梯度；经 `detach()` 的修改会被版本计数发现，`backward()` 抛出 RuntimeError
（"modified by an inplace operation"）。`.item()` 把只有一个元素的张量变成 Python 数，训练循环
用 `total_loss += loss.item()` 累加损失，不保留计算图。`torch.no_grad()` 只停止 autograd（不建
计算图），不改变 dropout 与 batch norm 的行为：训练模式下仍用批统计量并更新滑动统计量；
`model.eval()` 只切换 dropout 与 batch norm 到评估行为，梯度照常计算。
`torch.nn.utils.clip_grad_norm_` 只解决梯度爆炸：把所有梯度合起来的 2-范数缩放到不超过 max_norm。

Exercise 17: gradient semantics: accumulation and zeroing, `detach()` against `.data`, `.item()`, `no_grad` against
`eval`, gradient clipping.

The notes' points: `loss.backward()` adds the new gradient onto `.grad`
(x.grad = the previous x.grad + ∂loss/∂x), so each step starts with `zero_grad()` (by default
`set_to_none=True` sets `.grad` to None; `False` zeroes it in place); without it you get the sum
of several backward passes' gradients, which is exactly how gradient accumulation works.
`detach()` and `.data` both return a tensor that shares memory with the original and does not
require grad, but an in-place change made through `.data` is invisible to autograd, so
back-propagation silently uses the changed values and computes a wrong gradient; a change made
through `detach()` is caught by the version counter and `backward()` raises a RuntimeError
("modified by an inplace operation"). `.item()` turns a one-element tensor into a Python number;
a training loop sums its losses with `total_loss += loss.item()`, keeping no graph.
`torch.no_grad()` only stops autograd (no graph is built) and leaves dropout and batch norm as
they are: in train mode batch norm still uses the batch's statistics and updates its running
statistics; `model.eval()` only switches dropout and batch norm to their evaluation behaviour,
and gradients are computed as usual. `torch.nn.utils.clip_grad_norm_` addresses exploding
gradients only: it scales all the gradients together so that their total 2-norm is at most max_norm.
"""

import torch
from torch import nn


def accumulate_grads(model: nn.Module, batches: list[torch.Tensor]) -> None:
    """Back-propagate ``model(x).pow(2).mean()`` for each ``x`` of ``batches`` in turn, without
    zeroing in between: afterwards each parameter's ``.grad`` is what it was before the call
    (None counting as 0) plus the sum of the batches' gradients.

    Args:
        model: an ``nn.Module`` whose output is a float tensor, on the batches' device, in the
            mode it is in (the call does not change it).
        batches: a non-empty list of inputs of the model, e.g. (B, features) float32.
    Returns:
        None; the gradients are left in the parameters' ``.grad``.
    """
    ### BEGIN SOLUTION
    for x in batches:
        model(x).pow(2).mean().backward()
    ### END SOLUTION


def clear_grads(model: nn.Module, set_to_none: bool) -> None:
    """Clear the gradients of every parameter of ``model``, as ``zero_grad`` does: with
    ``set_to_none`` each ``.grad`` becomes None; without it each existing ``.grad`` is zeroed
    in place (same shape, dtype and device), and a ``.grad`` that is None stays None.

    Args:
        model: any ``nn.Module``.
        set_to_none: True to drop the gradients, False to zero them.
    Returns:
        None.
    """
    ### BEGIN SOLUTION
    model.zero_grad(set_to_none=set_to_none)
    ### END SOLUTION


def edit_through_data(x: torch.Tensor, new: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The change autograd cannot see: y = sigmoid(xc) for a leaf copy xc of ``x`` that
    requires grad; overwrite y's values in place with ``new`` through ``y.data``; then ``y.sum().backward()``.

    Sigmoid's backward uses its saved output y (dy/dx = y(1 − y)), so the gradient autograd
    returns is new·(1 − new): silently wrong. ``x`` and ``new`` are left as they were.

    Args:
        x: (n,) float32 or float64, any device.
        new: x's shape, dtype and device; values in (0, 1).
    Returns:
        (y, grad): y after the change (its values are ``new``) and the gradient xc.grad; both
        plain tensors of x's shape, dtype and device.
    """
    ### BEGIN SOLUTION
    leaf = x.detach().clone().requires_grad_(True)
    y = torch.sigmoid(leaf)
    y.data.copy_(new)
    y.sum().backward()
    return y.detach(), leaf.grad
    ### END SOLUTION


def edit_through_detach(x: torch.Tensor, new: torch.Tensor) -> tuple[torch.Tensor, str]:
    """The same change through ``y.detach()``: y = sigmoid(xc) for a leaf copy xc of ``x``;
    overwrite y's values in place with ``new`` through ``y.detach()`` (which shares y's memory);
    then ``y.sum().backward()``, which raises a RuntimeError: autograd saw that a tensor it needs
    was modified in place. Catch it and return its message. ``x`` and ``new`` are left as they were.

    Args:
        x, new: as for ``edit_through_data``.
    Returns:
        (y, message): y after the change (plain, values ``new``, x's shape, dtype and device)
        and the RuntimeError's message, ``str(error)``.
    """
    ### BEGIN SOLUTION
    leaf = x.detach().clone().requires_grad_(True)
    y = torch.sigmoid(leaf)
    y.detach().copy_(new)
    try:
        y.sum().backward()
    except RuntimeError as error:
        return y.detach(), str(error)
    return y.detach(), ""
    ### END SOLUTION


def average_loss(losses: list[torch.Tensor]) -> float:
    """The mean of a training loop's batch losses as a Python float: each loss is turned into
    a number with ``.item()`` before it is added up (the chapter's ``total_loss += loss.item()``),
    so no graph is kept alive.

    Args:
        losses: a non-empty list of 0-d float tensors, any device, each with its graph.
    Returns:
        A Python float.
    """
    ### BEGIN SOLUTION
    total = 0.0
    for loss in losses:
        total += loss.item()
    return total / len(losses)
    ### END SOLUTION


def forward_no_grad(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """``model(x)`` under ``torch.no_grad()`` only, in whatever mode the model is in: no graph is
    built, but nothing else changes. A model in train mode still normalises with the batch's
    statistics and updates BatchNorm's running statistics (and its dropout stays on); a model in
    eval mode behaves as in eval mode. The mode is not changed.

    Args:
        model: an ``nn.Module`` on the device of ``x``, in train or eval mode.
        x: the model's input, e.g. (N, features) float32.
    Returns:
        The output; it does not require grad and has no graph.
    """
    ### BEGIN SOLUTION
    with torch.no_grad():
        return model(x)
    ### END SOLUTION


def forward_eval(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """``model(x)`` in eval mode, with autograd on: BatchNorm normalises with its running
    statistics and does not update them (and dropout is off), yet the output has a graph back to
    the parameters (``backward()`` still works). The model and each of its submodules are put
    back in the mode they were in.

    Args:
        model: an ``nn.Module`` on the device of ``x``, in train or eval mode, its parameters
            requiring grad.
        x: the model's input, e.g. (N, features) float32.
    Returns:
        The output; it requires grad and has a graph.
    """
    ### BEGIN SOLUTION
    modes = {m: m.training for m in model.modules()}
    model.eval()
    try:
        return model(x)
    finally:
        for m, training in modes.items():
            m.training = training
    ### END SOLUTION


def clip_gradients(model: nn.Module, max_norm: float) -> float:
    """Clip the gradients of ``model``'s parameters in place with
    ``torch.nn.utils.clip_grad_norm_``: with the total norm T = sqrt(Σ ‖p.grad‖²) over the
    parameters that have a gradient (those whose ``.grad`` is None are skipped), every gradient is
    multiplied by max_norm / (T + 1e-6) when that factor is below 1, and left alone otherwise.

    Args:
        model: an ``nn.Module`` whose parameters hold gradients (some may be None).
        max_norm: the largest total 2-norm allowed, > 0.
    Returns:
        T, the total norm before clipping, as a Python float (``.item()``).
    """
    ### BEGIN SOLUTION
    return torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm).item()
    ### END SOLUTION
