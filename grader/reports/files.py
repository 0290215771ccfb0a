"""What grading writes: the gradebook, Gradescope's results.json, per-student feedback."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Literal, NotRequired, TypedDict

from rich import box
from rich.console import Console
from rich.table import Table

from grader.grading.grade import SubmissionResult
from grader.grading.store import atomic_write
from grader.judge.check import CheckResult
from grader.reports.junit import junit_xml
from grader.reports.pages import broken, feedback_html

PRACTICE_TOTAL, PRACTICE_MAX = "practice_total", "practice_max"


def gradebook_rows(results: list[SubmissionResult], *, per_check: bool = False) -> list[list[str]]:
    """The header, then a row per submission.

    Columns: ``submission``, one per graded exercise, ``total``, ``max``; where practice
    exercises were graded, one per practice exercise, ``practice_total`` and ``practice_max``;
    with ``per_check``, then one per check (its id, ``<exercise>.<check>``).
    """
    first = results[0] if results else SubmissionResult("", [], 0, "")
    graded, practice = first.exercises(practice=False), first.exercises(practice=True)
    checks = [r.spec.id for r in first.results] if per_check else []
    rows = [["submission", *graded, "total", "max", *practice, *([PRACTICE_TOTAL, PRACTICE_MAX] if practice else []),
             *checks]]
    for result in results:
        scores = result.exercise_scores()
        by_id = {r.spec.id: r.score for r in result.results}
        apart = [*(f"{scores[e][0]:g}" for e in practice), f"{result.practice_score:g}", f"{result.practice_max:g}"]
        rows.append([result.name, *(f"{scores[e][0]:g}" for e in graded), f"{result.score:g}", f"{result.max_score:g}",
                     *(apart if practice else []), *(f"{by_id.get(c, 0):g}" for c in checks)])
    return rows


def lms_rows(results: list[SubmissionResult]) -> list[list[str]]:
    """The LMS import: ``student_id`` (the submission folder's name) and ``total`` (the graded
    exercises'), then ``practice_total`` where practice exercises were graded."""
    practice = any(r.practice for r in results)
    return [["student_id", "total", *([PRACTICE_TOTAL] if practice else [])],
            *([r.name, f"{r.score:g}", *([f"{r.practice_score:g}"] if practice else [])] for r in results)]


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def write_class_files(results: list[SubmissionResult], out: Path) -> None:
    """``gradebook.csv`` (per exercise and per check), ``lms.csv`` and ``junit.xml`` in ``out``."""
    atomic_write(out / "gradebook.csv", _csv(gradebook_rows(results, per_check=True)))
    atomic_write(out / "lms.csv", _csv(lms_rows(results)))
    atomic_write(out / "junit.xml", junit_xml(results))


def _check_name(result: CheckResult) -> str:
    return f"{result.spec.id}: {result.spec.title_zh} / {result.spec.title_en}"


class GradescopeTest(TypedDict):
    """One check in Gradescope's results.json."""

    name: str
    score: float
    max_score: float
    output: str
    status: Literal["passed", "failed"]
    visibility: str
    tags: NotRequired[list[str]]


class GradescopeExtra(TypedDict):
    """Our own ``extra_data``; the autograder (:mod:`grader.exports.gradescope`) adds the last three."""

    seed: int
    device: str
    practice_score: NotRequired[float]
    practice_max: NotRequired[float]
    seed_fixed: NotRequired[bool]
    folder: NotRequired[str]
    grader: NotRequired[str]


class GradescopeResults(TypedDict):
    """Gradescope's results.json for one graded submission (the keys we write)."""

    score: float
    execution_time: float
    output: str
    tests: list[GradescopeTest]
    extra_data: GradescopeExtra


PRACTICE_TAG = "practice"


def results_json(result: SubmissionResult, *, public: str = "visible",
                 hidden: str = "after_published") -> GradescopeResults:
    """Gradescope's autograder results schema for one submission.

    ``public`` and ``hidden`` are the Gradescope visibility of public and hidden checks. A
    practice exercise's checks are tests worth nothing (``max_score`` 0, tagged ``practice``,
    the points they would earn said in their output), so Gradescope's score is the graded total;
    the practice total is in ``extra_data``.
    """
    data: GradescopeResults = {
        "score": result.score,
        "execution_time": round(result.seconds, 3),
        "output": f"seed {result.seed} · device {result.device} · isolation: {'; '.join(result.isolation)}",
        "tests": [_gradescope_test(r, hidden if r.spec.hidden else public, r.spec.exercise in result.practice)
                  for r in result.results],
        "extra_data": {"seed": result.seed, "device": result.device},
    }
    if result.practice:
        data["output"] += (f"\n练习题（不计入总分）/ practice exercises (not in the score): "
                           f"{result.practice_score:g} / {result.practice_max:g}")
        data["extra_data"]["practice_score"] = result.practice_score
        data["extra_data"]["practice_max"] = result.practice_max
    return data


def _gradescope_test(r: CheckResult, visibility: str, practice: bool) -> GradescopeTest:
    """One check as a Gradescope test; a practice check is worth nothing there."""
    output = "通过 passed" if r.passed else r.message
    status: Literal["passed", "failed"] = "passed" if r.passed else "failed"
    if not practice:
        return {"name": _check_name(r), "score": r.score, "max_score": r.spec.points, "output": output,
                "status": status, "visibility": visibility}
    return {"name": f"{_check_name(r)} · 练习 practice", "score": 0.0, "max_score": 0.0, "status": status,
            "output": f"练习题，不计分 / practice, not scored: {r.score:g}/{r.spec.points:g}\n{output}",
            "visibility": visibility, "tags": [PRACTICE_TAG]}


def _bar(score: float, worth: float, width: int = 20) -> str:
    filled = round(width * score / worth) if worth else 0
    return "█" * filled + "░" * (width - filled)


def feedback_markdown(result: SubmissionResult) -> str:
    """One student's feedback: per exercise a bar, each broken module once with the checks it
    cost, then each check and the message of each other failed one; the practice exercises
    after the graded ones, under their own total."""
    lines = [
        f"# 评分反馈 Feedback — {result.name}",
        "",
        f"**总分 Total: {result.score:g} / {result.max_score:g}**",
        "",
        *([f"**练习题（不计入总分）Practice (not in the total): {result.practice_score:g} / "
           f"{result.practice_max:g}**", ""] if result.practice else []),
        f"- 种子 seed: `{result.seed}` (用它可复现此次评分 / replays this grading exactly)",
        f"- 设备 device: `{result.device}`",
        f"- 隔离 isolation: {'; '.join(result.isolation)}",
        "",
    ]
    scores, groups = result.exercise_scores(), result.by_exercise()
    for practice in (False, True):
        exercises = result.exercises(practice=practice)
        if practice and exercises:
            lines += [f"# 练习题 Practice — {result.practice_score:g} / {result.practice_max:g}", "",
                      "练习题的分数单独计算，不计入总分。/ Practice points are counted apart, never in the total.", ""]
        for exercise in exercises:
            lines += _exercise_markdown(exercise, *scores[exercise], groups[exercise])
    return "\n".join(lines)


def _exercise_markdown(exercise: str, score: float, worth: float, checks: list[CheckResult]) -> list[str]:
    lines = [f"## {exercise} — {score:g} / {worth:g}", "", f"`{_bar(score, worth)}`", ""]
    problems = broken(checks)
    for message, cost in problems.items():
        lines += ["```text", *message.splitlines(), "```", "",
                  f"未通过的检查 checks it cost: {', '.join(f'`{r.spec.name}`' for r in cost)}", ""]
    said = {r.spec.id for cost in problems.values() for r in cost}
    for r in checks:
        mark = "✅" if r.passed else "❌"
        tag = " (隐藏 hidden)" if r.spec.hidden else ""
        lines.append(f"- {mark} **{r.spec.name}**{tag} — {r.spec.title_zh} / {r.spec.title_en} "
                     f"({r.score:g}/{r.spec.points:g}){' — 见上 see above' if r.spec.id in said else ''}")
        if not r.passed and r.spec.id not in said:
            lines += ["", "  ```text", *(f"  {m}" for m in r.message.splitlines()), "  ```", ""]
    lines.append("")
    return lines


def write_submission(result: SubmissionResult, out: Path) -> None:
    """``out/<submission>/results.json``, ``feedback.md`` and ``feedback.html``."""
    folder = out / result.name
    atomic_write(folder / "results.json", json.dumps(results_json(result), ensure_ascii=False, indent=2))
    atomic_write(folder / "feedback.md", feedback_markdown(result))
    atomic_write(folder / "feedback.html", feedback_html(result))


def gradebook_table(results: list[SubmissionResult]) -> Table:
    """The gradebook as a rich table for the terminal: the graded exercises and their total,
    then the practice exercises and theirs, apart."""
    first = results[0] if results else SubmissionResult("", [], 0, "")
    graded, practice = first.exercises(practice=False), first.exercises(practice=True)
    table = Table(title="成绩单 Gradebook", box=box.SIMPLE_HEAD, padding=(0, 1))
    table.add_column("submission", no_wrap=True)
    for exercise in graded:
        table.add_column(exercise.split("_")[0], justify="right", no_wrap=True)
    table.add_column("total", justify="right", style="bold", no_wrap=True)
    for exercise in practice:
        table.add_column(exercise.split("_")[0], justify="right", style="dim", no_wrap=True)
    if practice:
        table.add_column("练习 practice", justify="right", style="bold dim", no_wrap=True)
    for result in results:
        scores = result.exercise_scores()
        apart = [*(f"{scores[e][0]:g}" for e in practice), f"{result.practice_score:g}/{result.practice_max:g}"]
        table.add_row(result.name, *(f"{scores[e][0]:g}" for e in graded), f"{result.score:g}/{result.max_score:g}",
                      *(apart if practice else []))
    return table


def print_gradebook(results: list[SubmissionResult], console: Console | None = None) -> None:
    (console or Console()).print(gradebook_table(results))
