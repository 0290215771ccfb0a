"""Probes for ex09_module_call: grader-owned models, forward hooks, and who removed which.

Models cannot cross to the student side as data, so both sides build the same small
model from a seed with :func:`build_model`, which also says, from the architecture alone,
the output shape of every call of every named module in one forward pass. The public and
hidden checks share the ``expect_*`` helpers here, which judge the probes' observations.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, TypedDict

import torch
from torch import nn
from torch.nn.modules import module as nn_module

from grader.expect import expect, expect_equal, expect_tensor
from grader.probes.base import Description, describe, probe, to_device, type_name
from grader.student import Submission

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


# -- judge side: what the observations of the probes below must show --

def expect_recorded(seen: dict[str, Any], built: Built, names: list[str], batch_sizes: list[int], inputs: str) -> None:
    """``recorder.shapes`` holds, per name, the shape of every call of one pass per batch size."""
    shapes = seen["shapes"]
    expect(shapes is not None,
           f"ActivationRecorder.shapes 应是 dict（层名 → 形状列表），却是 {seen['shapes_type']}。",
           f"ActivationRecorder.shapes must be a dict (layer name -> list of shapes); it is {seen['shapes_type']}.")
    odd = sorted({entry for entries in shapes.values() for entry in
                  ([entries] if isinstance(entries, str) else entries) if isinstance(entry, str)})
    expect(not odd, f"shapes 的每个值应是形状列表，每个形状是整数元组，如 [(4, 8)]；却得到 {', '.join(odd)}。",
           f"Each value of shapes must be a list of shapes, each a tuple of ints, such as [(4, 8)]; "
           f"got {', '.join(odd)}.")
    expected = {name: [(n, *shape) for n in batch_sizes for shape in built.calls[name]] for name in names}
    got = {name: [tuple(s) for s in entries] for name, entries in shapes.items()}
    expect_equal(got, expected, "ActivationRecorder.shapes", f"输入 input: {inputs}")


def expect_hooks_restored(seen: dict[str, Any], what: str) -> None:
    """No hook added by ``what`` is left, and none that was there before is gone."""
    left, lost = seen["hooks_left"], seen["hooks_lost"]
    expect(not left, f"{what} 结束后留下了 {left} 个未移除的钩子。", f"{what} left {left} hook(s) registered.")
    expect(not lost, f"{what} 移除了模型原有的 {lost} 个钩子；只应移除自己添加的。",
           f"{what} removed {lost} hook(s) that the model already had; remove only your own.")


def expect_model_run(seen: dict[str, Any], built: Built, x: torch.Tensor, device: str, inputs: str) -> None:
    """``run_model`` returned ``model(x)`` (reference in float64) and the hooks fired once each."""
    expected = built.model.double()(x.double()).detach().float()
    expect_tensor(seen["result"], expected, "run_model(model, x)", device=device, atol=1e-4, inputs=inputs)
    fired = seen["fired"]
    expect(fired == {"model": 1, "inner": 1},
           f"run_model 运行时，模型本身的钩子触发了 {fired['model']} 次、内部层的钩子触发了 {fired['inner']} 次，"
           "应各 1 次：要用 model(x)（经过 __call__）运行模型。",
           f"During run_model the model's own hook fired {fired['model']} time(s) and an inner layer's hook "
           f"{fired['inner']} time(s); each must fire once: run the model as model(x), through __call__.",
           f"输入 input: {inputs}")


def expect_hook_counts(seen: dict[str, Any]) -> None:
    """``count_hook_calls`` gave (1, 0) as ints, really ran both calls, and removed its hook."""
    result = seen["result"]
    expect(result["kind"] == "sequence", f"count_hook_calls 返回了 {result['type']}，应为两个 int 的元组。",
           f"count_hook_calls returned {result['type']}; expected a tuple of two ints.")
    counts = [item["value"] if item["type"] == "int" else f"<{item['type']}>" for item in result["items"]]
    expect_equal(tuple(counts), (1, 0), "count_hook_calls(model, x)")
    runs = seen["forward_runs"]
    expect(runs == 2, f"count_hook_calls 运行 model.forward 共 {runs} 次，应为 2 次：经 model(x) 一次，直接调用 model.forward(x) 一次。",
           f"count_hook_calls ran model.forward {runs} time(s); expected 2: once through model(x), once as model.forward(x).")
    expect_hooks_restored(seen, "count_hook_calls")


# -- student side --

class HookChange(TypedDict):
    """Hooks added and not removed, and hooks that were there and are gone."""

    hooks_left: int
    hooks_lost: int


class RecordObservation(HookChange):
    """Whether ``__enter__`` returned the recorder and the block's exception got through; the
    shapes recorded (see :func:`_plain_shapes`) and the type of ``recorder.shapes``; hooks."""

    returns_self: bool
    propagated: bool
    shapes: dict[str, list[list[int] | str] | str] | None
    shapes_type: str


class UnknownLayerObservation(HookChange):
    """The classes (``__mro__`` names) of the exception raised, empty if none; hooks."""

    raised: list[str]


class Fired(TypedDict):
    """How often the model's own hook and the inner layer's hook fired."""

    model: int
    inner: int


class RunModelObservation(TypedDict):
    """The result and the hook counts."""

    result: Description
    fired: Fired


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


@probe("ex09.record")
def record(sub: Submission, device: str, model_seed: int, names: list[str], xs: list[torch.Tensor],
           raise_inside: bool = False) -> RecordObservation:
    """``with ActivationRecorder(model, names) as r:`` run the model on each of ``xs`` (then
    raise, if asked); report the shapes recorded and the hooks left or lost."""
    built, before = _model_with_foreign_hooks(model_seed, device)
    recorder = sub.call(sub.module(MODULE).ActivationRecorder, built.model, names)
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
    return {"returns_self": entered is recorder, "propagated": propagated, "shapes": sub.call(_plain_shapes, shapes),
            "shapes_type": type_name(shapes), **_hook_change(built.model, before)}


@probe("ex09.unknown_layer")
def unknown_layer(sub: Submission, device: str, model_seed: int, names: list[str]) -> UnknownLayerObservation:
    """Enter a recorder with a name the model lacks: the exception's classes, hooks left or lost."""
    built, before = _model_with_foreign_hooks(model_seed, device)
    recorder = sub.module(MODULE).ActivationRecorder  # outside the try: a missing module is not "raised"

    def entering() -> list[str]:
        """Build, enter and leave a recorder; the classes of what it raised."""
        try:
            with recorder(built.model, names):
                pass
        except NotImplementedError:
            raise
        except Exception as exc:
            return [cls.__name__ for cls in type(exc).__mro__]
        return []

    return {"raised": sub.call(entering), **_hook_change(built.model, before)}


