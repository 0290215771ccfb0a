"""docs/adding-an-exercise.md, followed in a copy of the repository: the files it shows, written
as they stand there, make a consistent chapter that grades and releases, and touch nothing else.

The copy is the small one of ``tests/test_check.py`` (the quick exercises only), with the engine.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
from pathlib import Path

from tests.conftest import COURSE, ROOT
from tests.test_check import grader, small_course

PAGE = ROOT / "docs" / "adding-an-exercise.md"
EX = "ex30_relu"
CH = COURSE.chapters[0].id
# a file path in backticks ending its own line with a colon, then the fenced block that holds it
FILE_BLOCK = re.compile(r"^`([\w/.]+)`:\n\n```\w+\n(.*?)^```$", re.MULTILINE | re.DOTALL)
TOML_BLOCK = re.compile(r"^```toml\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def page_files() -> dict[str, str]:
    """The files the page shows, by path."""
    return dict(FILE_BLOCK.findall(PAGE.read_text(encoding="utf-8")))


def digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def test_the_page_shows_the_files_an_exercise_is_made_of() -> None:
    assert set(page_files()) == {f"solutions/{CH}/{EX}.py", f"exercises/{CH}/test_{EX}.py",
                                 f"hidden/{CH}/test_hidden_{EX}.py", f"chapters/{CH}/mutants/{EX}.py"}
    text = PAGE.read_text(encoding="utf-8")
    for command in ("grader stubs", f"grader check {CH}", "grader grade subs/* --out grades", "grader release --out"):
        assert command in text


def test_adding_an_exercise_as_the_page_says(tmp_path: Path) -> None:
    course = small_course(tmp_path / "course", engine=True)
    before = digests(course)
    for path, text in page_files().items():
        (course / path).write_text(text, encoding="utf-8")
    [entry] = TOML_BLOCK.findall(PAGE.read_text(encoding="utf-8"))
    with (course / "course.toml").open("a", encoding="utf-8") as manifest:
        manifest.write("\n" + entry)

    done = grader(course, "stubs")
    assert done.returncode == 0 and (course / "exercises" / CH / f"{EX}.py").is_file(), done.stdout + done.stderr
    done = grader(course, "check")
    assert done.returncode == 0, done.stdout + done.stderr

    subs = tmp_path / "subs"
    shutil.copytree(course / "solutions" / CH, subs / "ref")
    done = grader(course, "grade", str(subs / "ref"), "--out", str(tmp_path / "grades"), "--seed", "0")
    assert done.returncode == 0, done.stdout + done.stderr
    [row] = csv.DictReader((tmp_path / "grades" / "gradebook.csv").open(encoding="utf-8"))
    assert float(row[EX]) == 10 and row["total"] == row["max"]

    release = tmp_path / "release"
    done = grader(course, "release", "--out", str(release))
    assert done.returncode == 0, done.stdout + done.stderr
    stub = (course / "exercises" / CH / f"{EX}.py").read_text(encoding="utf-8")
    assert (release / "exercises" / CH / f"{EX}.py").read_text(encoding="utf-8") == stub
    assert "not implemented yet" in stub and "clamp_min" not in stub
    assert (release / "exercises" / CH / f"test_{EX}.py").is_file()
    shipped = " ".join(p.read_text(encoding="utf-8", errors="replace") for p in release.rglob("*") if p.is_file())
    assert "torch.clamp_min(x, 0)" not in shipped and f"test_hidden_{EX}" not in shipped

    after = digests(course)
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    assert changed == {*page_files(), f"exercises/{CH}/{EX}.py", "course.toml"}
