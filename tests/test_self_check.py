"""Principle 7: the reference scores full marks, the stubs score zero."""

from __future__ import annotations

import pytest

from grader.grading.consistency import reference_problems, stub_outcome_problems
from tests.conftest import CHAPTER, COURSE, ROOT, grade


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_scores_full_marks(all_checks: list, seed: int) -> None:
    assert reference_problems(COURSE, CHAPTER, seed, all_checks) == []


def test_stubs_score_zero_with_not_implemented(all_checks: list) -> None:
    assert stub_outcome_problems(COURSE, CHAPTER, all_checks) == []


def test_an_empty_submission_is_missing_every_module(all_checks: list, tmp_path) -> None:
    """No check mistakes a missing module for a wrong answer."""
    result = grade(tmp_path, all_checks, seed=0)
    wrong = {r.spec.id: r.message for r in result.results if r.outcome != "import" or "is missing" not in r.message}
    assert wrong == {}


@pytest.mark.parametrize("seed", [0, 3])
def test_a_different_correct_implementation_scores_full_marks(all_checks: list, seed: int) -> None:
    result = grade(ROOT / "examples" / "submissions" / "alice", all_checks, seed=seed)
    assert {r.spec.id: r.message for r in result.results if not r.passed} == {}
