"""Probes for ex14_checkpoints: files saved and loaded in the worker's scratch folder.

The model is grader-owned (:func:`build_model`: Linear, BatchNorm1d, ReLU, Linear, every
parameter and buffer drawn from a seed), so the judge rebuilds the very state a probe saved.
A file "saved from a GPU" is written with its storages tagged ``cuda:0`` (what ``torch.save``
records for a CUDA tensor), so loading it without ``map_location`` fails on a machine without
one and lands on the GPU on a machine with one. Files meant to be refused hold pickled code
that raises :class:`PickledCodeRan` if a loader ever runs it.
"""

from __future__ import annotations

import os
from typing import Literal, TypedDict

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import save_file
from torch import nn

from grader.probing.observe import Description, describe, scratch_dir
from grader.probing.registry import probe
from grader.probing.submission import Submission

MODULE = "ex14_checkpoints"
FEATURES, CLASSES = 5, 3
MAX_FILE_BYTES = 1 << 20
_TAG_AS_CUDA = [False]  # while True, torch.save records every storage as saved from cuda:0


def build_model(seed: int, width: int = 8, dtype: torch.dtype = torch.float32) -> nn.Sequential:
    """(N, 5) → (N, 3): Linear, BatchNorm1d, ReLU, Linear on the CPU, in ``dtype``; parameters,
    running statistics and the batch count drawn from ``seed``."""
    model = nn.Sequential(nn.Linear(FEATURES, width), nn.BatchNorm1d(width), nn.ReLU(), nn.Linear(width, CLASSES))
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * 0.5)
        model[1].running_mean.copy_(torch.randn(width, generator=gen))
        model[1].running_var.copy_(torch.rand(width, generator=gen) + 0.5)
        model[1].num_batches_tracked.fill_(int(torch.randint(1, 100, (), generator=gen)))
    return model.to(dtype)


def make_optimizer(kind: Literal["sgd", "adam"], model: nn.Module, lr: float) -> torch.optim.Optimizer:
    """SGD with momentum 0.9, or Adam, over ``model``'s parameters. Adam's eps is large (0.1) so
    that a gradient that is zero but for rounding (the first bias, before batch norm) moves
    nothing: float32 and float64 runs then agree."""
    if kind == "sgd":
        return torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    return torch.optim.Adam(model.parameters(), lr=lr, eps=0.1)


def train_steps(model: nn.Module, optimizer: torch.optim.Optimizer, batches: list[list[torch.Tensor]]) -> None:
    """One training step (train mode, cross-entropy) per (x, y) batch."""
    model.train()
    for x, y in batches:
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()


class PickledCodeRan(Exception):
    """Raised by code inside a pickled file: the loader ran it."""


class TrippedModel(nn.Linear):
    """A whole model, pickled by ``torch.save(model)``; unpickling it runs :meth:`__setstate__`."""

    def __setstate__(self, state: dict[str, object]) -> None:
        raise PickledCodeRan("a whole pickled model was unpickled: its code ran")


def _run_when_unpickled() -> None:
    raise PickledCodeRan("a pickled object was unpickled: its code ran")


class TrippedObject:
    """Any pickled object: unpickling it calls :func:`_run_when_unpickled`."""

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return _run_when_unpickled, ()


def _tag(storage: object) -> str | None:
    return "cuda:0" if _TAG_AS_CUDA[0] else None


def _no_restore(storage: object, location: str) -> None:
    return None


if not any(entry[1] is _tag for entry in torch.serialization._package_registry):
    torch.serialization.register_package(0, _tag, _no_restore)  # consulted first; silent unless tagging


def _save_as_from_cuda(value: object, path: str) -> None:
    _TAG_AS_CUDA[0] = True
    try:
        torch.save(value, path)
    finally:
        _TAG_AS_CUDA[0] = False


def _bytes(path: str) -> torch.Tensor:
    with open(path, "rb") as file:
        data = file.read(MAX_FILE_BYTES)
    return torch.from_numpy(np.frombuffer(data, np.uint8).copy())


def _plain(value: object) -> object:
    """``value`` with every dict (an OrderedDict, say) made a plain dict, for ``describe``."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(item) for item in value) if type(value) in (list, tuple) else value
    return value


def _state(model: nn.Module) -> dict[str, torch.Tensor]:
    return {name: t.detach().cpu().clone() for name, t in model.state_dict().items()}


def _read_safely(path: str) -> Description:
    """The file as ``torch.load(weights_only=True)`` reads it, described; a str saying why not."""
    try:
        return describe(_plain(torch.load(path, map_location="cpu", weights_only=True)))
    except Exception as err:  # noqa: BLE001 - whatever the file holds, the judge is told
        return describe(f"{type(err).__name__}: {str(err)[:200]}")


class SavedObservation(TypedDict):
    """The bytes of the file written (empty if none), and, for a ``torch.save`` file, what
    ``torch.load(weights_only=True)`` read from it (or why it could not)."""

    file: torch.Tensor
    read: Description


class ResumedObservation(TypedDict):
    """The checkpoint file (bytes, and as read with weights_only=True), what ``load_checkpoint``
    returned, and the resumed model's state after training on."""

    file: torch.Tensor
    read: Description
    epoch: Description
    state: dict[str, torch.Tensor]


