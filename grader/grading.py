"""Grading one submission: every check, each to its verdict, through one runner."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from grader.check import CheckFn, CheckResult, Judge, Runner, run_check, spec_of
from grader.runner import InProcessRunner


@dataclass
class SubmissionResult:
    """All verdicts for one submission, and how they were reached."""

    name: str
    results: list[CheckResult]
    seed: int
    device: str
    seconds: float = 0.0
    isolation: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(r.score for r in self.results)

    @property
    def max_score(self) -> float:
        return sum(r.spec.points for r in self.results)

    def by_exercise(self) -> dict[str, list[CheckResult]]:
        """The results grouped by exercise, in check order."""
        groups: dict[str, list[CheckResult]] = {}
        for result in self.results:
            groups.setdefault(result.spec.exercise, []).append(result)
        return groups


def grade_submission(
    folder: Path, checks: Iterable[CheckFn], *, device: str, seed: int,
    runner_factory: Callable[[Path], Runner] = InProcessRunner,
    on_check: Callable[[CheckResult], None] | None = None,
) -> SubmissionResult:
    """Run ``checks`` against the modules in ``folder``; hidden checks draw from ``seed``."""
    start = time.perf_counter()
    runner = runner_factory(Path(folder))
    results = []
    for fn in checks:
        result = run_check(fn, Judge(spec_of(fn), runner, device, seed))
        results.append(result)
        if on_check:
            on_check(result)
    return SubmissionResult(
        Path(folder).name, results, seed, device, time.perf_counter() - start,
        isolation=["none: student code ran in the grading process / 未隔离：学生代码在评分进程内运行"],
    )
