"""Probes for ex05_lenet5: the student's LeNet5, parameter counts, summaries, evaluation, training.

Small models for ``count_parameters``, ``summarize`` and ``evaluate`` are built here from a
plain spec and a seed (:func:`build_model`), so the judge can build the same model for
itself. Training runs under a fixed seed, so a given submission trains the same way every
time. While it trains, the probe can record every training step as the model saw it (the
batch's labels, the logits, the mode, and the gradient of ``fc3.bias`` right after each
backward), so the judge can compute the loss and the gradient of each step itself.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TypedDict

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset, default_collate

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
    """The model's predicted labels for ``images`` moved to ``device``, in eval mode, in batches of 500."""
    model.eval()
    labels = []
    with torch.no_grad():
        for batch in images.split(500):
            seen = _output(model(batch.to(device)), len(batch))
            if "labels" not in seen:
                return seen
            labels.append(seen["labels"])
    return {"labels": torch.cat(labels)}


def log_files(folder: str) -> dict[str, torch.Tensor]:
    """Every file under ``folder`` (relative path → bytes as uint8), large ones cut short."""
    found = {}
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            data = path.read_bytes()[:MAX_LOG_BYTES]
            found[path.relative_to(folder).as_posix()] = torch.from_numpy(np.frombuffer(data, np.uint8).copy())
    return found


@contextlib.contextmanager
def count_writers() -> Iterator[list[set[int]]]:
    """Meanwhile, the ids of the ``SummaryWriter``s created and of those closed: [created, closed]."""
    from torch.utils.tensorboard import SummaryWriter  # imported only when logging: it takes seconds

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


class SummarizeObservation(TypedDict):
    """The result, and how many characters the call printed."""

    result: Description
    printed: int


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


class StepObservation(TypedDict):
    """One forward pass of the model with grad enabled during ``train``: the pass over the
    training loader it came in (0, 1, …), the labels of the batch the loader yielded last, the
    logits (float32, CPU), whether the model was in training mode, and the gradient held by
    ``fc3.bias`` right after the backward that followed (None if none came)."""

    epoch: int
    labels: torch.Tensor
    logits: torch.Tensor
    training: bool
    bias_grad: torch.Tensor | None


class TrainedObservation(TypedDict):
    """The history ``train`` returned, the files it wrote (path → bytes), how many SummaryWriters
    it created and how many of those it closed, the device type of the model's parameters
    afterwards; with ``record``, the steps and ``fc3.bias`` before and after."""

    history: Description
    files: dict[str, torch.Tensor]
    writers: list[int]
    model_device: str
    steps: list[StepObservation]
    fc3_bias: list[torch.Tensor]


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
def count_parameters(sub: Submission, device: str, spec: Spec, seed: int, frozen: Sequence[str],
                     tied: Sequence[Sequence[str]] = ()) -> ResultObservation:
    """``count_parameters(model)`` for the model of ``spec`` with the parameters named in
    ``frozen`` set to requires_grad=False, and for each ``[source, target]`` in ``tied`` the
    parameter ``target`` replaced by ``source`` (one parameter shared by two layers)."""
    model = build_model(spec, seed).to(device)
    for name, param in model.named_parameters():
        param.requires_grad_(name not in frozen)
    for source, target in tied:
        layer, attr = target.rsplit(".", 1)
        setattr(model.get_submodule(layer), attr, model.get_parameter(source))
    return {"result": describe(sub.call(sub.module(MODULE).count_parameters, model))}


@probe("ch3.ex05.summarize")
def summarize(sub: Submission, device: str, input_size: list[int], spec: Spec | None = None,
              seed: int = 0, frozen: Sequence[str] = ()) -> SummarizeObservation:
    """``summarize(model, input_size, device)`` for the model of ``spec`` (with ``frozen``
    parameters), or for the student's ``LeNet5()`` when no spec is given, the device named with
    its index on CUDA ("cuda:0", which torchsummary does not take); what it returned and how
    much it printed."""
    module = sub.module(MODULE)
    model = build_model(spec, seed) if spec is not None else sub.call(module.LeNet5)
    for name, param in sub.call(lambda: list(model.named_parameters())):
        param.requires_grad_(name not in frozen)
    model = sub.call(model.to, device)
    with contextlib.redirect_stdout(io.StringIO()) as out:
        result = sub.call(module.summarize, model, tuple(input_size), device="cuda:0" if device == "cuda" else device)
    return {"result": describe(result), "printed": len(out.getvalue())}


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


