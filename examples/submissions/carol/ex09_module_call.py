"""Carol's hooks: records shapes, but forgets to clean up."""

import torch
from torch import nn


class ActivationRecorder:
    def __init__(self, model: nn.Module, layer_names) -> None:
        self.model = model
        self.layer_names = list(layer_names)
        self.shapes = {name: [] for name in self.layer_names}
        self._handles = []

    def __enter__(self):
        layers = dict(self.model.named_modules())
        for name in self.layer_names:
            self._handles.append(layers[name].register_forward_hook(self._hook(name)))
        return self

    def _hook(self, name):
        def record(module, inputs, output):
            self.shapes[name].append(tuple(output.shape))
        return record

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:  # slip: hooks stay behind when the block raised
            for handle in self._handles:
                handle.remove()


def run_model(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    return model(x)


def count_hook_calls(model: nn.Module, x: torch.Tensor) -> tuple[int, int]:
    calls = []
    handle = model.register_forward_hook(lambda *args: calls.append(1))
    model(x)
    via_call = len(calls)
    model.forward(x)
    handle.remove()
    return via_call, len(calls) - via_call
