"""Probes for ex09_module_call: grader-owned models, forward hooks, and who removed which.

Models cannot cross to the student side as data, so both sides build the same small
model from a seed with :func:`build_model`, which also says, from the architecture alone,
the output shape of every call of every named module in one forward pass.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal, TypedDict

import torch
from torch import nn
from torch.nn.modules import module as nn_module

from grader.probing.observe import Description, describe, to_device, type_name
from grader.probing.registry import probe
from grader.probing.submission import Submission

MODULE = "ex09_module_call"
Shape = tuple[int, ...]


@dataclass
class Built:
    """A grader-owned model and what its architecture says about one forward pass."""

    model: nn.Sequential
    sample_shape: Shape  # one input sample, without the batch dimension
    calls: dict[str, list[Shape]]  # named module -> output shape (no batch dim) of each call, in order


def build_model(seed: int) -> Built:
    """A small MLP with nested blocks; one Tanh module is shared by all blocks (so it runs
    several times per forward pass) and some blocks hold an inner Sequential."""
    gen = torch.Generator().manual_seed(seed)

    def draw(low: int, high: int) -> int:
        return int(torch.randint(low, high + 1, (), generator=gen))

    sample_shape = (draw(1, 3), draw(2, 4))
    width = sample_shape[0] * sample_shape[1]
    shared = nn.Tanh()
    calls: dict[str, list[Shape]] = {"0": [(width,)]}
    blocks: list[nn.Module] = [nn.Flatten()]
    with torch.random.fork_rng(devices=[]):  # layer construction must not move the global RNG
        for b in range(1, draw(2, 3) + 1):
            width_in, width = width, draw(2, 6)
            layers: list[nn.Module] = [nn.Linear(width_in, width), shared]
            calls[f"{b}.0"] = [(width,)]
            calls.setdefault("1.1", []).append((width,))
            if draw(0, 1):
                width_in, width = width, draw(2, 6)
                layers.append(nn.Sequential(nn.Linear(width_in, width), nn.ReLU()))
                calls[f"{b}.2"] = calls[f"{b}.2.0"] = calls[f"{b}.2.1"] = [(width,)]
            calls[str(b)] = [(width,)]
            blocks.append(nn.Sequential(*layers))
        width_in, width = width, draw(2, 5)
        blocks.append(nn.Linear(width_in, width))
    calls[str(len(blocks) - 1)] = calls[""] = [(width,)]
    model = nn.Sequential(*blocks)
    with torch.no_grad():
        for param in model.parameters():
            param.copy_(torch.randn(param.shape, generator=gen) / math.sqrt(param.shape[-1]))
    return Built(model, sample_shape, calls)


# -- student side --

class HookChange(TypedDict):
    """Hooks added and not removed, and hooks that were there and are gone."""

    hooks_left: int
    hooks_lost: int


class RecordObservation(HookChange):
    """Hooks added by the constructor alone; whether ``__enter__`` returned the recorder and the
    block's exception got through; the shapes recorded (see :func:`_plain_shapes`) and the type
    of ``recorder.shapes``; hooks left or lost after the block."""

    hooks_at_init: int
    returns_self: bool
    propagated: bool
    shapes: dict[str, list[list[int] | str] | str] | None
    shapes_type: str


class UnknownLayerObservation(HookChange):
    """The classes (``__mro__`` names) of the exception raised, empty if none; whether the
    constructor or the ``with`` statement raised it (empty if none); hooks."""

    raised: list[str]
    raised_by: Literal["constructor", "with", ""]


class Fired(TypedDict):
    """How often the model's own hook and the inner layer's hook fired."""

    model: int
    inner: int


class RunModelObservation(TypedDict):
    """The result, the hook counts, and each named module's ``training`` flag afterwards."""

    result: Description
    fired: Fired
    training: dict[str, bool]


class CountHookCallsObservation(HookChange):
    """The result, how often the model's ``forward`` ran; hooks."""

    result: Description
    forward_runs: int


def _hook_ids(model: nn.Module) -> set[str]:
    """Every forward and forward-pre hook on the model's modules, and the global ones."""
    ids = {f"global:{kind}:{key}" for kind, hooks in
           (("fwd", nn_module._global_forward_hooks), ("pre", nn_module._global_forward_pre_hooks))
           for key in hooks}
    for name, mod in model.named_modules():
        ids |= {f"{name}:fwd:{key}" for key in mod._forward_hooks}
        ids |= {f"{name}:pre:{key}" for key in mod._forward_pre_hooks}
    return ids


def _hook_change(model: nn.Module, before: set[str]) -> HookChange:
    """How many hooks were added and not removed, and how many that were there are gone."""
    after = _hook_ids(model)
    return {"hooks_left": len(after - before), "hooks_lost": len(before - after)}


def _model_with_foreign_hooks(seed: int, device: str) -> tuple[Built, set[str]]:
    """The model on ``device``, with hooks of its own (which must survive) and their ids."""
    built = build_model(seed)
    built.model.to(device)
    built.model.register_forward_hook(lambda *args: None)
    built.model[1][0].register_forward_hook(lambda *args: None)
    built.model[1][0].register_forward_pre_hook(lambda *args: None)
    return built, _hook_ids(built.model)


def _plain_shapes(shapes: Any) -> dict[str, Any] | None:
    """``recorder.shapes`` in plain values: a tuple of ints becomes a list, any other entry
    or a value that is no list the string ``"<its type>"``; None when it is not a dict."""
    if not isinstance(shapes, dict):
        return None

    def plain(entry: Any) -> list[int] | str:
        ints = isinstance(entry, tuple) and all(isinstance(i, int) for i in entry)
        return list(map(int, entry)) if ints else f"<{type_name(entry)}>"

    return {str(name): [plain(e) for e in entries] if isinstance(entries, list) else f"<{type_name(entries)}>"
            for name, entries in shapes.items()}


