"""Probes for ex05_lenet5: the student's LeNet5, parameter counts, summaries, evaluation, training.

Small models for ``count_parameters``, ``summarize`` and ``evaluate`` are built here from a
plain spec and a seed (:func:`build_model`), so the judge can build the same model for
itself. Training runs under a fixed seed, so a given submission trains the same way every
time.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypedDict

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from grader.probing.observe import (
    Description,
    Facts,
    ResultObservation,
    describe,
    scratch_dir,
    to_device,
    type_name,
)
from grader.probing.registry import probe
from grader.probing.submission import Submission

MODULE = "ex05_lenet5"
LAYERS = ("conv1", "conv2", "fc1", "fc2", "fc3")
MAX_LOG_BYTES = 1 << 20  # per file written to log_dir

# layers as [kind, *arguments], e.g. [["conv", 1, 4, 3], ["relu"], ["pool", 2], ["flatten"], ["linear", 36, 10]]
Spec = list[list[Any]]
KINDS: dict[str, type[nn.Module]] = {
    "conv": nn.Conv2d, "linear": nn.Linear, "bn1d": nn.BatchNorm1d, "bn2d": nn.BatchNorm2d,
    "relu": nn.ReLU, "pool": nn.AvgPool2d, "flatten": nn.Flatten, "dropout": nn.Dropout,
}


def build_model(spec: Spec, seed: int) -> nn.Sequential:
    """``nn.Sequential`` of the layers in ``spec`` on the CPU; weights and batch-norm statistics
    drawn from ``seed`` (the global random state is left as it was)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = nn.Sequential(*(KINDS[kind](*args) for kind, *args in spec))
        for module in model.modules():
            if isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
                nn.init.uniform_(module.weight, 0.5, 1.5)
                nn.init.normal_(module.bias)
                module.running_mean.normal_()
                module.running_var.uniform_(0.5, 2.0)
    return model


def _output(out: Any, rows: int) -> dict[str, Any]:
    """Predicted labels for (rows, 10) logits, else what came back instead."""
    if isinstance(out, torch.Tensor) and out.shape == (rows, 10) and out.is_floating_point():
        return {"labels": out.argmax(dim=1)}
    seen = describe(out)
    seen.pop("value", None)
    return {"output": seen}


def _predict(model: nn.Module, images: torch.Tensor, device: str) -> dict[str, Any]:
    """The model's predicted labels for ``images``, in eval mode, in batches of 500."""
    model.eval()
    labels = []
    with torch.no_grad():
        for batch in images.split(500):
            seen = _output(model(batch.to(device)), len(batch))
            if "labels" not in seen:
                return seen
            labels.append(seen["labels"])
    return {"labels": torch.cat(labels)}


def _files(folder: str) -> dict[str, torch.Tensor]:
    """Every file under ``folder`` (relative path → bytes as uint8), large ones cut short."""
    found = {}
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            data = path.read_bytes()[:MAX_LOG_BYTES]
            found[path.relative_to(folder).as_posix()] = torch.from_numpy(np.frombuffer(data, np.uint8).copy())
    return found


class LayerObservation(TypedDict):
    """A named layer: its type, and its weight and bias shapes (None if it has none)."""

    type: str
    weight: list[int] | None
    bias: list[int] | None


class ConvLayerObservation(LayerObservation):
    """A Conv2d: also its settings (padding a string such as "same", or one number per dimension)."""

    kernel_size: list[float]
    stride: list[float]
    padding: list[float] | str


class LenetLayersObservation(TypedDict):
    """The layers by name, and the number of scalar parameters."""

    layers: dict[str, ConvLayerObservation | LayerObservation]
    parameters: int


class MissingWeightsObservation(TypedDict):
    """The given weights that the model lacks (or holds in another shape)."""

    missing: list[str]


class EvaluateObservation(TypedDict):
    """The result; how often the model ran (in train mode, building a graph); the model afterwards."""

    result: Description
    calls: int
    train_mode_calls: int
    graph_calls: int
    training_after: bool
    buffers_unchanged: bool


class TrainedObservation(TypedDict):
    """The history ``train`` returned and the files it wrote (path → bytes)."""

    history: Description
    files: dict[str, torch.Tensor]


class TrainedLabelsObservation(TrainedObservation):
    """The history, the files, and the trained model's predicted labels."""

    labels: torch.Tensor


class TrainedOutputObservation(TrainedObservation):
    """The history, the files, and what the trained model gave instead of (N, 10) logits (less its value)."""

    output: Facts


@probe("ch3.ex05.lenet_layers")
def lenet_layers(sub: Submission, device: str) -> LenetLayersObservation:
    """The named layers of ``LeNet5()`` (type, weight and bias shapes, conv settings) and its
    number of scalar parameters."""
    model = sub.call(sub.module(MODULE).LeNet5)
    layers: dict[str, Any] = {}
    for name in LAYERS:
        layer = getattr(model, name, None)
        kind = next((c.__name__ for c in (nn.Conv2d, nn.Linear) if isinstance(layer, c)), type_name(layer))
        info: dict[str, Any] = {"type": kind}
        for attr in ("weight", "bias"):
            value = getattr(layer, attr, None)
            info[attr] = list(value.shape) if isinstance(value, torch.Tensor) else None
        if isinstance(layer, nn.Conv2d):
            info |= {"kernel_size": list(layer.kernel_size), "stride": list(layer.stride),
                     "padding": list(layer.padding) if isinstance(layer.padding, tuple) else layer.padding}
        layers[name] = info
    return {"layers": layers, "parameters": sub.call(lambda: sum(p.numel() for p in model.parameters()))}


