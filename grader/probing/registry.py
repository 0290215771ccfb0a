"""The probe registry: probes by name, and running one next to the student code.

A probe is grader-owned code that runs next to the student code: ``fn(sub, device,
**inputs)`` gets the submission, the device to run on and the inputs a check sent, calls
the student code (through ``sub.call``) and returns plain observations (tensors, numbers,
strings, lists, dicts; see :mod:`grader.probing.observe`). It decides nothing: verdicts are
reached on the judge side. A chapter's probes are named after it (``<chapter>.<module>.<probe>``)
and live in ``chapters/<chapter>/probes``, imported the first time one of them is asked for.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from typing import Any

from grader.errors import GraderError, StudentError, student_traceback
from grader.probing.submission import Submission

Probe = Callable[..., Any]
PROBES: dict[str, Probe] = {}


class ProbeFault(GraderError):
    """A check asked for a probe that does not exist, or with inputs it does not take: the
    grader's fault, never the student's."""


def probe(name: str) -> Callable[[Probe], Probe]:
    """Register ``fn(sub, device, **inputs)`` as the probe ``name``."""

    def register(fn: Probe) -> Probe:
        if name in PROBES:
            raise ProbeFault(f"探针 {name} 注册了两次", f"probe {name!r} is registered twice")
        PROBES[name] = fn
        return fn

    return register


def find(name: str) -> Probe:
    """The probe ``name``, importing its chapter's probes (``chapters.<chapter>.probes``) if need be."""
    chapter = name.partition(".")[0]
    if name not in PROBES and chapter != name:
        try:
            importlib.import_module(f"chapters.{chapter}.probes")
        except ModuleNotFoundError:
            pass
    if name not in PROBES:
        raise ProbeFault(f"没有名为 {name} 的探针", f"there is no probe named {name!r}")
    return PROBES[name]


def run_probe(sub: Submission, name: str, device: str, inputs: dict[str, Any]) -> Any:
    """Probe ``name``'s observations; whatever the student code raised, as a :class:`StudentError`
    whose traceback ends in the student's frame that raised (where ``--pdb`` opens). A name the
    probe looked up in a student module and did not find is a ``missing`` error.

    A probe that does not exist or does not take these inputs is a :class:`ProbeFault`.
    """
    fn = find(name)
    try:
        inspect.signature(fn).bind(sub, device, **inputs)
    except TypeError as err:
        raise ProbeFault(f"探针 {name} 不接受这些输入：{err}", f"probe {name!r} does not take these inputs: {err}") \
            from None
    try:
        return fn(sub, device, **inputs)
    except StudentError:
        raise
    except BaseException as exc:  # anything the student code raised, stubs and exit() included
        if isinstance(exc, KeyboardInterrupt):
            raise
        error = (sub.missing(exc) if isinstance(exc, AttributeError) else None) or StudentError.from_exception(
            exc, name, sub.folder)
        raise error.with_traceback(student_traceback(exc, sub.folder)) from None
