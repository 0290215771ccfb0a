"""Principle 7: every mutant loses points on the check meant to catch it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from grader.judge.check import spec_of
from tests.conftest import COURSE, EXERCISES, ROOT, SOLUTIONS, grade
from grader.grading.mutants import Mutant, all_mutants

MUTANTS = all_mutants(COURSE)


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: f"{m.exercise}-{m.name}")
def test_mutant_is_caught(mutant: Mutant, all_checks: list, tmp_path: Path) -> None:
    source = (SOLUTIONS / f"{mutant.exercise}.py").read_text(encoding="utf-8")
    (tmp_path / f"{mutant.exercise}.py").write_text(mutant.apply(source), encoding="utf-8")
    target = [fn for fn in all_checks if spec_of(fn).id == f"{mutant.exercise}.{mutant.catches}"]
    assert target, f"no check named {mutant.catches} in {mutant.exercise}"
    caught = grade(tmp_path, target, seed=1).results[0]  # only the check meant to catch it
    assert not caught.passed, f"{mutant.catches} did not catch {mutant.name}"
    assert "Could not import" not in caught.message and "The check itself failed" not in caught.message, caught.message


def test_three_mutants_per_exercise() -> None:
    counts = Counter(m.exercise for m in MUTANTS)
    assert {e: counts[e] for e in EXERCISES if counts[e] < 3} == {}
