"""What a check is, the judge it runs against, and how its verdict is reached.

A check is a function ``test_<name>(judge)`` decorated with :func:`check`. It draws its
inputs from ``judge`` (seeded), computes the expected answer itself, hands only the inputs
to a grader-owned *probe* that runs next to the student code, and compares the plain
observations that come back. It never imports student code and never knows which runner
(in-process or isolated worker) carries its probes.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
import inspect
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType
from typing import Any, Protocol, cast, overload

import torch

from grader.errors import CheckFailed, GraderError, StudentError
from grader.manifest import MANIFEST, Course


@dataclass(frozen=True)
class CheckSpec:
    """Identity, worth and visibility of one check."""

    exercise: str
    name: str
    points: float
    hidden: bool
    title_zh: str
    title_en: str

    @property
    def id(self) -> str:
        return f"{self.exercise}.{self.name}"


class CheckFn(Protocol):
    """A check function as :func:`check` leaves it: ``test_<name>(judge)`` with its spec attached."""

    __check__: CheckSpec
    __name__: str
    __qualname__: str
    __code__: CodeType

    def __call__(self, judge: Judge, /) -> None: ...


def check(exercise: str, points: float, *, hidden: bool = False) -> Callable[[Callable[[Judge], None]], CheckFn]:
    """Mark ``test_<name>(judge)`` as a check worth ``points`` of ``exercise``.

    The docstring's first line is the title in Chinese, its second the title in English.
    """

    def decorate(fn: Callable[[Judge], None]) -> CheckFn:
        lines = (inspect.getdoc(fn) or "").splitlines()
        if len(lines) < 2 or not fn.__name__.startswith("test_"):
            raise CheckDefinitionError(f"{fn.__qualname__}：检查应命名为 test_<名称>，并有中英两行的文档字符串",
                                       f"{fn.__qualname__}: a check is test_<name> with a zh/en docstring")
        checked = cast(CheckFn, fn)  # made true on the next line
        checked.__check__ = CheckSpec(exercise, fn.__name__.removeprefix("test_"), points, hidden, lines[0], lines[1])
        return checked

    return decorate


class CheckDefinitionError(GraderError):
    """A check or a check file the grader cannot use (a bad name, no titles, an id used twice)."""


@overload
def spec_of(fn: CheckFn) -> CheckSpec: ...
@overload
def spec_of(fn: object) -> CheckSpec | None: ...
def spec_of(fn: object) -> CheckSpec | None:
    """The :class:`CheckSpec` of a check function, or None for any other object."""
    return getattr(fn, "__check__", None)


class Runner(Protocol):
    """Carries probes to wherever the student code runs."""

    def probe(self, name: str, device: str, inputs: dict[str, Any], check_id: str = "") -> Any:
        """Observations of probe ``name``, run for check ``check_id`` (``exercise.name``)."""
        ...

    def check_done(self) -> object:
        """The check is over: whatever ran for it may end (what a runner returns here is not used)."""
        ...

    def source(self, module: str) -> str | None:
        """The source text of the submission's ``module``, read on the judge's side (None if absent)."""
        ...


def derive_seed(base: int, check_id: str) -> int:
    """A seed for one check: stable across runs and machines for the same ``base``."""
    digest = hashlib.sha256(f"{base}:{check_id}".encode()).digest()
    return int.from_bytes(digest[:4], "little") & 0x7FFFFFFF


class Judge:
    """The judge-side context of one check: seeded randomness, probes, the device."""

    def __init__(self, spec: CheckSpec, runner: Runner, device: str, run_seed: int) -> None:
        self.spec = spec
        self.device = device
        self.seed = derive_seed(run_seed if spec.hidden else 0, spec.id)
        self.gen = torch.Generator().manual_seed(self.seed)
        self._runner = runner

    # -- randomness (always on the CPU, so a seed means the same numbers everywhere) --
    def randn(self, *shape: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
        return torch.randn(shape, generator=self.gen, dtype=torch.float64).to(dtype)

    def rand(self, *shape: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
        return torch.rand(shape, generator=self.gen, dtype=torch.float64).to(dtype)

    def randint(self, low: int, high: int) -> int:
        """A Python int drawn uniformly from [low, high]."""
        return int(torch.randint(low, high + 1, (), generator=self.gen))

    def choice(self, options: list[Any]) -> Any:
        return options[self.randint(0, len(options) - 1)]

    # -- probes --
    def probe(self, name: str, **inputs: Any) -> Any:
        """Run the grader-owned probe ``name`` next to the student code; its observations.

        A function with the wrong signature is told the reference's, where the course has one.
        """
        try:
            return self._runner.probe(name, self.device, inputs, self.spec.id)
        except StudentError as err:
            if err.kind == "signature" and not err.expected:
                err.expected = reference_signature(err.what)
            raise

    def source(self, module: str | None = None) -> str | None:
        """The submission's source of ``module`` (default: this check's exercise), read judge-side."""
        return self._runner.source(module or self.spec.exercise)

    def call(self, func: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Call ``func`` of this exercise's module on the student side; describe the result."""
        described: dict[str, Any] = self.probe("call", module=self.spec.exercise, func=func, args=list(args),
                                               kwargs=kwargs)
        return described

    def raises(self, name: str, **inputs: Any) -> StudentError | None:
        """Run a probe expected to raise; the student's exception, or None if none came."""
        try:
            self.probe(name, **inputs)
        except StudentError as err:
            if err.kind != "raised":
                raise
            return err
        return None


