"""Noticing, inside a worker, when student code rewrites the grader, torch or the interpreter.

Before any student code runs, a :class:`Guard` records the identity of every attribute of
the modules and classes that probes and the wire code rely on (the grader's modules, the
course's probe modules, their classes, torch, numpy, json, safetensors, struct, socket, os,
the builtins) and the code object and defaults of every function among them. Right after
each student call returns (:meth:`Guard.leave`, called by
:meth:`grader.probing.submission.Submission.call`) and again before an answer is sent
(:meth:`Guard.problems`), it compares: a replaced helper, a function
whose code was swapped, a thread left running, a trace or profile function, a timer or
signal handler, an import hook or a torch mode left on the stack make the judge refuse to
trust the answer. The checks themselves bind what they use before any student code runs.

This is a tripwire, not a wall: code in the same process can still forge memory. The
verdicts rest on judge-side comparisons; see the README's threat model.
"""

from __future__ import annotations

import builtins
import gc
import json
import json.decoder
import json.encoder
import os
import signal
import socket
import struct
import sys
import threading
import types
from operator import attrgetter
from typing import Any

import numpy as np
import safetensors
import safetensors.torch
import torch

from grader.errors import StudentError

_MISSING = object()
_TIMERS = (signal.ITIMER_REAL, signal.ITIMER_VIRTUAL, signal.ITIMER_PROF)
_SIGNALS = sorted(set(signal.valid_signals()) - {signal.SIGKILL, signal.SIGSTOP})
_FUNCTION_PARTS = ("__code__", "__defaults__", "__kwdefaults__")


class Tampered(StudentError):
    """Student code changed what the grader relies on; the answer is not trusted."""

    def __init__(self, problems: list[str], what: str = "") -> None:
        super().__init__("tampered", what, message=", ".join(problems))
        self.problems = problems


# what Python itself adds to a class on first use: pickling caches its slot names there (copyreg)
_CACHES = {"__slotnames__"}


def _watched() -> dict[str, Any]:
    spaces: dict[str, Any] = {
        "builtins": builtins, "torch": torch, "torch.Tensor": torch.Tensor,
        "torch._C.TensorBase": torch._C.TensorBase, "torch.nn.Module": torch.nn.Module,
        "torch.nn.functional": torch.nn.functional, "torch.autograd": torch.autograd,
        "torch.functional": torch.functional, "numpy": np, "numpy.ndarray": np.ndarray, "json": json,
        "json.encoder": json.encoder, "json.decoder": json.decoder, "struct": struct, "socket": socket,
        "socket.socket": socket.socket, "os": os, "safetensors": safetensors,
        "safetensors.torch": safetensors.torch, "gc": gc, "signal": signal,
    }
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in ("grader", "chapters"):  # the engine and the course's probes
            spaces[name] = module
            spaces.update({f"{name}.{attr}": value for attr, value in vars(module).items()
                           if isinstance(value, type) and value.__module__ == name})
    return spaces


def _functions(items: list[tuple[str, Any]]) -> list[tuple[str, types.FunctionType]]:
    found = []
    for attr, value in items:
        if isinstance(value, (staticmethod, classmethod)):
            value = value.__func__
        if isinstance(value, types.FunctionType):
            found.append((attr, value))
    return found


