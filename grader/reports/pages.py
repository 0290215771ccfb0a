"""HTML pages, self-contained (inline style, no scripts, nothing fetched): student feedback and the class summary."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from grader.errors import STRUCTURAL
from grader.grading.grade import SubmissionResult
from grader.judge.check import CheckResult

_env = Environment(loader=PackageLoader("grader.reports", "templates"), autoescape=True, undefined=StrictUndefined,
                   trim_blocks=True, lstrip_blocks=True)


def percent(score: float, worth: float) -> float:
    """``score`` as a percentage of ``worth`` (0 when nothing is at stake)."""
    return round(100 * score / worth, 1) if worth else 0.0


def render(template: str, **context: Any) -> str:
    """Render ``templates/<template>``."""
    return _env.get_template(template).render(percent=percent, **context)


def broken(checks: list[CheckResult]) -> dict[str, list[CheckResult]]:
    """A broken module or function (does not import, missing, wrong signature) → the checks it
    cost, its message said once; the message of every other failure is its check's own."""
    found: dict[str, list[CheckResult]] = {}
    for r in checks:
        if r.outcome in STRUCTURAL:
            found.setdefault(r.message, []).append(r)
    return found


def feedback_html(result: SubmissionResult) -> str:
    """One student's feedback page: a bar per exercise, each broken module once, each other
    failed check's message, the seed; the practice exercises apart, under their own total."""
    scores, groups = result.exercise_scores(), result.by_exercise()

    def sections(practice: bool) -> list[tuple[Any, ...]]:
        return [(name, *scores[name], groups[name], broken(groups[name]))
                for name in result.exercises(practice=practice)]

    return render("feedback.html.j2", result=result, exercises=sections(False), practice=sections(True),
                  structural=STRUCTURAL)
