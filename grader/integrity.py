"""Noticing when student code rewrites the grader, torch or the builtins inside a worker.

Before any student code runs, the worker records the identity of every attribute of the
modules and classes the probes rely on (and the code object of every grader function).
After each probe it compares: a replaced ``torch.allclose``, ``Tensor.__eq__`` or probe
helper is reported, and the judge fails the check instead of trusting the observation.
"""

from __future__ import annotations

import builtins
import sys
import types
from typing import Any

import numpy as np
import torch

_MISSING = object()


def _watched() -> dict[str, Any]:
    spaces: dict[str, Any] = {
        "builtins": builtins, "torch": torch, "torch.Tensor": torch.Tensor,
        "torch._C.TensorBase": torch._C.TensorBase, "torch.nn.Module": torch.nn.Module,
        "torch.nn.functional": torch.nn.functional, "torch.autograd": torch.autograd, "numpy": np,
        "numpy.ndarray": np.ndarray,
    }
    spaces.update({name: module for name, module in sys.modules.items()
                   if name == "grader" or name.startswith("grader.")})
    return spaces


class Snapshot:
    """The identities of everything watched, taken before any student code runs."""

    def __init__(self) -> None:
        self.modules = {name: space for name, space in _watched().items() if name in sys.modules}
        self.spaces = [(name, space, list(vars(space).items())) for name, space in _watched().items()]
        self.code = [(f"{name}.{attr}", value, value.__code__) for name, _, items in self.spaces
                     for attr, value in items
                     if isinstance(value, types.FunctionType) and (value.__module__ or "").startswith("grader")]

    def changes(self) -> list[str]:
        """What was replaced or removed since (at most a few names), and what was added to a
        class (an override of an inherited method). Names added to a module are not
        reported: importing a submodule adds one to its package.
        """
        found = [name for name, module in self.modules.items() if sys.modules.get(name) is not module]
        for name, space, items in self.spaces:
            now = vars(space)
            found += [f"{name}.{attr}" for attr, value in items if now.get(attr, _MISSING) is not value]
            if isinstance(space, type) and len(now) != len(items):
                found += [f"{name}.{attr}" for attr in now.keys() - dict(items).keys()]
        found += [f"{where}.__code__" for where, function, code in self.code if function.__code__ is not code]
        return found[:5]
