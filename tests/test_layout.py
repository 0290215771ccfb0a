"""The architecture, as folders: the engine knows no course, and the student side (what runs
next to student code) imports nothing of the judge's side."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import COURSE, ROOT

STUDENT_SIDE = [ROOT / "grader" / "probing", *(chapter.package(ROOT) / "probes" for chapter in COURSE.chapters)]
# what the student side may import of the project: itself, and the modules both sides share
ALLOWED = re.compile(r"grader(\.probing(\..*)?|\.errors|\.devices)?$|chapters\.\w+\.probes(\..*)?$|chapters(\.\w+)?$")


def _imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
    return [name for name in found if name.split(".")[0] in ("grader", "chapters")]


@pytest.mark.parametrize("path", [p for folder in STUDENT_SIDE for p in sorted(folder.rglob("*.py"))],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_the_student_side_imports_nothing_of_the_judge(path: Path) -> None:
    assert [name for name in _imports(path) if not ALLOWED.match(name)] == []


def test_the_guard_above_catches_a_judge_import(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("from grader.probing.observe import describe\nfrom grader.judge.expect import expect\n"
                     "import chapters.ch3.judging.ex04\n", encoding="utf-8")
    assert [name for name in _imports(probe) if not ALLOWED.match(name)] == ["grader.judge.expect",
                                                                             "chapters.ch3.judging.ex04"]


def test_the_engine_names_no_chapter_and_no_exercise() -> None:
    """Chapter ids and exercise ids (a quiz's id excepted: quizzes are a kind the engine knows
    generically, from the manifest's ``quiz`` field) appear nowhere in ``grader/``."""
    names = [c.id for c in COURSE.chapters] + [e.id for e in COURSE.exercises if not e.quiz]
    word = re.compile(r"(?<![\w])(" + "|".join(map(re.escape, names)) + r")(?![\w])")
    found = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in sorted((ROOT / "grader").rglob("*"))
             if p.is_file() and p.suffix in (".py", ".md", ".j2", ".toml") for m in [word.search(p.read_text())] if m]
    assert found == []
