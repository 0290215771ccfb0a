"""What a probe sends back: plain descriptions of the values student code returned, and the
helpers every probe uses (devices, scratch folders); the one chapter-free probe, ``call``.

A description is a small dict of plain values (a tensor's values, dtype, device, shape…),
never the student's object itself: what crosses to the judge cannot run student code.
"""

from __future__ import annotations

import tempfile
from typing import Any, Literal, TypedDict, cast

import numpy as np
import torch

from grader.probing.registry import probe
from grader.probing.submission import Submission


def scratch_dir() -> tempfile.TemporaryDirectory[str]:
    """A fresh folder for files the student code writes (removed on exit)."""
    return tempfile.TemporaryDirectory(prefix="probe-")


def to_device(value: Any, device: str) -> Any:
    """``value`` with every tensor in it moved to ``device``."""
    if isinstance(value, torch.Tensor):
        return value.to(device)
    if isinstance(value, list):
        return [to_device(v, device) for v in value]
    if isinstance(value, dict):
        return {k: to_device(v, device) for k, v in value.items()}
    return value


def type_name(value: Any) -> str:
    cls = type(value)
    return cls.__name__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"


class TensorFacts(TypedDict):
    """A tensor's description without its value."""

    kind: Literal["tensor"]
    type: str
    dtype: str
    device: str
    shape: list[int]
    requires_grad: bool
    has_graph: bool


class TensorDescription(TensorFacts):
    """A tensor: a snapshot of its value, and its facts."""

    value: torch.Tensor


class NdarrayFacts(TypedDict):
    """A NumPy array's description without its value."""

    kind: Literal["ndarray"]
    type: str
    dtype: str
    shape: list[int]


class NdarrayDescription(NdarrayFacts):
    """A NumPy array: its values as a tensor (None for an array of objects), and its facts."""

    value: torch.Tensor | None


ScalarType = Literal["bool", "int", "float", "str", "NoneType"]  # type_name() of each scalar type
SequenceType = Literal["list", "tuple"]


class ScalarFacts(TypedDict):
    """A scalar's description without its value."""

    kind: Literal["scalar"]
    type: ScalarType


class ScalarDescription(ScalarFacts):
    """A bool, int, float, str or None."""

    value: bool | int | float | str | None


class SequenceDescription(TypedDict):
    """A list or tuple: its items described."""

    kind: Literal["sequence"]
    type: SequenceType
    items: list[Description]


class DictDescription(TypedDict):
    """A dict: its values described, keyed by ``str(key)``."""

    kind: Literal["dict"]
    type: Literal["dict"]
    items: dict[str, Description]


class ObjectDescription(TypedDict):
    """Anything else: its type and the start of its repr."""

    kind: Literal["object"]
    type: str
    repr: str


# what describe() returns, told apart by "kind"
Description = (TensorDescription | NdarrayDescription | ScalarDescription | SequenceDescription | DictDescription
               | ObjectDescription)
# a description with its top-level "value" taken out
Facts = TensorFacts | NdarrayFacts | ScalarFacts | SequenceDescription | DictDescription | ObjectDescription


class ResultObservation(TypedDict):
    """What one student call returned."""

    result: Description


def describe(value: Any) -> Description:
    """What the judge needs to know about a value the student code returned."""
    if isinstance(value, torch.Tensor):
        return {
            "kind": "tensor",
            "type": type_name(value),
            "value": value.detach().clone(),  # a snapshot: later writes must not change it
            "dtype": str(value.dtype).removeprefix("torch."),
            "device": value.device.type,
            "shape": list(value.shape),
            "requires_grad": bool(value.requires_grad),
            "has_graph": value.grad_fn is not None,
        }
    if isinstance(value, np.ndarray):
        return {
            "kind": "ndarray",
            "type": type_name(value),
            "value": torch.from_numpy(np.array(value, copy=True)) if value.dtype != object else None,
            "dtype": str(value.dtype),
            "shape": list(value.shape),
        }
    # the type is one of these builtins, so type_name() is one of its ScalarType / SequenceType names
    if type(value) in (bool, int, float, str) or value is None:
        return {"kind": "scalar", "type": cast(ScalarType, type_name(value)), "value": value}
    if type(value) in (list, tuple):
        return {"kind": "sequence", "type": cast(SequenceType, type_name(value)), "items": [describe(v) for v in value]}
    if type(value) is dict:
        return {"kind": "dict", "type": "dict", "items": {str(k): describe(v) for k, v in value.items()}}
    return {"kind": "object", "type": type_name(value), "repr": repr(value)[:200]}


@probe("call")
def call(sub: Submission, device: str, module: str, func: str, args: list[Any], kwargs: dict[str, Any]) -> Description:
    """Call ``module.func(*args, **kwargs)`` with the tensors on ``device``; describe the result."""
    fn = getattr(sub.module(module), func)
    return describe(sub.call(fn, *to_device(args, device), **to_device(kwargs, device)))
