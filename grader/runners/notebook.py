"""What an nbgrader test cell calls: one check, run against the notebook's own code.

``run(test_x, globals())`` serves the notebook's namespace as the student's module of the
check's exercise, runs the check in this kernel on the default device, prints a line
when it passes and raises ``AssertionError`` with the check's bilingual feedback when it
does not (nbgrader then gives the cell no points).
"""

from __future__ import annotations

import ast
import types
from pathlib import Path
from typing import Any

from grader.devices import default_device
from grader.errors import StudentError
from grader.judge.check import CheckDefinitionError, CheckFn, Judge, run_check, spec_of
from grader.probing.submission import Submission
from grader.runners.in_process import InProcessRunner


def _cells_folder(namespace: dict[str, Any]) -> Path:
    """Where the kernel keeps the code of the notebook's cells: the file of a function defined there."""
    for value in namespace.values():
        code = getattr(value, "__code__", None)
        if code is not None and getattr(value, "__module__", None) == namespace.get("__name__"):
            return Path(code.co_filename).parent
    return Path.cwd()


class NotebookSubmission(Submission):
    """A submission whose module ``exercise`` is the notebook's namespace, as it is now."""

    def __init__(self, exercise: str, namespace: dict[str, Any]) -> None:
        super().__init__(_cells_folder(namespace))
        module = types.ModuleType(exercise)
        module.__dict__.update(namespace)
        module.__name__ = exercise  # not the kernel's ``__main__``
        self._loaded[exercise] = module


class NotebookRunner(InProcessRunner):
    """Runs probes in the kernel against the notebook's namespace; errors name the exercise, not the cell file."""

    def __init__(self, exercise: str, namespace: dict[str, Any]) -> None:  # no folder to load from
        self.exercise = exercise
        self.namespace = namespace
        self.submission = NotebookSubmission(exercise, namespace)

    def source(self, module: str) -> str | None:
        """The code of every cell run so far (IPython's input history), in order; a cell that
        does not parse (it failed when run) is left out."""
        cells = self.namespace.get("_ih")
        if not isinstance(cells, list):
            return None
        return "\n".join(cell for cell in cells if isinstance(cell, str) and _parses(cell))

    def probe(self, name: str, device: str, inputs: dict[str, Any], check_id: str = "") -> Any:
        try:
            return super().probe(name, device, inputs, check_id)
        except StudentError as err:
            cell, _, line = err.where.rpartition(".py:")
            if not (cell and err.what.startswith(f"{cell}.")):
                raise
            # ``<cell file>.func`` → ``<exercise>.func``, at the cell's line
            raise StudentError(err.kind, self.exercise + err.what[len(cell):], err.exc_type, err.message,
                               f"代码单元第 {line} 行 / cell line {line}", err.mro) from None


def _parses(code: str) -> bool:
    """Whether ``code`` is valid Python."""
    try:
        ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    return True


def run(check_fn: CheckFn, namespace: dict[str, Any], *, seed: int = 0, device: str | None = None) -> None:
    """Run ``check_fn`` against the code in ``namespace`` (a notebook's ``globals()``).

    ``seed`` is the run seed hidden checks draw from (public checks use their fixed one);
    ``device`` defaults to CUDA when available, else the CPU. Raises ``AssertionError``
    with the check's feedback when it fails.
    """
    spec = spec_of(check_fn)
    if spec is None:
        raise CheckDefinitionError(f"run() 需要一个 @check 检查函数，而不是 {check_fn!r}",
                                   f"run() takes a @check function, not {check_fn!r}")
    runner = NotebookRunner(spec.exercise, namespace)
    result = run_check(check_fn, Judge(spec, runner, device or default_device(), seed))
    if not result.passed:
        raise AssertionError(result.message) from None
    print(f"通过 {spec.title_zh} ({spec.points:g} 分)\npassed: {spec.title_en} ({spec.points:g} points)")