@probe("ch3.ex14.save")
def save(sub: Submission, device: str, func: Literal["save_state", "save_safetensors"], seed: int, width: int,
         double: bool = False) -> SavedObservation:
    """``func(model, path)`` for the grader model on ``device``; the file it wrote."""
    model = build_model(seed, width, torch.float64 if double else torch.float32).to(device)
    with scratch_dir() as folder:
        path = os.path.join(folder, "weights.safetensors" if func == "save_safetensors" else "weights.pth")
        sub.call(getattr(sub.module(MODULE), func), model, path)
        if not os.path.isfile(path):
            return {"file": torch.empty(0, dtype=torch.uint8), "read": describe(None)}
        read = _read_safely(path) if func == "save_state" else describe(None)
        return {"file": _bytes(path), "read": read}


@probe("ch3.ex14.load")
def load(sub: Submission, device: str, func: Literal["load_state", "load_safetensors"], seed: int, width: int,
         from_cuda: bool = False, double: bool = False) -> Description:
    """``func(path)`` for a file the probe wrote from the grader model's state_dict: with
    ``torch.save`` (its storages tagged ``cuda:0`` with ``from_cuda``) or ``save_file``."""
    state = build_model(seed, width, torch.float64 if double else torch.float32).state_dict()
    with scratch_dir() as folder:
        path = os.path.join(folder, "weights.pth")
        if func == "load_safetensors":
            save_file(state, path)
        elif from_cuda:
            _save_as_from_cuda(state, path)
        else:
            torch.save(state, path)
        return describe(sub.call(_plain, sub.call(getattr(sub.module(MODULE), func), path)))


@probe("ch3.ex14.refuse")
def refuse(sub: Submission, device: str, func: Literal["load_state", "load_checkpoint"],
           content: Literal["whole_model", "object"], seed: int) -> Description:
    """``func(path, …)`` for a file holding pickled code: a whole model saved with
    ``torch.save(model)``, or a dict with a pickled object beside the tensors. It should raise;
    what it returned otherwise."""
    with scratch_dir() as folder:
        path = os.path.join(folder, "model.pth")
        if content == "whole_model":
            torch.manual_seed(seed)
            torch.save(TrippedModel(FEATURES, CLASSES), path)
        else:
            torch.save({"0.weight": torch.randn(2, 3, generator=torch.Generator().manual_seed(seed)),
                        "note": TrippedObject()}, path)
        fn = getattr(sub.module(MODULE), func)
        if func == "load_state":
            return describe(sub.call(fn, path))
        model = build_model(seed).to(device)
        return describe(sub.call(fn, path, model, make_optimizer("sgd", model, 0.1)))


@probe("ch3.ex14.resume")
def resume(sub: Submission, device: str, seed: int, width: int, optimizer: Literal["sgd", "adam"], lr: float,
           before: list[list[torch.Tensor]], after: list[list[torch.Tensor]], epoch: int) -> ResumedObservation:
    """Train the grader model (on ``device``) on ``before``, ``save_checkpoint(path, model,
    opt, epoch)``; then a fresh model (other weights) and a fresh optimizer: ``load_checkpoint(
    path, model, opt)``, and train on ``after``."""
    module = sub.module(MODULE)
    batches = [[t.to(device) for t in batch] for batch in before]
    model = build_model(seed, width).to(device)
    opt = make_optimizer(optimizer, model, lr)
    train_steps(model, opt, batches)
    with scratch_dir() as folder:
        path = os.path.join(folder, "checkpoint.pth")
        sub.call(module.save_checkpoint, path, model, opt, epoch)
        if not os.path.isfile(path):
            empty = torch.empty(0, dtype=torch.uint8)
            return {"file": empty, "read": describe(None), "epoch": describe(None), "state": {}}
        file, read = _bytes(path), _read_safely(path)
        fresh = build_model(seed + 1, width).to(device)
        fresh_opt = make_optimizer(optimizer, fresh, lr)
        got = sub.call(module.load_checkpoint, path, fresh, fresh_opt)
    train_steps(fresh, fresh_opt, [[t.to(device) for t in batch] for batch in after])
    return {"file": file, "read": read, "epoch": describe(got), "state": _state(fresh)}
