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

Snapshot = dict[str, dict[str, int]]


def _watched() -> dict[str, Any]:
    spaces: dict[str, Any] = {
        "builtins": builtins, "torch": torch, "torch.Tensor": torch.Tensor, "torch.nn.Module": torch.nn.Module,
        "torch.nn.functional": torch.nn.functional, "torch.autograd": torch.autograd, "numpy": np,
        "numpy.ndarray": np.ndarray,
    }
    spaces.update({name: module for name, module in sys.modules.items()
                   if name == "grader" or name.startswith("grader.")})
    return spaces


def _fingerprint(space: Any) -> dict[str, int]:
    table = {}
    for name, value in list(vars(space).items()):
        table[name] = id(value)
        if isinstance(value, types.FunctionType) and value.__module__ and value.__module__.startswith("grader"):
            table[f"{name}.__code__"] = id(value.__code__)
    return table


def snapshot() -> Snapshot:
    """The current identities of everything watched."""
    return {name: _fingerprint(space) for name, space in _watched().items()}


def changes(before: Snapshot) -> list[str]:
    """What was replaced or removed since ``before`` (at most a few names).

    Added names are not reported: importing a submodule adds one to its package.
    """
    spaces = _watched()
    found = []
    for name, table in before.items():
        now = _fingerprint(spaces[name]) if name in spaces else {}
        found += [f"{name}.{attr}" for attr, ident in table.items() if now.get(attr) != ident]
    return found[:5]
