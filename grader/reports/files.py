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


def gradebook_rows(results: list[SubmissionResult], *, per_check: bool = False) -> list[list[str]]:
    """The header, then a row per submission.

    Columns: ``submission``, one per exercise, ``total``, ``max``; with ``per_check``, then one
    per check (its id, ``<exercise>.<check>``).
    """
    exercises = list(results[0].exercise_scores()) if results else []
    checks = [r.spec.id for r in results[0].results] if results and per_check else []
    rows = [["submission", *exercises, "total", "max", *checks]]
    for result in results:
        scores = result.exercise_scores()
        by_id = {r.spec.id: r.score for r in result.results}
        rows.append([result.name, *(f"{scores[e][0]:g}" for e in exercises),
                     f"{result.score:g}", f"{result.max_score:g}", *(f"{by_id.get(c, 0):g}" for c in checks)])
    return rows


def lms_rows(results: list[SubmissionResult]) -> list[list[str]]:
    """The LMS import: ``student_id`` (the submission folder's name) and ``total``."""
    return [["student_id", "total"], *([r.name, f"{r.score:g}"] for r in results)]


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


class GradescopeExtra(TypedDict):
    """Our own ``extra_data``; the autograder (:mod:`grader.exports.gradescope`) adds the last three."""

    seed: int
    device: str
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


def results_json(result: SubmissionResult, *, public: str = "visible",
                 hidden: str = "after_published") -> GradescopeResults:
    """Gradescope's autograder results schema for one submission.

    ``public`` and ``hidden`` are the Gradescope visibility of public and hidden checks.
    """
    return {
        "score": result.score,
        "execution_time": round(result.seconds, 3),
        "output": f"seed {result.seed} · device {result.device} · isolation: {'; '.join(result.isolation)}",
        "tests": [
            {
                "name": _check_name(r),
                "score": r.score,
                "max_score": r.spec.points,
                "output": "通过 passed" if r.passed else r.message,
                "status": "passed" if r.passed else "failed",
                "visibility": hidden if r.spec.hidden else public,
            }
            for r in result.results
        ],
        "extra_data": {"seed": result.seed, "device": result.device},
    }


def _bar(score: float, worth: float, width: int = 20) -> str:
    filled = round(width * score / worth) if worth else 0
    return "█" * filled + "░" * (width - filled)


def feedback_markdown(result: SubmissionResult) -> str:
    """One student's feedback: per exercise a bar, each broken module once with the checks it
    cost, then each check and the message of each other failed one."""
    lines = [
        f"# 评分反馈 Feedback — {result.name}",
        "",
        f"**总分 Total: {result.score:g} / {result.max_score:g}**",
        "",
        f"- 种子 seed: `{result.seed}` (用它可复现此次评分 / replays this grading exactly)",
        f"- 设备 device: `{result.device}`",
        f"- 隔离 isolation: {'; '.join(result.isolation)}",
        "",
    ]
    scores = result.exercise_scores()
    for exercise, checks in result.by_exercise().items():
        score, worth = scores[exercise]
        lines += [f"## {exercise} — {score:g} / {worth:g}", "", f"`{_bar(score, worth)}`", ""]
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
    return "\n".join(lines)


def write_submission(result: SubmissionResult, out: Path) -> None:
    """``out/<submission>/results.json``, ``feedback.md`` and ``feedback.html``."""
    folder = out / result.name
    atomic_write(folder / "results.json", json.dumps(results_json(result), ensure_ascii=False, indent=2))
    atomic_write(folder / "feedback.md", feedback_markdown(result))
    atomic_write(folder / "feedback.html", feedback_html(result))


def gradebook_table(results: list[SubmissionResult]) -> Table:
    """The gradebook as a rich table for the terminal."""
    header, *rows = gradebook_rows(results)
    table = Table(title="成绩单 Gradebook", box=box.SIMPLE_HEAD, padding=(0, 1))
    table.add_column(header[0], no_wrap=True)
    for exercise in header[1:-2]:
        table.add_column(exercise.split("_")[0], justify="right", no_wrap=True)
    table.add_column("total", justify="right", style="bold", no_wrap=True)
    for row in rows:
        table.add_row(*row[:-2], f"{row[-2]}/{row[-1]}")
    return table


def print_gradebook(results: list[SubmissionResult], console: Console | None = None) -> None:
    (console or Console()).print(gradebook_table(results))
