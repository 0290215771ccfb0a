"""The only format that crosses the student boundary: JSON plus safetensors.

Whatever a probe observes, or a check sends, is encoded as a JSON text in which every
tensor is replaced by ``{"__tensor__": key}`` and the tensors themselves are stored in one
safetensors blob. Decoding gives plain ``torch.Tensor``s on the CPU and plain Python
values: no pickle, no tensor subclass, no object with a custom ``__eq__`` survives.
"""

from __future__ import annotations

import json
from typing import Any

import torch
from safetensors.torch import load as load_tensors
from safetensors.torch import save as save_tensors

from grader.errors import GraderError

_TAG = "__tensor__"


class WireError(GraderError):
    """A value that the wire format cannot carry: the fault of the code that sent it (a check's
    inputs, a probe's observations), never of the student."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"无法跨越隔离边界传送 {kind} 类型的值", f"cannot send a {kind} across the boundary")


def encode(value: Any) -> tuple[str, bytes]:
    """``value`` as (JSON text, safetensors blob)."""
    tensors: dict[str, torch.Tensor] = {}

    def walk(v: Any) -> Any:
        if isinstance(v, torch.Tensor):
            key = f"t{len(tensors)}"
            plain = v.detach().as_subclass(torch.Tensor).to("cpu", copy=True)
            tensors[key] = plain.contiguous()
            return {_TAG: key}
        if v is None or type(v) in (bool, int, float, str):
            return v
        if type(v) in (list, tuple):
            return [walk(x) for x in v]
        if type(v) is dict:
            return {str(k): walk(x) for k, x in v.items()}
        raise WireError(type(v).__name__)

    text = json.dumps(walk(value))
    return text, save_tensors(tensors) if tensors else b""


def decode(text: str, blob: bytes) -> Any:
    """The value that :func:`encode` wrote."""
    tensors = load_tensors(blob) if blob else {}

    def walk(v: Any) -> Any:
        if isinstance(v, dict):
            if set(v) == {_TAG}:
                return tensors[v[_TAG]]
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        return v

    return walk(json.loads(text))


def round_trip(value: Any) -> Any:
    """``value`` as the other side of the boundary sees it."""
    return decode(*encode(value))
