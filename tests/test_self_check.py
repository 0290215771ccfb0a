"""Principle 7 beyond `grader check`: the reference and another correct submission score full
marks at other seeds, and no check mistakes a missing module for a wrong answer.

Seed 0 of the reference and of the examples, the stubs' "not implemented" and every mutant are
proven by `grader check` itself (tests/test_check.py), not graded twice here.
"""

from __future__ import annotations

import pytest

from grader.grading.consistency import reference_problems
from grader.judge.check import spec_of
from tests.conftest import CHAPTER, COURSE, ROOT, grade


@pytest.mark.parametrize("seed", [1])
def test_reference_scores_full_marks(all_checks: list, seed: int) -> None:
    assert reference_problems(COURSE, CHAPTER, seed, all_checks) == []


def test_an_empty_submission_is_missing_every_module(all_checks: list, tmp_path) -> None:
    result = grade(tmp_path, all_checks, seed=0)
    wrong = {r.spec.id: r.message for r in result.results if r.outcome != "import" or "is missing" not in r.message}
    assert wrong == {}


def test_a_different_correct_implementation_scores_full_marks(all_checks: list) -> None:
    """alice wrote every graded exercise (no practice one) differently from the reference."""
    graded = {e.id for e in COURSE.exercises if not e.practice}
    checks = [c for c in all_checks if spec_of(c).exercise in graded]
    result = grade(ROOT / "examples" / "submissions" / "alice", checks, seed=3)
    assert {r.spec.id: r.message for r in result.results if not r.passed} == {}