class _TrainLoader(DataLoader):
    """A shuffled loader that notes how many passes over it began and the labels of the batch
    it yielded last."""

    def __init__(self, data: TensorDataset, batch_size: int, seed: int) -> None:
        super().__init__(data, batch_size=batch_size, shuffle=True, generator=torch.Generator().manual_seed(seed),
                         collate_fn=self._collate)
        self.passes, self.labels = 0, torch.empty(0, dtype=torch.int64)

    def __iter__(self) -> Any:
        self.passes += 1
        return super().__iter__()

    def _collate(self, batch: list[Any]) -> Any:
        images, labels = default_collate(batch)
        self.labels = labels.clone()
        return images, labels


def _record_steps(model: nn.Module, loader: _TrainLoader) -> list[StepObservation]:
    """The list that hooks on ``model`` fill with its steps (see :class:`StepObservation`)."""
    steps: list[StepObservation] = []
    hooked: list[torch.Tensor] = []

    def after_backward(param: torch.Tensor) -> None:
        if steps and param.grad is not None:
            steps[-1]["bias_grad"] = param.grad.detach().float().cpu().clone()

    def after_forward(module: nn.Module, args: Any, out: Any) -> None:
        if not torch.is_grad_enabled() or not isinstance(out, torch.Tensor):
            return
        steps.append({"epoch": loader.passes - 1, "labels": loader.labels, "training": module.training,
                      "logits": out.detach().float().cpu().clone(), "bias_grad": None})
        bias = getattr(getattr(module, "fc3", None), "bias", None)  # hooked on the device it trains on
        if isinstance(bias, nn.Parameter) and not any(bias is b for b in hooked):
            hooked.append(bias)
            bias.register_post_accumulate_grad_hook(after_backward)

    model.register_forward_hook(after_forward)
    return steps


def _fc3_bias(model: nn.Module) -> list[torch.Tensor]:
    """``model.fc3.bias`` on the CPU, in a list (empty if there is none)."""
    bias = getattr(getattr(model, "fc3", None), "bias", None)
    return [bias.detach().cpu().clone()] if isinstance(bias, torch.Tensor) else []


def _device_of(model: nn.Module) -> str:
    """Where the model's first parameter is ("cpu", "cuda:0"…), "none" without parameters."""
    param = next(iter(model.parameters()), None)
    return str(param.device) if param is not None else "none"


@probe("ch3.ex05.train")
def train(sub: Submission, device: str, seed: int, train_x: torch.Tensor, train_y: torch.Tensor,
          val_x: torch.Tensor, val_y: torch.Tensor, predict_x: torch.Tensor, epochs: int,
          batch_size: int, log: bool = False, record: bool = False,
          lr: float | None = None) -> TrainedLabelsObservation | TrainedOutputObservation:
    """Seeded ``train(LeNet5(), …, epochs=epochs, device=device[, lr=lr])`` on a model built on
    the CPU and set to eval mode, with a shuffled training loader; the history it returned, the
    files it wrote (with ``log``), where the model is afterwards, the steps (with ``record``), and
    the trained model's predicted labels for ``predict_x`` (computed where the model is)."""
    module = sub.module(MODULE)
    torch.manual_seed(seed)
    model = sub.call(module.LeNet5)
    sub.call(model.eval)
    train_loader = _TrainLoader(TensorDataset(train_x, train_y), batch_size, seed)
    val_loader = DataLoader(TensorDataset(val_x, val_y), batch_size=500)
    steps = _record_steps(model, train_loader) if record else []
    bias = sub.call(_fc3_bias, model) if record else []
    with scratch_dir() as folder, count_writers() if log else contextlib.nullcontext([set(), set()]) as writers:
        history = sub.call(module.train, model, train_loader, val_loader, epochs=epochs, device=device,
                           **({"log_dir": folder} if log else {}), **({} if lr is None else {"lr": lr}))
        files = log_files(folder)
    if record:
        bias += sub.call(_fc3_bias, model)
    where = sub.call(_device_of, model)
    return {"history": describe(history), "files": files, "steps": steps, "fc3_bias": bias,
            "writers": [len(writers[0]), len(writers[0] & writers[1])],
            "model_device": where if where == "none" else torch.device(where).type,
            **sub.call(_predict, model, predict_x, device if where == "none" else where)}
