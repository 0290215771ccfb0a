"""基础 3 / Basics 3 — autograd and requires_grad (Alice's answer)."""

import torch
from torch import nn


def chapter_loss(x: torch.Tensor) -> torch.Tensor:
    """y = mean((x − 1)² + 4)."""
    return torch.mean(torch.square(x - 1) + 4)


def grad_by_autograd(x: torch.Tensor) -> torch.Tensor:
    """dy/dx by torch.autograd.grad on a private copy of x."""
    x_copy = x.detach().clone().requires_grad_()
    (grad,) = torch.autograd.grad(chapter_loss(x_copy), [x_copy])
    return grad


def grad_by_hand(x: torch.Tensor) -> torch.Tensor:
    """2(x − 1)/N, computed on a detached x so no graph is built."""
    values = x.detach()
    return (values - 1) * (2.0 / values.numel())


def freeze_(module: nn.Module) -> int:
    """Freeze every parameter; count the scalars that were still trainable."""
    trainable = [p for _, p in module.named_parameters() if p.requires_grad]
    for p in trainable:
        p.requires_grad = False
    return int(sum(p.numel() for p in trainable))


def predict(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """Eval-mode forward pass in inference mode; every submodule's mode restored afterwards."""
    saved = [(m, m.training) for m in model.modules()]
    model.train(False)
    with torch.inference_mode():
        out = model(x)
    for m, mode in saved:
        m.training = mode
    return out
