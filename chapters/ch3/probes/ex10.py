"""Probes for ex10_tensor_shapes: the tensors made, memory shared or not, shapes predicted,
and whether an in-place sum kept its tensor's storage.

dtypes cross the boundary by name (``"float64"``); shapes as lists of ints. Whether memory
is shared is seen by a write through one tensor that shows up in the other.
"""

from __future__ import annotations

from typing import Any, TypedDict

import torch

from chapters.ch3.probes.ex02 import CallRecorder
from chapters.ch3.probes.ex04 import GLOBAL_GENERATORS
from grader.probing.observe import Description, ResultObservation, TensorFacts, describe, to_device, type_name
from grader.probing.registry import probe
from grader.probing.submission import Submission

MODULE = "ex10_tensor_shapes"


class MakeObservation(ResultObservation):
    """The dict made, and the numbers each global generator drew right after the call."""

    global_draws: dict[str, list[int]]


class MetaObservation(TypedDict):
    """For the meta device: each value's facts (meta tensors have no values), keyed by ``str(key)``;
    None when the result is no dict."""

    facts: dict[str, TensorFacts | Description] | None
    type: str


class SharedObservation(ResultObservation):
    """The result, whether a write to it was seen in the input (None when shapes or sizes forbid
    the test) and whether the input was left as it was before that write."""

    write_seen: bool | None
    input_unchanged: bool


class ShapeAnswer(TypedDict):
    """One predicted shape: what came back, or the classes (``__mro__`` names) of what was raised."""

    result: Description | None
    raised: list[str]


class ShapesObservation(TypedDict):
    """Each pair's answer, and the torch functions called while answering (none expected)."""

    answers: list[ShapeAnswer]
    torch_calls: list[str]


class AddIntoObservation(ResultObservation):
    """The result; whether it is ``out`` itself; out's storage and values after; x after."""

    same_object: bool
    same_storage: bool
    out_after: Description
    x_after: Description


def _dtype(name: str) -> torch.dtype:
    dtype = getattr(torch, name)
    if not isinstance(dtype, torch.dtype):
        raise ValueError(f"not a dtype: {name}")
    return dtype


@probe("ch3.ex10.make")
def make(sub: Submission, device: str, n: int, seed: int, dtype: str | None = None,
         global_seed: int = 0) -> MakeObservation:
    """``make_tensors(n, seed[, dtype], device=device)`` with the global generators seeded with
    ``global_seed`` before; what came back, and what the global generators drew after."""
    for seed_global, _ in GLOBAL_GENERATORS.values():
        seed_global(global_seed)
    kwargs: dict[str, Any] = {"device": device} | ({} if dtype is None else {"dtype": _dtype(dtype)})
    made = sub.call(sub.module(MODULE).make_tensors, n, seed, **kwargs)
    draws = {name: draw() for name, (_, draw) in GLOBAL_GENERATORS.items()}
    return {"result": describe(made), "global_draws": draws}


def _facts(value: Any) -> TensorFacts | Description:
    """A tensor's facts without its values; anything else described."""
    if isinstance(value, torch.Tensor):
        return {"kind": "tensor", "type": type_name(value), "dtype": str(value.dtype).removeprefix("torch."),
                "device": value.device.type, "shape": list(value.shape), "requires_grad": value.requires_grad,
                "has_graph": value.grad_fn is not None}
    return describe(value)


@probe("ch3.ex10.make_meta")
def make_meta(sub: Submission, device: str, n: int, seed: int, dtype: str) -> MetaObservation:
    """``make_tensors(n, seed, dtype, device=torch.device("meta"))``: each value's facts."""
    made = sub.call(sub.module(MODULE).make_tensors, n, seed, _dtype(dtype), device=torch.device("meta"))
    facts = {str(k): _facts(v) for k, v in made.items()} if type(made) is dict else None
    return {"facts": facts, "type": type_name(made)}


def _write_seen(result: Any, x: torch.Tensor) -> bool | None:
    """Whether adding one to the result's first element changes x (None if either is empty)."""
    if not isinstance(result, torch.Tensor) or not result.numel() or not x.numel() or result.dtype != x.dtype:
        return None
    before = x.detach().clone()
    with torch.no_grad():
        result[(0,) * result.dim()] += 1
    return not torch.equal(x.detach(), before)


@probe("ch3.ex10.shared")
def shared(sub: Submission, device: str, func: str, x: torch.Tensor, args: list[int],
           transposed: bool = False) -> SharedObservation:
    """``func(x, *args)`` for x on ``device`` (its transpose with ``transposed``); whether x was
    left as it was, then whether a write to the result's first element shows up in x."""
    tensor = to_device(x, device)
    tensor = tensor.t() if transposed else tensor
    before = tensor.clone()
    result = sub.call(getattr(sub.module(MODULE), func), tensor, *args)
    unchanged = bool(torch.equal(tensor, before))
    return {"result": describe(result), "input_unchanged": unchanged, "write_seen": _write_seen(result, tensor)}


@probe("ch3.ex10.shapes")
def shapes(sub: Submission, device: str, func: str, pairs: list[list[list[int]]]) -> ShapesObservation:
    """``func(a, b)`` (``broadcast_shape`` or ``matmul_shape``) for each ``[a, b]`` of ``pairs``,
    shapes as tuples; each answer (a returned tuple as a list of ints) or what it raised, and
    the torch functions called meanwhile."""
    fn = getattr(sub.module(MODULE), func)  # outside the try: a missing function is not "raised"

    def answer(a: tuple[int, ...], b: tuple[int, ...]) -> ShapeAnswer:
        try:
            result = fn(a, b)
        except NotImplementedError:
            raise
        except Exception as exc:  # noqa: BLE001 - whatever it raised is the observation
            return {"result": None, "raised": [cls.__name__ for cls in type(exc).__mro__]}
        return {"result": describe(result), "raised": []}

    with CallRecorder() as recorder:
        answers = [sub.call(answer, tuple(a), tuple(b)) for a, b in pairs]
    return {"answers": answers, "torch_calls": sorted(recorder.names)}


@probe("ch3.ex10.add_into")
def add_into(sub: Submission, device: str, x: torch.Tensor, out: torch.Tensor) -> AddIntoObservation:
    """``add_into(x, out)`` on ``device``: whether it returned out itself, whether out kept its
    storage (``data_ptr``), out's and x's values after."""
    x_dev, out_dev = to_device(x, device), to_device(out, device)
    pointer = out_dev.data_ptr()
    result = sub.call(sub.module(MODULE).add_into, x_dev, out_dev)
    return {"result": describe(result), "same_object": result is out_dev, "same_storage": out_dev.data_ptr() == pointer,
            "out_after": describe(out_dev), "x_after": describe(x_dev)}
