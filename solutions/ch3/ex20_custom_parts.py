"""练习 20：自定义损失函数与用 `nn.Parameter` 定义的自定义层。

PyTorch 允许按任务的需要自己定义损失函数和神经网络层：两者都继承 `nn.Module`，在 `forward`
中写出计算。损失函数只是一个可微的计算，本身没有参数；层的可学习参数要包成
`nn.Parameter` 并赋给模块的属性，这样它们才会被登记，出现在 `parameters()`（优化器训练的
正是这些）和 `state_dict()`（保存与加载的正是这些）中。一个普通张量属性不是参数：优化器
看不到它，它也不随 `.to(device)` 移动。实现：

- `HuberLoss`：Huber 损失（对离群值不如均方误差敏感），对 r = pred − target 的每个元素，
  |r| ≤ delta 时 L = ½ r²，否则 L = delta · (|r| − ½ delta)，结果是所有元素 L 的平均值。
  自己写出公式，不用 `nn.HuberLoss`、`F.huber_loss`、`nn.SmoothL1Loss` 或
  `F.smooth_l1_loss`（评分程序会读源代码并在运行时观察）。
- `CustomLinear`：本章的自定义层 y = x W + b，W 形状为 (in_features, out_features)，
  初始化为标准正态分布 N(0, 1)（`torch.randn`），b 初始化为 0。

Exercise 20: a custom loss function, and a custom layer defined with `nn.Parameter`.

PyTorch lets you define your own loss functions and network layers for the task at hand:
both subclass `nn.Module` and compute in `forward`. A loss is just a differentiable
computation and has no parameters of its own; a layer's learnable parameters must be
wrapped in `nn.Parameter` and assigned to the module's attributes, so that they are
registered: they appear in `parameters()` (what an optimizer trains) and in `state_dict()`
(what is saved and loaded). A plain tensor attribute is not a parameter: no optimizer sees
it, and `.to(device)` does not move it. Implement:

- `HuberLoss`: the Huber loss (less sensitive to outliers than the mean squared error): for
  each element of r = pred − target, L = ½ r² where |r| ≤ delta and L = delta · (|r| − ½ delta)
  elsewhere; the result is the mean of L over all elements. Write the formula yourself,
  without `nn.HuberLoss`, `F.huber_loss`, `nn.SmoothL1Loss` or `F.smooth_l1_loss` (the grader
  reads the source and watches the calls).
- `CustomLinear`: the chapter's custom layer y = x W + b, with W of shape (in_features,
  out_features) initialised from the standard normal law N(0, 1) (`torch.randn`), and b
  initialised to zero.
"""

import torch
from torch import nn


class HuberLoss(nn.Module):
    """mean(L(pred − target)), L(r) = ½ r² for |r| ≤ delta, delta · (|r| − ½ delta) otherwise.

    The loss has no parameters (``list(loss.parameters())`` is empty).
    """

    def __init__(self, delta: float = 1.0) -> None:
        """``delta`` > 0: where the loss turns from quadratic to linear (default 1.0)."""
        super().__init__()
        ### BEGIN SOLUTION
        self.delta = delta
        ### END SOLUTION

    def forward(self, pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """The mean Huber loss of ``pred`` against ``target``.

        Args:
            pred: any shape (...), floating dtype, any device.
            target: the shape, dtype and device of ``pred``.
        Returns:
            0-d tensor, the dtype and device of ``pred``; differentiable with respect to
            ``pred`` and ``target`` (it has a graph back to them when they require grad).
            The inputs are left as they were.
        """
        ### BEGIN SOLUTION
        r = (pred - target).abs()
        quadratic = 0.5 * r**2
        linear = self.delta * (r - 0.5 * self.delta)
        return torch.where(r <= self.delta, quadratic, linear).mean()
        ### END SOLUTION


class CustomLinear(nn.Module):
    """y = x W + b with two registered parameters, ``weight`` and ``bias``.

    After ``CustomLinear(in_features, out_features)``:
    - ``weight`` is an ``nn.Parameter`` of shape (in_features, out_features), float32, drawn
      from N(0, 1) with the global generator (``torch.randn``), so that ``torch.manual_seed``
      decides it: the same seed gives the same weight, another seed another;
    - ``bias`` is an ``nn.Parameter`` of shape (out_features,), float32, all zero;
    - ``named_parameters()`` yields exactly these two, named ``weight`` and ``bias``, both
      requiring grad, and ``state_dict()`` holds exactly the keys ``weight`` and ``bias``
      (no buffer, no other parameter). An optimizer given ``parameters()`` trains both.
    """

    def __init__(self, in_features: int, out_features: int) -> None:
        """Register ``weight`` (in_features, out_features) ~ N(0, 1) and ``bias`` (out_features,) = 0."""
        super().__init__()
        ### BEGIN SOLUTION
        self.weight = nn.Parameter(torch.randn(in_features, out_features))
        self.bias = nn.Parameter(torch.zeros(out_features))
        ### END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """y = x W + b.

        Args:
            x: (..., in_features), any number of leading dimensions (none for a single
                sample), the dtype and device of the parameters.
        Returns:
            (..., out_features), the dtype and device of ``x``; differentiable with respect
            to ``x``, ``weight`` and ``bias``.
        """
        ### BEGIN SOLUTION
        return torch.matmul(x, self.weight) + self.bias
        ### END SOLUTION