@functools.cache
def reference_signature(what: str) -> str:
    """``name(params)`` of the reference function ``module.name``, read from the course's
    solutions on the judge's side; empty where there are none (the student release)."""
    module, _, name = what.partition(".")
    found = importlib.util.find_spec("chapters")
    places = list(found.submodule_search_locations or []) if found else []
    root = Path(places[0]).parent if places else None
    if root is None or not (root / MANIFEST).is_file():
        return ""
    try:
        paths = [chapter.solutions(root) / f"{module}.py" for chapter in Course.load(root).chapters]
        for path in filter(Path.is_file, paths):
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                if isinstance(node, ast.FunctionDef) and node.name == name:
                    for arg in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
                        arg.annotation = None
                    for rest in (node.args.vararg, node.args.kwarg):
                        if rest is not None:
                            rest.annotation = None
                    return f"{name}({ast.unparse(node.args)})"
    except (GraderError, OSError, SyntaxError):
        pass
    return ""


NOT_ATTEMPTED = ("not_implemented", "import", "missing")


@dataclass
class CheckResult:
    """The verdict of one check on one submission."""

    spec: CheckSpec
    passed: bool
    message_zh: str = ""
    message_en: str = ""
    details: list[str] = field(default_factory=list)
    seed: int = 0
    seconds: float = 0.0
    # "passed"; "failed" (a wrong answer); a StudentError kind ("not_implemented", "import",
    # "raised", "timeout", "crashed", "skipped", "tampered"); or "check_error" (the check's own bug)
    outcome: str = "passed"

    @property
    def attempted(self) -> bool:
        """Whether the student's code for this check was there to be checked (written and importable)."""
        return self.outcome not in NOT_ATTEMPTED

    @property
    def score(self) -> float:
        return self.spec.points if self.passed else 0.0

    @property
    def message(self) -> str:
        """The full bilingual feedback text (empty when passed)."""
        return "\n".join(line for line in [self.message_zh, self.message_en, *self.details] if line)


def run_check(fn: CheckFn, judge: Judge) -> CheckResult:
    """Run one check to its verdict; a failure or a student error never escapes."""
    start = time.perf_counter()
    result = CheckResult(judge.spec, passed=True, seed=judge.seed)
    try:
        fn(judge)
    except (CheckFailed, StudentError) as failure:
        result.passed = False
        result.outcome = failure.kind if isinstance(failure, StudentError) else "failed"
        result.message_zh, result.message_en, result.details = failure.zh, failure.en, failure.details
    except Exception as bug:  # noqa: BLE001 - a check must not take the rest of the grading down with it
        result.passed, result.outcome = False, "check_error"
        result.message_zh = "评分检查本身出错，此项记为未通过；请告知教师。"
        result.message_en = "The check itself failed, so it counts as not passed; tell the instructor."
        said = [bug.zh, bug.en] if isinstance(bug, GraderError) else [str(bug)]
        result.details = [f"{type(bug).__name__}: {line}" for line in said]
    result.seconds = time.perf_counter() - start
    return result
