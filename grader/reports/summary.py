"""A class at a glance: ``grader report DIR`` over the ``grading.json`` files a run left."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table

from grader.errors import GraderError
from grader.grading.grade import SubmissionResult
from grader.grading.store import DONE, atomic_write, finished
from grader.reports.pages import render

BINS = 5  # score ranges per exercise: 0–20 %, …, 80–100 %
SPARKS = "▁▂▃▄▅▆▇█"


class NothingGraded(GraderError):
    """The folder holds no finished grading."""


@dataclass
class ExerciseStats:
    name: str
    worth: float
    scores: list[float]
    practice: bool = False  # a practice exercise: outside the graded total

    @property
    def mean(self) -> float:
        return statistics.fmean(self.scores)

    @property
    def median(self) -> float:
        return statistics.median(self.scores)

    @property
    def full(self) -> int:
        return sum(s >= self.worth for s in self.scores)

    def histogram(self, bins: int = BINS) -> list[int]:
        """How many submissions scored in each of ``bins`` equal ranges of 0…worth (the top one closed)."""
        counts = [0] * bins
        for score in self.scores:
            ratio = score / self.worth if self.worth else 0.0
            counts[min(bins - 1, int(ratio * bins))] += 1
        return counts


@dataclass
class FailedCheck:
    """How often one check failed: on code that was there (``wrong``) and on code that was not."""

    id: str
    title_zh: str
    title_en: str
    hidden: bool
    wrong: int  # failed although the student's module was there and the function written
    attempted: int
    not_done: int  # not implemented, or the module missing or not importable


@dataclass
class ClassSummary:
    results: list[SubmissionResult]
    exercises: list[ExerciseStats]  # the graded ones, then the practice ones
    failed: list[FailedCheck]  # most often failed first
    slowest: list[SubmissionResult]  # slowest first

    @property
    def total(self) -> ExerciseStats:
        """The graded totals."""
        return ExerciseStats("total", self.results[0].max_score, [r.score for r in self.results])

    @property
    def practice(self) -> ExerciseStats | None:
        """The practice exercises' totals, where they were graded."""
        if not any(r.practice for r in self.results):
            return None
        return ExerciseStats("practice", max(r.practice_max for r in self.results),
                             [r.practice_score for r in self.results], practice=True)


def load_results(folder: Path) -> list[SubmissionResult]:
    """Every finished submission in ``folder``, by name."""
    files = sorted(folder.glob(f"*/{DONE}"))
    if not files:
        raise NothingGraded(f"{folder} 中没有评分结果（应有 `grader grade --out` 写下的 */{DONE}）",
                            f"{folder} holds no graded submission (expected */{DONE} from `grader grade --out`)")
    return [result for f in files if (result := finished(folder, f.parent.name)) is not None]


def summarize(results: list[SubmissionResult], *, top: int = 10, slowest: int = 5) -> ClassSummary:
    """Score distribution per exercise, the ``top`` most failed checks, the ``slowest`` submissions."""
    per_exercise: dict[str, ExerciseStats] = {}
    for result in results:
        for name, (score, worth) in result.exercise_scores().items():
            stats = per_exercise.setdefault(name, ExerciseStats(name, worth, [], practice=name in result.practice))
            stats.scores.append(score)
    verdicts = [r for result in results for r in result.results]
    specs = {r.spec.id: r.spec for r in verdicts}
    wrong = Counter(r.spec.id for r in verdicts if not r.passed and r.attempted)
    attempted = Counter(r.spec.id for r in verdicts if r.attempted)
    not_done = Counter(r.spec.id for r in verdicts if not r.attempted)
    ranked = sorted((i for i in specs if wrong[i] or not_done[i]), key=lambda i: (-wrong[i], -not_done[i]))
    failed = [FailedCheck(i, specs[i].title_zh, specs[i].title_en, specs[i].hidden, wrong[i], attempted[i],
                          not_done[i]) for i in ranked[:top]]
    exercises = sorted(per_exercise.values(), key=lambda stats: stats.practice)  # stable: graded ones first
    return ClassSummary(results, exercises, failed,
                        sorted(results, key=lambda r: r.seconds, reverse=True)[:slowest])


def bin_labels(bins: int) -> list[str]:
    """``0–20%``, ``20–40%``, … for ``bins`` equal ranges."""
    return [f"{100 * i // bins}–{100 * (i + 1) // bins}%" for i in range(bins)]


def sparkline(counts: list[int]) -> str:
    """The histogram as block characters, tallest bin full height."""
    peak = max(counts) or 1
    return "".join(SPARKS[round(c / peak * (len(SPARKS) - 1))] if c else "·" for c in counts)


def print_summary(summary: ClassSummary, console: Console) -> None:
    total, practice = summary.total, summary.practice
    console.print(f"[bold]全班概况 Class summary[/bold]: {len(total.scores)} submissions · mean "
                  f"{total.mean:.1f} / {total.worth:g} · median {total.median:g}")
    if practice is not None:
        console.print(f"练习题（不计入总分）practice (not in the total): mean {practice.mean:.1f} / {practice.worth:g} "
                      f"· median {practice.median:g}")
    console.print("\n[bold]分数分布 Score distribution[/bold]")
    dist = Table(box=box.SIMPLE_HEAD)
    for column in ["exercise", "mean", "median", "min", "max", "full marks", f"0→100 % ({BINS} bins)"]:
        dist.add_column(column, justify="left" if column == "exercise" else "right")
    for ex in summary.exercises:
        dist.add_row(ex.name + (" (practice)" if ex.practice else ""), f"{ex.mean:.1f}/{ex.worth:g}",
                     f"{ex.median:g}", f"{min(ex.scores):g}",
                     f"{max(ex.scores):g}", f"{ex.full}/{len(ex.scores)}", sparkline(ex.histogram()))
    console.print(dist)
    console.print("\n[bold]最常失败的检查 Most failed checks[/bold] (ranked by wrong answers on code that was "
                  "there; not done: not implemented, module missing or not importable)")
    failed = Table(box=box.SIMPLE_HEAD)
    failed.add_column("check", no_wrap=True)
    failed.add_column("wrong/tried", justify="right", no_wrap=True, min_width=11)
    failed.add_column("not done", justify="right", no_wrap=True, min_width=8)
    failed.add_column("what it checks", no_wrap=True, overflow="ellipsis", max_width=60)
    for f in summary.failed:
        failed.add_row(f.id + (" (hidden)" if f.hidden else ""), f"{f.wrong}/{f.attempted}", f"{f.not_done}",
                       f.title_en)
    console.print(failed)
    console.print("\n[bold]最慢的提交 Slowest submissions[/bold]")
    slow = Table(box=box.SIMPLE_HEAD)
    slow.add_column("submission")
    slow.add_column("seconds", justify="right")
    for r in summary.slowest:
        slow.add_row(r.name, f"{r.seconds:.1f}")
    console.print(slow)


def report_class(folder: Path, console: Console) -> Path:
    """Print the class summary of the run in ``folder`` and write ``folder/class.html``; its path."""
    summary = summarize(load_results(folder))
    print_summary(summary, console)
    page = folder / "class.html"
    atomic_write(page, render("class.html.j2", summary=summary, total=summary.total, practice=summary.practice,
                              bins=BINS, labels=bin_labels))
    console.print(f"{page}")
    return page