@probe("ch3.ex05.lenet_forward")
def lenet_forward(sub: Submission, device: str, x: torch.Tensor,
                  weights: dict[str, torch.Tensor] | None = None) -> ResultObservation | MissingWeightsObservation:
    """``LeNet5()(x)`` on ``device``, with ``weights`` ("conv1.weight", …) loaded into the
    named layers first when given; full float32 precision (no TF32) on CUDA."""
    model = sub.call(sub.module(MODULE).LeNet5)
    if weights:
        params = sub.call(lambda: dict(model.named_parameters()))
        missing = sorted(k for k, v in weights.items() if k not in params or params[k].shape != v.shape)
        if missing:
            return {"missing": missing}
        with torch.no_grad():
            for key, value in weights.items():
                params[key].copy_(value)
    sub.call(model.to, device)
    allowed = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    try:
        out = sub.call(model, to_device(x, device))
    finally:
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = allowed
    return {"result": describe(out)}


@probe("ch3.ex05.count_parameters")
def count_parameters(sub: Submission, device: str, spec: Spec, seed: int, frozen: Sequence[str]) -> ResultObservation:
    """``count_parameters(model)`` for the model of ``spec`` with the parameters named in
    ``frozen`` set to requires_grad=False."""
    model = build_model(spec, seed).to(device)
    for name, param in model.named_parameters():
        param.requires_grad_(name not in frozen)
    return {"result": describe(sub.call(sub.module(MODULE).count_parameters, model))}


@probe("ch3.ex05.summarize")
def summarize(sub: Submission, device: str, input_size: list[int], spec: Spec | None = None,
              seed: int = 0, frozen: Sequence[str] = ()) -> ResultObservation:
    """``summarize(model, input_size, device)`` for the model of ``spec`` (with ``frozen``
    parameters), or for the student's ``LeNet5()`` when no spec is given."""
    module = sub.module(MODULE)
    model = build_model(spec, seed) if spec is not None else sub.call(module.LeNet5)
    for name, param in sub.call(lambda: list(model.named_parameters())):
        param.requires_grad_(name not in frozen)
    return {"result": describe(sub.call(module.summarize, sub.call(model.to, device), tuple(input_size),
                                        device=device))}


@probe("ch3.ex05.evaluate")
def evaluate(sub: Submission, device: str, spec: Spec, seed: int, x: torch.Tensor, y: torch.Tensor,
             batch_size: int, training: bool) -> EvaluateObservation:
    """``evaluate(model, loader, device)`` for the model of ``spec`` set to ``training`` mode,
    the loader over (x, y) in order; how the model was called and what it was left as."""
    model = build_model(spec, seed).to(device).train(training)
    calls: list[tuple[bool, bool]] = []  # (training, output requires grad) at each model(x)
    model.register_forward_hook(lambda m, args, out: calls.append(
        (m.training, isinstance(out, torch.Tensor) and out.requires_grad)))
    buffers = [b.clone() for b in model.buffers()]
    loader = DataLoader(TensorDataset(x, y), batch_size=batch_size)
    result = sub.call(sub.module(MODULE).evaluate, model, loader, device=device)
    return {
        "result": describe(result),
        "calls": len(calls),
        "train_mode_calls": sum(c[0] for c in calls),
        "graph_calls": sum(c[1] for c in calls),
        "training_after": model.training,
        "buffers_unchanged": all(torch.equal(a, b) for a, b in zip(buffers, model.buffers(), strict=False)),
    }


@probe("ch3.ex05.train")
def train(sub: Submission, device: str, seed: int, train_x: torch.Tensor, train_y: torch.Tensor,
          val_x: torch.Tensor, val_y: torch.Tensor, predict_x: torch.Tensor, epochs: int,
          batch_size: int, log: bool = False) -> TrainedLabelsObservation | TrainedOutputObservation:
    """Seeded ``train(LeNet5(), …, epochs=epochs, device=device)`` with a shuffled training
    loader; the history it returned, the files it wrote (with ``log``) and the trained model's
    predicted labels for ``predict_x``."""
    module = sub.module(MODULE)
    torch.manual_seed(seed)
    model = sub.call(sub.call(module.LeNet5).to, device)
    train_loader = DataLoader(TensorDataset(train_x, train_y), batch_size=batch_size, shuffle=True,
                              generator=torch.Generator().manual_seed(seed))
    val_loader = DataLoader(TensorDataset(val_x, val_y), batch_size=500)
    with scratch_dir() as folder:
        history = sub.call(module.train, model, train_loader, val_loader, epochs=epochs, device=device,
                           **({"log_dir": folder} if log else {}))
        files = _files(folder)
    return {"history": describe(history), "files": files, **sub.call(_predict, model, predict_x, device)}
