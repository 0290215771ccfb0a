"""HTML pages, self-contained (inline style, no scripts, nothing fetched): student feedback and the class summary."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from grader.grading.grade import SubmissionResult

_env = Environment(loader=PackageLoader("grader.reports", "templates"), autoescape=True, undefined=StrictUndefined,
                   trim_blocks=True, lstrip_blocks=True)


def percent(score: float, worth: float) -> float:
    """``score`` as a percentage of ``worth`` (0 when nothing is at stake)."""
    return round(100 * score / worth, 1) if worth else 0.0


def render(template: str, **context: Any) -> str:
    """Render ``templates/<template>``."""
    return _env.get_template(template).render(percent=percent, **context)


def feedback_html(result: SubmissionResult) -> str:
    """One student's feedback page: a bar per exercise, each failed check's message, the seed."""
    scores = result.exercise_scores()
    exercises = [(name, *scores[name], checks) for name, checks in result.by_exercise().items()]
    return render("feedback.html.j2", result=result, exercises=exercises)
