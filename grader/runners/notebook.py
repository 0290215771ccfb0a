"""Checks run in a notebook kernel against the notebook's own code.

``check("<exercise>")`` (``from grader.runners.notebook import check``) is what a student
calls in Jupyter or Colab: it runs the exercise's public checks on the functions defined in
the notebook so far and returns a :class:`Feedback`, which the notebook shows inline (HTML,
and plain text where HTML is not shown), in the same bilingual words as ``pytest``.

``run(test_x, globals())`` is what an nbgrader test cell calls: one check, which prints a
line when it passes and raises ``AssertionError`` with the check's bilingual feedback when it
does not (nbgrader then gives the cell no points).

Either serves the notebook's namespace as the student's module of the check's exercise and
runs in this kernel on the default device.
"""

from __future__ import annotations

import ast
import html
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import chapters
from grader.devices import default_device
from grader.errors import GraderError, StudentError
from grader.judge.catalog import checks_in
from grader.judge.check import CheckDefinitionError, CheckFn, CheckResult, Judge, run_check, spec_of
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


def _result(check_fn: CheckFn, namespace: dict[str, Any], seed: int, device: str | None) -> CheckResult:
    spec = spec_of(check_fn)
    if spec is None:
        raise CheckDefinitionError(f"run() 需要一个 @check 检查函数，而不是 {check_fn!r}",
                                   f"run() takes a @check function, not {check_fn!r}")
    runner = NotebookRunner(spec.exercise, namespace)
    return run_check(check_fn, Judge(spec, runner, device or default_device(), seed))


def run(check_fn: CheckFn, namespace: dict[str, Any], *, seed: int = 0, device: str | None = None) -> None:
    """Run ``check_fn`` against the code in ``namespace`` (a notebook's ``globals()``).

    ``seed`` is the run seed hidden checks draw from (public checks use their fixed one);
    ``device`` defaults to CUDA when available, else the CPU. Raises ``AssertionError``
    with the check's feedback when it fails.
    """
    result = _result(check_fn, namespace, seed, device)
    if not result.passed:
        raise AssertionError(result.message) from None
    spec = result.spec
    print(f"通过 {spec.title_zh} ({spec.points:g} 分)\npassed: {spec.title_en} ({spec.points:g} points)")


# -- check(): an exercise's public checks, shown inline ---------------------------------------

class UnknownExercise(GraderError):
    """``check()`` was given a name that no public check file belongs to."""


def check_files() -> dict[str, tuple[str, Path]]:
    """Exercise -> (chapter, its public check file): ``exercises/<chapter>/test_<exercise>.py`` beside
    the ``chapters`` package (the course, or a release installed with ``pip install -e``), else the
    copy a release installs in the package, ``chapters/<chapter>/checks/``."""
    package = Path(chapters.__file__).resolve().parent
    places = [(p.parent.parent.name, p) for p in sorted(package.glob("*/checks/test_*.py"))]
    places += [(p.parent.name, p) for p in sorted(package.parent.glob("exercises/*/test_*.py"))]  # the later wins
    return {path.stem.removeprefix("test_"): (chapter, path) for chapter, path in places}


@dataclass
class Feedback:
    """The public checks of one exercise, run in a notebook: shown inline as HTML, or as text."""

    exercise: str
    results: list[CheckResult]

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def score(self) -> float:
        return sum(r.score for r in self.results)

    @property
    def points(self) -> float:
        return sum(r.spec.points for r in self.results)

    def _summary(self) -> tuple[str, str]:
        done, total = sum(r.passed for r in self.results), len(self.results)
        return (f"{self.exercise}：公开检查通过 {done}/{total}，得分 {self.score:g}/{self.points:g}",
                f"{self.exercise}: {done}/{total} public checks pass, {self.score:g}/{self.points:g} points")

    def __repr__(self) -> str:
        lines = list(self._summary())
        for r in self.results:
            lines.append(f"{'✓' if r.passed else '✗'} {r.spec.title_zh} / {r.spec.title_en} ({r.spec.points:g})")
            lines += [f"    {line}" for line in r.message.splitlines()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        zh, en = self._summary()
        colour = "#1a7f37" if self.passed else "#cf222e"
        rows = []
        for r in self.results:
            mark = '<span style="color:#1a7f37">✓</span>' if r.passed else '<span style="color:#cf222e">✗</span>'
            title = html.escape(f"{r.spec.title_zh} / {r.spec.title_en} ({r.spec.points:g})")
            said = "" if r.passed else f'<pre style="margin:2px 0 6px 1.5em">{html.escape(r.message)}</pre>'
            rows.append(f"<li>{mark} {title}{said}</li>")
        return (f'<div class="grader-feedback"><div style="font-weight:bold;color:{colour}">{html.escape(zh)}<br>'
                f'{html.escape(en)}</div><ul style="list-style:none;padding-left:0">{"".join(rows)}</ul></div>')


def check(exercise: str, namespace: dict[str, Any] | None = None, *, device: str | None = None) -> Feedback:
    """Run the public checks of ``exercise`` (an exercise id of the manifest) against the functions defined
    in the notebook: ``namespace``, by default the globals of the caller (the notebook's cells).

    ``device`` defaults to CUDA when available, else the CPU. The result shows itself inline
    when it is the last expression of a cell; ``.passed``, ``.score`` and ``.points`` say the same.
    """
    files = check_files()
    if exercise not in files:
        known = ", ".join(sorted(files))
        raise UnknownExercise(f"没有名为 {exercise!r} 的练习（有：{known}）",
                              f"no exercise named {exercise!r} (there are: {known})")
    chapter, path = files[exercise]
    cells = namespace if namespace is not None else sys._getframe(1).f_globals
    checks = [fn for fn in checks_in(path, chapter) if spec_of(fn).exercise == exercise]
    return Feedback(exercise, [_result(fn, cells, 0, device) for fn in checks])
