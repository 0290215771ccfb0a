"""Shared helpers for the project's own tests."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from filelock import FileLock

from grader.cli import main
from grader.grading.grade import SubmissionResult, grade_submission
from grader.judge.catalog import load_checks
from grader.judge.check import CheckFn, spec_of
from grader.manifest import Course

ROOT = Path(__file__).resolve().parents[1]
COURSE = Course.load(ROOT)
EXERCISES = [exercise.id for exercise in COURSE.exercises]
CHAPTER = COURSE.chapters[0]  # the course's one chapter: its folders
SOLUTIONS, STUBS, HIDDEN = CHAPTER.solutions(ROOT), CHAPTER.stubs(ROOT), CHAPTER.hidden(ROOT)
GRADESCOPE_SCHEMA = json.loads((ROOT / "tests" / "data" / "gradescope_results.schema.json").read_text(encoding="utf-8"))


def validate_gradescope(results: dict[str, Any]) -> None:
    """Fail unless ``results`` follows Gradescope's documented results.json format."""
    jsonschema.Draft202012Validator(GRADESCOPE_SCHEMA).validate(results)


def copy_course(to: Path, *, engine: bool = False) -> Path:
    """A copy of the course at ``to``: its manifest, chapters, solutions, stubs and checks (and,
    with ``engine``, the grader package and pyproject.toml, as the release needs)."""
    parts = ["chapters", "solutions", "exercises", "hidden", *(["grader"] if engine else [])]
    for part in parts:
        shutil.copytree(ROOT / part, to / part, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ["course.toml", *(["pyproject.toml"] if engine else [])]:
        shutil.copyfile(ROOT / name, to / name)
    return to


@pytest.fixture(scope="session")
def all_checks() -> list[CheckFn]:
    return load_checks(COURSE)


def grade(folder: Path, checks: list[CheckFn], exercise: str | None = None, seed: int = 0) -> SubmissionResult:
    """Grade ``folder`` in-process on the CPU with the checks of ``exercise`` (or all)."""
    chosen = [fn for fn in checks if exercise is None or spec_of(fn).exercise == exercise]
    return grade_submission(folder, chosen, device="cpu", seed=seed)


@pytest.fixture(scope="session")
def graded(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """`grader grade` (isolated) on a reference copy, a stub copy and a copy with one module broken,
    once for the whole run: under pytest-xdist the first worker to ask grades, the others wait for it."""
    if worker_id == "master":  # no pytest-xdist
        return _grade_class(tmp_path_factory.mktemp("graded"))
    shared = tmp_path_factory.getbasetemp().parent  # the same folder for every worker of this run
    with FileLock(shared / "graded.lock"):
        if not (shared / "graded" / "out" / "gradebook.csv").exists():
            shutil.rmtree(shared / "graded", ignore_errors=True)
            _grade_class(shared / "graded")
    return shared / "graded" / "out"


def _grade_class(base: Path) -> Path:
    subs, out = base / "subs", base / "out"
    shutil.copytree(SOLUTIONS, subs / "ref")
    shutil.copytree(STUBS, subs / "stub", ignore=shutil.ignore_patterns("test_*"))
    shutil.copytree(SOLUTIONS, subs / "broken")
    (subs / "broken" / "ex01_tensor_numpy.py").write_text("def to_tensor(:\n", encoding="utf-8")
    (subs / "broken" / "ex02_linear.py").unlink()
    shutil.copytree(ROOT / "tests" / "redteam" / "sys_modules_snoop", subs / "snoop")
    assert main(["grade", str(subs / "ref"), str(subs / "stub"), str(subs / "broken"), str(subs / "snoop"),
                 "--out", str(out), "--seed", "7", "--device", "cpu"]) == 0
    return out


# The files that take longest, in that order, run first: pytest-xdist hands out whole files
# (--dist=loadfile, --no-loadscope-reorder), and a long one started last keeps one core busy
# while the others sit idle.
LONGEST_FIRST = ["test_redteam.py", "test_cluster.py", "test_nbgrader.py", "test_gradescope.py", "test_release.py",
                 "test_student_feedback.py", "test_walkthrough.py", "test_reports.py", "test_cli.py", "test_batch.py"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: place for place, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
