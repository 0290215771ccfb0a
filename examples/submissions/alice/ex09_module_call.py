"""深化 9 / Deeper 9 — why model(x) and not model.forward(x) (Alice's answer)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import torch
from torch import nn


class ActivationRecorder:
    """Records the output shape of each call of the named layers while active."""

    def __init__(self, model: nn.Module, layer_names: Sequence[str]) -> None:
        self.model = model
        self.layer_names = list(layer_names)
        self.shapes: dict[str, list[tuple[int, ...]]] = {name: [] for name in self.layer_names}
        self._handles: dict[str, Any] = {}

    def _record(self, name: str, module: nn.Module, inputs: tuple[Any, ...], output: torch.Tensor) -> None:
        self.shapes[name].append(output.shape)  # torch.Size is a tuple of ints

    def __enter__(self) -> ActivationRecorder:
        layers = {}
        for name in self.layer_names:
            try:
                layers[name] = self.model.get_submodule(name)
            except AttributeError as err:
                raise KeyError(name) from err
        for name, layer in layers.items():
            self._handles[name] = layer.register_forward_hook(partial(self._record, name))
        return self

    def __exit__(self, *exc_info: Any) -> bool:
        while self._handles:
            self._handles.popitem()[1].remove()
        return False


def run_model(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """``model(x)``: goes through ``__call__``, so hooks fire."""
    out = model(x)
    return out


def count_hook_calls(model: nn.Module, x: torch.Tensor) -> tuple[int, int]:
    """Calls of a forward hook on ``model`` for ``model(x)`` and for ``model.forward(x)``."""
    seen: list[str] = []
    phase = ["call"]
    handle = model.register_forward_hook(lambda module, args, kwargs, output: seen.append(phase[0]),
                                         with_kwargs=True)
    try:
        with torch.no_grad():
            model(x)
            phase[0] = "forward"
            model.forward(x)
    finally:
        handle.remove()
    return seen.count("call"), seen.count("forward")
