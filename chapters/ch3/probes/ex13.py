"""Probes for ex13_train_loop: the loops on a grader-owned model, and ``fit`` with its TensorBoard files.

The model is one ``nn.Linear`` drawn from a seed (:func:`build_model`), so the judge can follow
the same SGD steps itself; the loaders are not shuffled, so it knows every batch.
"""

from __future__ import annotations

from typing import Literal, TypedDict

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from chapters.ch3.probes.ex05 import count_writers, log_files
from grader.probing.observe import Description, describe, scratch_dir
from grader.probing.registry import probe
from grader.probing.submission import Submission

MODULE = "ex13_train_loop"


def build_model(features: int, classes: int, seed: int) -> nn.Linear:
    """``nn.Linear(features, classes)`` on the CPU with weight and bias drawn from ``seed``."""
    model = nn.Linear(features, classes)
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        model.weight.copy_(torch.randn(classes, features, generator=gen) * 0.5)
        model.bias.copy_(torch.randn(classes, generator=gen) * 0.5)
    return model


def _params(model: nn.Linear) -> dict[str, torch.Tensor]:
    return {name: p.detach().cpu().clone() for name, p in model.named_parameters()}


class LoopObservation(TypedDict):
    """The result; the model's parameters afterwards; at each forward pass, whether the model
    was in training mode and whether grad was enabled."""

    result: Description
    params: dict[str, torch.Tensor]
    training: list[bool]
    grad_enabled: list[bool]


class FitObservation(TypedDict):
    """The history; the model's parameters afterwards; the files written to log_dir; how many
    SummaryWriters were created and how many of those closed."""

    history: Description
    params: dict[str, torch.Tensor]
    files: dict[str, torch.Tensor]
    writers: list[int]


@probe("ch3.ex13.loop")
def loop(sub: Submission, device: str, func: Literal["train_loop", "eval_loop"], seed: int, x: torch.Tensor,
         y: torch.Tensor, classes: int, batch_size: int, lr: float, training: bool,
         stale_grad: bool = False) -> LoopObservation:
    """``train_loop(model, loader, CrossEntropyLoss(), SGD(lr), device)`` or ``eval_loop(model,
    loader, CrossEntropyLoss(), device)`` on the grader model moved to ``device`` and set to
    ``training`` mode, the loader over (x, y) in order; with ``stale_grad`` the parameters hold
    a gradient of ones before the call."""
    model = build_model(x.shape[1], classes, seed).to(device).train(training)
    if stale_grad:
        for p in model.parameters():
            p.grad = torch.ones_like(p)
    modes: list[bool] = []
    grads: list[bool] = []

    def note(module: nn.Module, args: object, out: object) -> None:
        modes.append(module.training)
        grads.append(torch.is_grad_enabled())

    model.register_forward_hook(note)
    loader = DataLoader(TensorDataset(x, y), batch_size=batch_size)
    fn = getattr(sub.module(MODULE), func)
    if func == "train_loop":
        result = sub.call(fn, model, loader, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=lr), device)
    else:
        result = sub.call(fn, model, loader, nn.CrossEntropyLoss(), device)
    return {"result": describe(result), "params": _params(model), "training": modes, "grad_enabled": grads}


@probe("ch3.ex13.fit")
def fit(sub: Submission, device: str, seed: int, x: torch.Tensor, y: torch.Tensor, test_x: torch.Tensor,
        test_y: torch.Tensor, classes: int, batch_size: int, lr: float, epochs: int, step_size: int,
        gamma: float) -> FitObservation:
    """``fit(model, train_loader, test_loader, CrossEntropyLoss(), SGD(lr), epochs=…, step_size=…,
    gamma=…, log_dir=<a scratch folder>, device=device)`` on the grader model on ``device``,
    both loaders in order; the history, the parameters afterwards, every file written and the
    writers created and closed."""
    model = build_model(x.shape[1], classes, seed).to(device)
    train_loader = DataLoader(TensorDataset(x, y), batch_size=batch_size)
    test_loader = DataLoader(TensorDataset(test_x, test_y), batch_size=batch_size)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    with scratch_dir() as folder, count_writers() as writers:
        history = sub.call(sub.module(MODULE).fit, model, train_loader, test_loader, nn.CrossEntropyLoss(), optimizer,
                           epochs=epochs, step_size=step_size, gamma=gamma, log_dir=folder, device=device)
        files = log_files(folder)
    return {"history": describe(history), "params": _params(model), "files": files,
            "writers": [len(writers[0]), len(writers[0] & writers[1])]}
