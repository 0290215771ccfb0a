"""Raises the grader's own error type with kinds a worker may not report, from the functions.

to_tensor builds ``StudentError("no-such-kind", …)``; to_numpy raises a real one whose
kind it then rewrites to ``"passed"``; independent_copy raises a ``"timeout"`` (a verdict
only the judge may reach) and the hidden checks' ``"skipped"``.
"""
from grader.errors import StudentError


def to_tensor(array):
    raise StudentError("no-such-kind", "to_tensor", message="all checks passed")


def to_numpy(tensor):
    error = StudentError("raised", "to_numpy")
    error.kind = "passed"
    raise error


def independent_copy(array):
    raise StudentError("timeout" if array.ndim == 2 else "skipped", "independent_copy")