@probe("ex09.run_model")
def run_model(sub: Submission, device: str, model_seed: int, x: torch.Tensor) -> RunModelObservation:
    """``run_model(model, x)`` with counting hooks on the model and on one inner layer."""
    built = build_model(model_seed)
    model = built.model.to(device)
    fired = {"model": 0, "inner": 0}
    model.register_forward_hook(lambda *args: fired.__setitem__("model", fired["model"] + 1))
    model[1][0].register_forward_hook(lambda *args: fired.__setitem__("inner", fired["inner"] + 1))
    out = sub.call(sub.module(MODULE).run_model, model, to_device(x, device))
    return {"result": describe(out), "fired": fired}


@probe("ex09.count_hook_calls")
def count_hook_calls(sub: Submission, device: str, model_seed: int, x: torch.Tensor) -> CountHookCallsObservation:
    """``count_hook_calls(model, x)``; how often the model's ``forward`` ran; hooks left or lost."""
    built, before = _model_with_foreign_hooks(model_seed, device)
    model, forward, runs = built.model, built.model.forward, [0]

    def counted_forward(*args: Any, **kwargs: Any) -> Any:
        runs[0] += 1
        return forward(*args, **kwargs)

    model.forward = counted_forward  # type: ignore[method-assign]
    result = sub.call(sub.module(MODULE).count_hook_calls, model, to_device(x, device))
    return {"result": describe(result), "forward_runs": runs[0], **_hook_change(model, before)}
