"""练习 15：线性回归：从零手写 SGD，以及用 `nn.Linear` 与 `torch.optim.SGD`；小批量与单样本 SGD。

模型 ŷ = x·w + b，损失是一批样本上的均方误差 mean((ŷ − y)²)（`nn.MSELoss()`）。从零实现时，
w 与 b 是 `requires_grad=True` 的叶子张量：每一步前向计算损失，`loss.backward()` 求梯度，然后
在 `torch.no_grad()` 下（或通过 `.data`，如笔记中 `w.data = w.data - lr * w.grad.data`）做更新
w ← w − lr·∂loss/∂w、b ← b − lr·∂loss/∂b，再把梯度清零：`backward()` 会把新梯度累加到
`.grad` 上，不清零的话下一步用的是几步梯度之和。用 PyTorch 的类时，`nn.Linear(D, 1)` 是模型，
`torch.optim.SGD(model.parameters(), lr=lr)` 做同样的更新，每步依次
`optimizer.zero_grad()`、`loss.backward()`、`optimizer.step()`。
batch_size = 1 是单样本随机梯度下降（每次一个样本），batch_size = N 是全批量梯度下降，介于
两者之间的是小批量梯度下降。样本的顺序由给定的 `epoch_batches` 决定（不要修改它）：同样的
数据、超参数与 seed，两个函数得到同样的参数，评分程序也能重现同一次训练。

Exercise 15: linear regression, from scratch with hand-written SGD and with `nn.Linear` and `torch.optim.SGD`;
mini-batch against single-sample SGD.

The model is ŷ = x·w + b and the loss the mean squared error over a batch, mean((ŷ − y)²)
(`nn.MSELoss()`). From scratch, w and b are leaf tensors with `requires_grad=True`: each step
computes the loss, `loss.backward()` takes the gradients, then the update
w ← w − lr·∂loss/∂w, b ← b − lr·∂loss/∂b is made under `torch.no_grad()` (or through `.data`,
as the notes' `w.data = w.data - lr * w.grad.data`), and the gradients are zeroed: `backward()`
adds the new gradient onto `.grad`, so without zeroing the next step would use the sum of
several steps' gradients. With PyTorch's classes, `nn.Linear(D, 1)` is the model and
`torch.optim.SGD(model.parameters(), lr=lr)` makes the same update, each step
`optimizer.zero_grad()`, `loss.backward()`, `optimizer.step()`. batch_size = 1 is
single-sample stochastic gradient descent, batch_size = N full-batch gradient descent, and
in between mini-batch gradient descent. The order of the samples is set by the given
`epoch_batches` (do not change it): with the same data, hyperparameters and seed, both
functions reach the same parameters, and the grader can replay the very same training.
"""

import torch
from torch import nn


def epoch_batches(n: int, batch_size: int, seed: int, epoch: int) -> list[torch.Tensor]:
    """The sample indices of each step of epoch ``epoch`` (0-based); given, do not change it.

    The epoch visits the samples in the order
    ``torch.randperm(n, generator=torch.Generator().manual_seed(seed + epoch))`` (a new order
    every epoch), cut into consecutive batches of ``batch_size``; the last batch is shorter
    when ``batch_size`` does not divide ``n``.

    Args:
        n: the number of samples N ≥ 1.
        batch_size: 1 ≤ batch_size ≤ N.
        seed: any int ≥ 0.
        epoch: the epoch's number, 0, 1, ...
    Returns:
        ceil(N / batch_size) int64 CPU tensors of indices into the N samples.
    """
    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed + epoch))
    return list(order.split(batch_size))


def train_manual(x: torch.Tensor, y: torch.Tensor, w0: torch.Tensor, b0: torch.Tensor, lr: float, epochs: int,
                 batch_size: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Linear regression from scratch: SGD by hand on the leaves w and b.

    w and b start from copies of ``w0`` and ``b0`` and require grad. For each epoch
    0 … epochs − 1 and each batch of indices of ``epoch_batches(N, batch_size, seed, epoch)``,
    in that order: loss = mean((x[batch]·w + b − y[batch])²) over the batch's samples;
    ``loss.backward()`` (autograd takes the gradients: do not write them by hand); then
    w ← w − lr·w.grad and b ← b − lr·b.grad without autograd recording it (``torch.no_grad()``
    or ``.data``); then the gradients are zeroed before the next step. No ``torch.optim``.

    ``x``, ``y``, ``w0`` and ``b0`` are left as they were.

    Args:
        x: (N, D) float32 or float64, any device.
        y: (N,) x's dtype and device.
        w0: (D,) the initial weights, x's dtype and device.
        b0: 0-d, the initial bias, x's dtype and device.
        lr: the learning rate > 0.
        epochs: the number of passes over the data ≥ 0.
        batch_size: 1 ≤ batch_size ≤ N (1: single-sample SGD; N: full batch).
        seed: the seed of ``epoch_batches``.
    Returns:
        (w, b): w (D,) and b 0-d, x's dtype and device, plain tensors (no grad, no graph).
    """
    raise NotImplementedError("ex15_linear_regression.train_manual: 尚未实现 / not implemented yet")


def train_nn(x: torch.Tensor, y: torch.Tensor, w0: torch.Tensor, b0: torch.Tensor, lr: float, epochs: int,
             batch_size: int, seed: int) -> nn.Linear:
    """The same training with ``nn.Linear``, ``nn.MSELoss`` and ``torch.optim.SGD``.

    The model is ``nn.Linear(D, 1)`` in x's dtype and on x's device, its weight set to ``w0``
    (as a (1, D) row) and its bias to ``b0`` (as (1,)). The optimiser is
    ``torch.optim.SGD(model.parameters(), lr=lr)`` (no momentum, no weight decay). The steps
    are those of ``train_manual``: the same batches in the same order, the loss the mean
    squared error over the batch (mind the shapes: the model's output is (B, 1), ``y[batch]``
    is (B,)), each step ``optimizer.zero_grad()``, ``loss.backward()``, ``optimizer.step()``.
    So the trained weight and bias equal ``train_manual``'s w and b (up to rounding).

    ``x``, ``y``, ``w0`` and ``b0`` are left as they were.

    Args:
        x, y, w0, b0, lr, epochs, batch_size, seed: as for ``train_manual``.
    Returns:
        The trained ``nn.Linear`` (a plain ``nn.Linear``, not a subclass or a Sequential):
        weight (1, D) and bias (1,), x's dtype and device.
    """
    raise NotImplementedError("ex15_linear_regression.train_nn: 尚未实现 / not implemented yet")
