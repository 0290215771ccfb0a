"""Probes for ex13_train_loop: the loops on a grader-owned model, and ``fit`` with its TensorBoard files.

The model is one ``nn.Linear`` drawn from a seed (:func:`build_model`), so the judge can follow
the same SGD steps itself; the loaders are not shuffled, so it knows every batch.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, TypedDict

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from grader.probing.observe import Description, describe, scratch_dir
from grader.probing.registry import probe
from grader.probing.submission import Submission

MODULE = "ex13_train_loop"
MAX_FILE_BYTES = 1 << 20  # per file written to log_dir


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


def _files(folder: str) -> dict[str, torch.Tensor]:
    """Every file under ``folder`` (relative path → bytes as uint8), large ones cut short."""
    found = {}
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            data = path.read_bytes()[:MAX_FILE_BYTES]
            found[path.relative_to(folder).as_posix()] = torch.from_numpy(np.frombuffer(data, np.uint8).copy())
    return found


@contextlib.contextmanager
def _count_writers() -> Iterator[list[set[int]]]:
    """Meanwhile, the ids of the ``SummaryWriter``s created and of those closed: [created, closed]."""
    from torch.utils.tensorboard import SummaryWriter

    seen: list[set[int]] = [set(), set()]
    init, close = SummaryWriter.__init__, SummaryWriter.close

    def counting_init(self: SummaryWriter, *args: Any, **kwargs: Any) -> None:
        seen[0].add(id(self))
        init(self, *args, **kwargs)

    def counting_close(self: SummaryWriter) -> None:
        seen[1].add(id(self))
        close(self)

    SummaryWriter.__init__, SummaryWriter.close = counting_init, counting_close  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        SummaryWriter.__init__, SummaryWriter.close = init, close  # type: ignore[method-assign]


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
    with scratch_dir() as folder, _count_writers() as writers:
        history = sub.call(sub.module(MODULE).fit, model, train_loader, test_loader, nn.CrossEntropyLoss(), optimizer,
                           epochs=epochs, step_size=step_size, gamma=gamma, log_dir=folder, device=device)
        files = _files(folder)
    return {"history": describe(history), "params": _params(model), "files": files,
            "writers": [len(writers[0]), len(writers[0] & writers[1])]}
