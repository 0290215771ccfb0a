"""Copies in to_tensor, and replaces ``chapters.ch3.probes.ex01._sees`` only *after* the guard has
looked: garbage with a finalizer is collected at every allocation (``gc.set_threshold(1)``)
and re-arms itself until it finds, on the stack, the probe past the student call; then it
installs a fake ``_sees`` that says writes were seen and restores the original when called,
so the guard's last look before the answer finds nothing changed.

Its twin ``fake_sees_twin`` is the same code without the trick: this may score no more."""
import gc
import sys

import chapters.ch3.probes.ex01 as probes
import torch

ORIGINAL = probes._sees
THRESHOLD = gc.get_threshold()
STUDENT_OR_GUARD = {"call", "leave", "problems", "enter", "state", "to_tensor", "_arm", "_fake"}


def _fake(a, b, index, calls=[]):
    calls.append(1)
    if len(calls) % 2 == 0:
        probes._sees = ORIGINAL
    ORIGINAL(a, b, index)
    return True


class _Trigger:
    """Cyclic garbage whose finalizer runs at the next collection."""

    def __init__(self):
        self.me = self

    def __del__(self):
        frame, names, probe = sys._getframe(1), set(), None
        while frame is not None:
            names.add(frame.f_code.co_name)
            if frame.f_code.co_name == "from_array" and probe is None:
                probe = frame
            frame = frame.f_back
        if probe is None or names & STUDENT_OR_GUARD:
            _Trigger()  # not yet: re-arm for the next collection
            return
        gc.set_threshold(*THRESHOLD)
        if probe.f_locals.get("func") == "to_tensor":
            probes._sees = _fake


def _arm():
    _Trigger()
    gc.set_threshold(1, 1, 1)


def to_tensor(array):
    _arm()
    return torch.tensor(array)


def to_numpy(tensor):
    return tensor.detach().cpu().numpy()


def independent_copy(array):
    return torch.tensor(array)
