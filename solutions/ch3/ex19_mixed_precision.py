"""练习 19：混合精度训练：torch.autocast 与 GradScaler，在 CPU 上可运行，有 CUDA 时使用 CUDA。

混合精度训练把 FP32（单精度）与低精度（FP16 半精度，或 bfloat16）运算结合起来，可以显著减少
内存使用并加快训练，同时保持模型精度。在 `torch.autocast` 的上下文中，矩阵乘法、`nn.Linear`、
卷积等运算以低精度执行（CUDA 上为 float16，CPU 上为 bfloat16），而损失函数（如交叉熵）等对精度
敏感的运算仍以 float32 计算；模型的参数始终保持 float32。float16 的范围很小，很小的梯度会下溢为
0，所以要用 `GradScaler` 把损失放大后再反向传播：`scaler.scale(loss).backward()`，然后
`scaler.step(optimizer)`（先把梯度缩放回来；若有 inf/NaN 就跳过这一步），最后 `scaler.update()`
（调整放大倍数）。bfloat16 与 float32 的范围相同，不需要放大，因此在 CPU 上 GradScaler 是关闭的
（`enabled=False`：`scale`、`step`、`update` 就是普通的反向传播与 `optimizer.step()`）。

Exercise 19: mixed-precision training: torch.autocast and GradScaler, runnable on the CPU, using
CUDA when present.

Mixed-precision training combines FP32 (single precision) with low-precision arithmetic (FP16,
half precision, or bfloat16), which cuts memory use and speeds training up while keeping the
model's accuracy. Inside a `torch.autocast` context, matrix multiplications, `nn.Linear`,
convolutions and the like run in low precision (float16 on CUDA, bfloat16 on the CPU), while
precision-sensitive operations such as the loss (cross-entropy) still compute in float32; the
model's parameters stay float32 throughout. float16 has a small range, so small gradients
underflow to 0: a `GradScaler` scales the loss up before backpropagation,
`scaler.scale(loss).backward()`, then `scaler.step(optimizer)` (unscales the gradients first and
skips the step if any is inf/NaN), then `scaler.update()` (adjusts the scale). bfloat16 has
float32's range and needs no scaling, so on the CPU the GradScaler is disabled
(`enabled=False`: `scale`, `step` and `update` are then a plain backward and `optimizer.step()`).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def autocast_dtype(device_type: str) -> torch.dtype:
    """The low-precision dtype autocast uses here: ``torch.float16`` for "cuda", ``torch.bfloat16`` for "cpu"."""
    ### BEGIN SOLUTION
    return torch.float16 if device_type == "cuda" else torch.bfloat16
    ### END SOLUTION


def make_scaler(device_type: str) -> torch.amp.GradScaler:
    """``torch.amp.GradScaler`` for ``device_type`` ("cpu" or "cuda"): enabled on "cuda"
    (float16 needs loss scaling), disabled on "cpu" (bfloat16 does not); its other settings
    are the defaults."""
    ### BEGIN SOLUTION
    return torch.amp.GradScaler(device_type, enabled=device_type == "cuda")
    ### END SOLUTION


def amp_forward(model: nn.Module, x: torch.Tensor, target: torch.Tensor,
                device_type: str) -> tuple[torch.Tensor, torch.Tensor]:
    """The forward pass and the loss under ``torch.autocast(device_type, dtype=autocast_dtype(device_type))``.

    Args:
        model: a float32 classifier on ``device_type``, left float32 (autocast casts inside
            the context; the model is not converted).
        x: (N, F) float32 inputs on ``device_type``.
        target: (N,) int64 class indices.
        device_type: "cpu" or "cuda".
    Returns:
        ``(logits, loss)``: logits (N, C) = ``model(x)`` in ``autocast_dtype(device_type)``
        (the linear layers ran in low precision); loss = ``F.cross_entropy(logits, target)``,
        computed inside the same context, a 0-d float32 tensor (cross-entropy is on autocast's
        float32 list). Both carry the graph back to the parameters; autocast is off again
        after the call.
    """
    ### BEGIN SOLUTION
    with torch.autocast(device_type, dtype=autocast_dtype(device_type)):
        logits = model(x)
        loss = F.cross_entropy(logits, target)
    return logits, loss
    ### END SOLUTION


def train_step(model: nn.Module, optimizer: torch.optim.Optimizer, scaler: torch.amp.GradScaler, x: torch.Tensor,
               target: torch.Tensor, device_type: str) -> float:
    """One mixed-precision training step; the loss as a Python float.

    In order: zero the gradients (whatever they held before); ``amp_forward``;
    ``scaler.scale(loss).backward()``; ``scaler.step(optimizer)``; ``scaler.update()``. Works
    with any scaler, enabled or not: with an enabled one the parameters move by the unscaled
    gradient, a step whose scaled gradients hold inf/NaN is skipped, and the scale grows or
    backs off as the scaler's settings say.

    Args:
        model, x, target, device_type: as for ``amp_forward``; the model is switched to
            training mode.
        optimizer: over ``model``'s parameters.
        scaler: e.g. ``make_scaler(device_type)``.
    Returns:
        The (unscaled) loss, ``loss.item()``.
    """
    ### BEGIN SOLUTION
    model.train()
    optimizer.zero_grad()
    _, loss = amp_forward(model, x, target, device_type)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    return loss.item()
    ### END SOLUTION
