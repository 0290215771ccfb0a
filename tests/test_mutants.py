"""Principle 7: every mutant loses points on the check meant to catch it."""

from __future__ import annotations

import pytest

from grader.grading.consistency import chapter_mutants, mutant_escapes, too_few_mutants
from grader.grading.mutants import Mutant
from tests.conftest import CHAPTER, COURSE

MUTANTS, LOAD_PROBLEMS = chapter_mutants(COURSE, CHAPTER)


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: f"{m.exercise}-{m.name}")
def test_mutant_is_caught(mutant: Mutant, all_checks: list) -> None:
    assert mutant_escapes(COURSE, CHAPTER, mutant, all_checks) == []


def test_three_mutants_per_exercise() -> None:
    assert LOAD_PROBLEMS == []
    assert too_few_mutants(CHAPTER, MUTANTS) == []
