"""Shared helpers for the project's own tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.catalog import load_checks
from grader.check import CheckFn, spec_of
from grader.grading import SubmissionResult, grade_submission

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def all_checks() -> list[CheckFn]:
    return load_checks(ROOT)


def grade(folder: Path, checks: list[CheckFn], exercise: str | None = None, seed: int = 0) -> SubmissionResult:
    """Grade ``folder`` in-process on the CPU with the checks of ``exercise`` (or all)."""
    chosen = [fn for fn in checks if exercise is None or spec_of(fn).exercise == exercise]
    return grade_submission(folder, chosen, device="cpu", seed=seed)