class Guard:
    """What the worker looked like before student code ran, and the means to compare."""

    def __init__(self) -> None:
        self.modules = {name: space for name, space in _watched().items() if name in sys.modules}
        self.spaces = [(name, space, list(vars(space).items())) for name, space in _watched().items()]
        self.code = [(f"{name}.{attr}", fn, fn.__code__, fn.__defaults__, fn.__kwdefaults__)
                     for name, _, items in self.spaces for attr, fn in _functions(items)]
        self.print = self._fingerprint()
        # bound now: student code rebinding them cannot blind the guard
        self._frames, self._enumerate, self._main = sys._current_frames, threading.enumerate, threading.main_thread()
        self._getsignal, self._getitimer = signal.getsignal, signal.getitimer
        self.start = self.state()

    def state(self) -> dict[str, Any]:
        """The interpreter's mutable hooks, as they are now."""
        return {
            "sys.settrace": sys.gettrace(), "sys.setprofile": sys.getprofile(),
            "threading.settrace": threading.gettrace(), "threading.setprofile": threading.getprofile(),
            "sys.meta_path": list(sys.meta_path), "sys.path_hooks": list(sys.path_hooks),
            "gc.callbacks": list(gc.callbacks),
            "signal handlers": [self._getsignal(s) for s in _SIGNALS],
            "torch function modes": torch._C._len_torch_function_stack(),
            "torch dispatch modes": torch._C._len_torch_dispatch_stack(),
        }

    def enter(self) -> dict[str, Any]:
        """Before a student call: the state to compare with when it returns. The cycle collector
        runs during student code only (see :meth:`settle`)."""
        gc.enable()
        return self.state()

    def leave(self, before: dict[str, Any], what: str = "") -> None:
        """Right after a student call returned: raise :class:`Tampered` if anything was changed."""
        self.settle()
        problems = self.problems(before)
        if problems:
            raise Tampered(problems, what)

    @staticmethod
    def settle() -> None:
        """Run every finalizer the student's garbage holds now, then stop the cycle collector, so
        that no student finalizer can run later in the probe's own code (after this check). What
        survives is frozen: the next collection scans only what is newer (a worker lives one check)."""
        gc.collect()
        gc.freeze()
        gc.disable()

    def _fingerprint(self) -> tuple[tuple[int, ...], ...]:
        """The identities of everything watched, gathered at C speed: equal means nothing was replaced."""
        functions = [fn for _, fn, _, _, _ in self.code]
        return (tuple(map(id, map(sys.modules.get, self.modules))),
                *(tuple(map(id, vars(space).values())) for _, space, _ in self.spaces),
                *(tuple(map(id, map(attrgetter(part), functions))) for part in _FUNCTION_PARTS))

    def replaced(self) -> list[str]:
        """What was replaced or removed, by name (the slow comparison runs only when the fingerprint
        differs; a difference that names nothing, a submodule imported into a package, is kept)."""
        now = self._fingerprint()
        if now == self.print:
            return []
        found = [name for name, module in self.modules.items() if sys.modules.get(name) is not module]
        for name, space, items in self.spaces:
            current = vars(space)
            found += [f"{name}.{attr}" for attr, value in items if current.get(attr, _MISSING) is not value]
            if isinstance(space, type) and len(current) != len(items):
                found += [f"{name}.{attr}" for attr in current.keys() - dict(items).keys() - _CACHES]
        found += [f"{where}.__code__" for where, fn, code, defaults, kwdefaults in self.code
                  if fn.__code__ is not code or fn.__defaults__ is not defaults or fn.__kwdefaults__ is not kwdefaults]
        if not found:
            self.print = now
        return found

    def problems(self, before: dict[str, Any] | None = None) -> list[str]:
        """What was replaced, removed or left running since ``before`` (at most a few)."""
        before = self.start if before is None else before
        found = self.replaced()
        now = self.state()
        found += [f"{key} changed" for key, value in before.items() if not _same(value, now[key])]
        if any(self._getitimer(timer) != (0.0, 0.0) for timer in _TIMERS):
            found.append("a timer left running (signal.setitimer)")
        threads = [t.name for t in self._enumerate() if t is not self._main]
        if threads or len(self._frames()) > 1:
            found.append(f"a thread left running ({', '.join(threads) or 'not made with threading'})")
        return found[:5]


def _same(a: Any, b: Any) -> bool:
    """The same hooks: identical objects (items of lists too), or equal counts; never a student ``__eq__``."""
    if type(a) is list and type(b) is list:
        return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))
    return a is b or (type(a) is int and type(b) is int and a == b)
