"""Probes for ex01_tensor_numpy: conversions, and whether memory is shared."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from grader.probing.observe import ResultObservation, describe, to_device
from grader.probing.registry import probe
from grader.probing.submission import Submission

MODULE = "ex01_tensor_numpy"


def _bump(values: Any, index: tuple[int, ...]) -> None:
    """Change one element in place (flip a bool, add one to a number)."""
    values[index] = ~values[index] if values.dtype in (np.bool_, torch.bool) else values[index] + 1


def _sees(a: Any, b: Any, index: tuple[int, ...]) -> bool:
    """Whether a write to ``a[index]`` shows up in ``b``."""
    before = b[index].item()
    _bump(a, index)
    return b[index].item() != before


def _as_array(values: torch.Tensor, transposed: bool) -> np.ndarray:
    array = values.numpy().copy()
    return array.T if transposed else array


class FromArrayObservation(ResultObservation):
    """A tensor of the array's shape, and whether writes cross between the two in each direction."""

    array_write_seen: bool
    tensor_write_seen: bool


class ToNumpyObservation(ResultObservation):
    """The result, and whether the input tensor was left as it was."""

    input_unchanged: bool


class ToNumpySharingObservation(ToNumpyObservation):
    """An array of the tensor's shape: also whether a write to it shows in the tensor."""

    array_write_seen: bool


@probe("ch3.ex01.from_array")
def from_array(sub: Submission, device: str, func: str, values: torch.Tensor,
               transposed: bool = False) -> FromArrayObservation | ResultObservation:
    """``func(array)`` for an array of ``values``; then whether writes cross between the two."""
    array = _as_array(values, transposed)
    result = sub.call(getattr(sub.module(MODULE), func), array)
    observed: dict[str, Any] = {"result": describe(result)}
    if isinstance(result, torch.Tensor) and result.shape == array.shape and array.size:
        index = (0,) * array.ndim
        observed["array_write_seen"] = _sees(array, result, index)
        observed["tensor_write_seen"] = _sees(result, array, index)
    return observed


@probe("ch3.ex01.to_numpy")
def to_numpy(sub: Submission, device: str, values: torch.Tensor, requires_grad: bool,
             transposed: bool = False, cpu: bool = False) -> ToNumpySharingObservation | ToNumpyObservation:
    """``to_numpy(t)`` for t on ``device`` (on the CPU with ``cpu``); whether it shares memory;
    whether t was left as it was."""
    tensor = to_device(values, "cpu" if cpu else device)
    tensor = tensor.t() if transposed else tensor
    tensor.requires_grad_(requires_grad)
    snapshot = tensor.detach().clone()
    result = sub.call(sub.module(MODULE).to_numpy, tensor)
    observed: dict[str, Any] = {
        "result": describe(result),
        "input_unchanged": bool(torch.equal(tensor.detach(), snapshot)) and tensor.requires_grad == requires_grad,
    }
    if isinstance(result, np.ndarray) and result.shape == tuple(tensor.shape) and result.size:
        with torch.no_grad():
            observed["array_write_seen"] = (_sees(result, tensor, (0,) * result.ndim) if result.flags.writeable
                                            else False)
    return observed
