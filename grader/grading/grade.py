"""Grading one submission: every check, each to its verdict, through one runner."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from grader.judge.check import CheckFn, CheckResult, CheckSpec, Judge, Runner, run_check, spec_of
from grader.runners.in_process import InProcessRunner


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

    def to_json(self) -> dict[str, Any]:
        """Everything needed to rebuild this result (``grading.json``)."""
        return {
            "name": self.name, "seed": self.seed, "device": self.device, "seconds": self.seconds,
            "isolation": self.isolation,
            "results": [asdict(r) for r in self.results],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SubmissionResult:
        results = [CheckResult(**{"outcome": "passed" if r["passed"] else "failed",  # files from before outcomes
                                  **r, "spec": CheckSpec(**r["spec"])}) for r in data["results"]]
        return cls(data["name"], results, data["seed"], data["device"], data["seconds"], data["isolation"])

    def by_exercise(self) -> dict[str, list[CheckResult]]:
        """The results grouped by exercise, in check order."""
        groups: dict[str, list[CheckResult]] = {}
        for result in self.results:
            groups.setdefault(result.spec.exercise, []).append(result)
        return groups

    def exercise_scores(self) -> dict[str, tuple[float, float]]:
        """Exercise → (score, max)."""
        return {exercise: (sum(r.score for r in checks), sum(r.spec.points for r in checks))
                for exercise, checks in self.by_exercise().items()}


IN_PROCESS = ["none: student code ran in the grading process / 未隔离：学生代码在评分进程内运行"]


def grade_submission(
    folder: Path, checks: Iterable[CheckFn], *, device: str, seed: int, runner: Runner | None = None,
    isolation: list[str] | None = None, on_check: Callable[[CheckResult], None] | None = None,
) -> SubmissionResult:
    """Run ``checks`` against the modules in ``folder``; hidden checks draw from ``seed``.

    Without a ``runner``, the probes run in this process.
    """
    start = time.perf_counter()
    runner = runner or InProcessRunner(Path(folder))
    results = []
    for fn in checks:
        result = run_check(fn, Judge(spec_of(fn), runner, device, seed))
        runner.check_done()
        results.append(result)
        if on_check:
            on_check(result)
    return SubmissionResult(Path(folder).resolve().name, results, seed, device, time.perf_counter() - start,
                            isolation=isolation or IN_PROCESS)


def judge_failed(folder: Path, checks: Iterable[CheckFn], exc: BaseException, *, device: str, seed: int,
                 seconds: float) -> SubmissionResult:
    """The result of a submission whose grading failed on the judge's side: every check a check error."""
    detail = f"{type(exc).__name__}: {str(exc)[:300]}"
    results = [CheckResult(spec_of(fn), passed=False, outcome="check_error", details=[detail],
                           message_zh="评分程序在评判此提交时出错，此项记为未通过；请告知教师。",
                           message_en="The grader failed while judging this submission, so this check counts "
                                      "as not passed; tell the instructor.") for fn in checks]
    return SubmissionResult(Path(folder).resolve().name, results, seed, device, seconds,
                            isolation=[f"grading failed on the judge's side: {detail}"])