class _BlockError(Exception):
    """Raised inside the ``with`` block; the recorder must let it through."""


@probe("ch3.ex09.record")
def record(sub: Submission, device: str, model_seed: int, names: list[str], xs: list[torch.Tensor],
           raise_inside: bool = False) -> RecordObservation:
    """``with ActivationRecorder(model, names) as r:`` run the model on each of ``xs`` (then
    raise, if asked); report the shapes recorded and the hooks left or lost."""
    built, before = _model_with_foreign_hooks(model_seed, device)
    recorder = sub.call(sub.module(MODULE).ActivationRecorder, built.model, names)
    hooks_at_init = _hook_change(built.model, before)["hooks_left"]
    entered = None

    def recording() -> bool:
        """The ``with`` block, hooks and all; whether the block's error got out of it."""
        nonlocal entered
        try:
            with recorder as entered:
                for x in xs:
                    built.model(to_device(x, device))
                if raise_inside:
                    raise _BlockError
        except _BlockError:
            return True
        return False

    propagated = sub.call(recording)
    shapes = getattr(recorder, "shapes", None)
    return {"hooks_at_init": hooks_at_init, "returns_self": entered is recorder, "propagated": propagated,
            "shapes": sub.call(_plain_shapes, shapes), "shapes_type": type_name(shapes),
            **_hook_change(built.model, before)}


@probe("ch3.ex09.unknown_layer")
def unknown_layer(sub: Submission, device: str, model_seed: int, names: list[str]) -> UnknownLayerObservation:
    """Enter a recorder with a name the model lacks: the exception's classes, hooks left or lost."""
    built, before = _model_with_foreign_hooks(model_seed, device)
    recorder = sub.module(MODULE).ActivationRecorder  # outside the try: a missing module is not "raised"

    def entering() -> tuple[list[str], Literal["constructor", "with", ""]]:
        """Build, enter and leave a recorder; the classes of what it raised, and which step raised."""
        step: Literal["constructor", "with"] = "constructor"
        try:
            made = recorder(built.model, names)
            step = "with"
            with made:
                pass
        except NotImplementedError:
            raise
        except Exception as exc:  # noqa: BLE001 - whatever it raised is the observation
            return [cls.__name__ for cls in type(exc).__mro__], step
        return [], ""

    raised, raised_by = sub.call(entering)
    return {"raised": raised, "raised_by": raised_by, **_hook_change(built.model, before)}


@probe("ch3.ex09.run_model")
def run_model(sub: Submission, device: str, model_seed: int, x: torch.Tensor,
              eval_modules: list[str]) -> RunModelObservation:
    """``run_model(model, x)`` with counting hooks on the model and on one inner layer, the
    modules named in ``eval_modules`` (each alone, not its children) in eval mode."""
    built = build_model(model_seed)
    model = built.model.to(device)
    modules = dict(model.named_modules())
    for name in eval_modules:
        modules[name].training = False
    fired = {"model": 0, "inner": 0}
    model.register_forward_hook(lambda *args: fired.__setitem__("model", fired["model"] + 1))
    model[1][0].register_forward_hook(lambda *args: fired.__setitem__("inner", fired["inner"] + 1))
    out = sub.call(sub.module(MODULE).run_model, model, to_device(x, device))
    return {"result": describe(out), "fired": fired,
            "training": {name: module.training for name, module in modules.items()}}


class _ModelError(Exception):
    """Raised by the model's ``forward``; ``count_hook_calls`` must still remove its hook."""


def _counted_model(model_seed: int, device: str, fail_on_run: int) -> tuple[nn.Module, set[str], list[int]]:
    """The model with foreign hooks, its hook ids, and a one-item list counting its ``forward``
    runs; run number ``fail_on_run`` (from 1; 0: none) raises :class:`_ModelError`."""
    built, before = _model_with_foreign_hooks(model_seed, device)
    model, forward, runs = built.model, built.model.forward, [0]

    def counted_forward(*args: Any, **kwargs: Any) -> Any:
        runs[0] += 1
        if runs[0] == fail_on_run:
            raise _ModelError
        return forward(*args, **kwargs)

    model.forward = counted_forward  # type: ignore[method-assign]
    return model, before, runs


@probe("ch3.ex09.count_hook_calls")
def count_hook_calls(sub: Submission, device: str, model_seed: int, x: torch.Tensor) -> CountHookCallsObservation:
    """``count_hook_calls(model, x)``; how often the model's ``forward`` ran; hooks left or lost."""
    model, before, runs = _counted_model(model_seed, device, 0)
    result = sub.call(sub.module(MODULE).count_hook_calls, model, to_device(x, device))
    return {"result": describe(result), "forward_runs": runs[0], **_hook_change(model, before)}


@probe("ch3.ex09.count_hook_calls_error")
def count_hook_calls_error(sub: Submission, device: str, model_seed: int, x: torch.Tensor,
                           fail_on_run: int) -> HookChange:
    """``count_hook_calls(model, x)`` with a model whose ``forward`` raises on run ``fail_on_run``;
    hooks left or lost (the model's error may come out of it or not)."""
    model, before, _ = _counted_model(model_seed, device, fail_on_run)
    counting = sub.module(MODULE).count_hook_calls

    def counting_through_error() -> None:
        try:
            counting(model, to_device(x, device))
        except _ModelError:
            pass

    sub.call(counting_through_error)
    return _hook_change(model, before)
