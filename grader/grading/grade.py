"""Grading one submission: every check, each to its verdict, through one runner."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from grader.judge.check import CheckFn, CheckResult, CheckSpec, Judge, Runner, run_check, spec_of
from grader.manifest import Course
from grader.runners.in_process import InProcessRunner


def graded_checks(course: Course, checks: Iterable[CheckFn], *, practice: bool) -> list[CheckFn]:
    """Those of ``checks`` a grading run uses: the graded exercises', and with ``practice`` the
    practice exercises' too."""
    return [fn for fn in checks if practice or spec_of(fn).exercise not in course.practice]


@dataclass
class SubmissionResult:
    """All verdicts for one submission, and how they were reached.

    The checks of the exercises in ``practice`` are graded apart: their points are never part
    of :attr:`score` and :attr:`max_score`, but of :attr:`practice_score` and :attr:`practice_max`.
    """

    name: str
    results: list[CheckResult]
    seed: int
    device: str
    seconds: float = 0.0
    isolation: list[str] = field(default_factory=list)
    practice: list[str] = field(default_factory=list)  # the practice exercises among those graded

    def _sum(self, practice: bool, worth: bool) -> float:
        return sum(r.spec.points if worth else r.score for r in self.results
                   if (r.spec.exercise in self.practice) == practice)

    @property
    def score(self) -> float:
        """The graded total: practice exercises left out."""
        return self._sum(False, worth=False)

    @property
    def max_score(self) -> float:
        return self._sum(False, worth=True)

    @property
    def practice_score(self) -> float:
        """The practice exercises' own total."""
        return self._sum(True, worth=False)

    @property
    def practice_max(self) -> float:
        return self._sum(True, worth=True)

    def to_json(self) -> dict[str, Any]:
        """Everything needed to rebuild this result (``grading.json``)."""
        return {
            "name": self.name, "seed": self.seed, "device": self.device, "seconds": self.seconds,
            "isolation": self.isolation, "practice": self.practice,
            "results": [asdict(r) for r in self.results],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SubmissionResult:
        results = [CheckResult(**{"outcome": "passed" if r["passed"] else "failed",  # files from before outcomes
                                  **r, "spec": CheckSpec(**r["spec"])}) for r in data["results"]]
        return cls(data["name"], results, data["seed"], data["device"], data["seconds"], data["isolation"],
                   data.get("practice", []))

    def by_exercise(self) -> dict[str, list[CheckResult]]:
        """The results grouped by exercise, in check order."""
        groups: dict[str, list[CheckResult]] = {}
        for result in self.results:
            groups.setdefault(result.spec.exercise, []).append(result)
        return groups

    def exercise_scores(self) -> dict[str, tuple[float, float]]:
        """Exercise → (score, max), practice exercises too."""
        return {exercise: (sum(r.score for r in checks), sum(r.spec.points for r in checks))
                for exercise, checks in self.by_exercise().items()}

    def exercises(self, *, practice: bool) -> list[str]:
        """The graded exercises (or, with ``practice``, the practice ones), in check order."""
        return [exercise for exercise in self.by_exercise() if (exercise in self.practice) == practice]


IN_PROCESS = ["none: student code ran in the grading process / 未隔离：学生代码在评分进程内运行"]


def grade_submission(
    folder: Path, checks: Iterable[CheckFn], *, device: str, seed: int, runner: Runner | None = None,
    isolation: list[str] | None = None, on_check: Callable[[CheckResult], None] | None = None,
    practice: Iterable[str] = (),
) -> SubmissionResult:
    """Run ``checks`` against the modules in ``folder``; hidden checks draw from ``seed``.

    Without a ``runner``, the probes run in this process. The exercises in ``practice`` are
    graded apart from the total.
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
                            isolation=isolation or IN_PROCESS, practice=_among(practice, results))


def _among(practice: Iterable[str], results: list[CheckResult]) -> list[str]:
    """The exercises of ``practice`` that ``results`` hold, in their order."""
    wanted = set(practice)
    return list(dict.fromkeys(r.spec.exercise for r in results if r.spec.exercise in wanted))


def judge_failed(folder: Path, checks: Iterable[CheckFn], exc: BaseException, *, device: str, seed: int,
                 seconds: float, practice: Iterable[str] = ()) -> SubmissionResult:
    """The result of a submission whose grading failed on the judge's side: every check a check error."""
    detail = f"{type(exc).__name__}: {str(exc)[:300]}"
    results = [CheckResult(spec_of(fn), passed=False, outcome="check_error", details=[detail],
                           message_zh="评分程序在评判此提交时出错，此项记为未通过；请告知教师。",
                           message_en="The grader failed while judging this submission, so this check counts "
                                      "as not passed; tell the instructor.") for fn in checks]
    return SubmissionResult(Path(folder).resolve().name, results, seed, device, seconds,
                            isolation=[f"grading failed on the judge's side: {detail}"],
                            practice=_among(practice, results))
