"""`grader check`: the real course is consistent, and each kind of inconsistency is named.

The broken cases run on a small copy of the course (its quick exercises only: a check of it
takes seconds, the whole course's 20 s to minutes on a busy machine, LeNet-5's training most
of it), in a subprocess: a copy's ``chapters`` package must not meet the real one here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.cli import main
from grader.grading.consistency import PARTS
from tests.conftest import COURSE, ROOT, copy_course

KEEP = ("ex01_tensor_numpy", "ex09_module_call", "quiz")  # the exercises of the small copy: quick to grade
EXAMPLE = "examples/submissions/alice"  # scores every point of every exercise


def small_course(to: Path, *, engine: bool = False) -> Path:
    """A consistent copy of the course at ``to`` with only the exercises :data:`KEEP` and the
    example submission :data:`EXAMPLE`, its total adjusted."""
    copy_course(to, engine=engine)
    shutil.copytree(ROOT / EXAMPLE, to / EXAMPLE, ignore=shutil.ignore_patterns("__pycache__"))
    chapter = COURSE.chapters[0]
    gone = [e.id for e in chapter.exercises if e.id not in KEEP]
    for folder in (chapter.solutions(to), chapter.stubs(to), chapter.hidden(to), chapter.package(to) / "mutants"):
        for path in folder.glob("[!_]*.py"):  # the files of every other exercise, listed or not
            if path.stem.removeprefix("test_hidden_").removeprefix("test_") not in KEEP:
                path.unlink()
    blocks = re.split(r"(?m)^(?=\[\[chapters\.)", (to / "course.toml").read_text(encoding="utf-8"))
    kept = [b for b in blocks if not any(f'id = "{exercise}"\n' in b for exercise in gone)
            and not (b.startswith("[[chapters.examples]]") and f'folder = "{EXAMPLE}"' not in b)]
    total = sum(e.points for e in chapter.exercises if e.id in KEEP)
    text = re.sub(r"(?m)^total = .*$", f"total = {total:g}", "".join(kept))
    (to / "course.toml").write_text(text, encoding="utf-8")
    return to


def grader(course: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``grader --course <course> <args>`` in a fresh interpreter, from the course's folder."""
    return subprocess.run([sys.executable, "-m", "grader.cli", "--course", str(course), *args],
                          capture_output=True, text=True, cwd=course, timeout=900)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_course_is_consistent(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--course", str(ROOT), "check"]) == 0
    out = capsys.readouterr().out
    for title, _ in PARTS:
        assert f"✓ {title}" in out
    assert "一致 consistent" in out


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_course(tmp_path_factory.mktemp("small") / "course")


@pytest.fixture
def broken(small: Path, tmp_path: Path) -> Path:
    """A fresh copy of the small course, to break one thing in."""
    return Path(shutil.copytree(small, tmp_path / "course"))


def test_the_small_copy_is_consistent(small: Path) -> None:
    """Without this, the cases below could fail for a reason of their own."""
    done = grader(small, "check", COURSE.chapters[0].id)
    assert done.returncode == 0, done.stdout + done.stderr
    assert all(f"✓ {title}" in done.stdout for title, _ in PARTS)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _fails_with(course: Path, *said: str) -> str:
    done = grader(course, "check")
    out = flat(done.stdout)
    assert done.returncode == 1, done.stdout + done.stderr
    for words in said:
        assert words in out, done.stdout
    return out


def test_a_mutant_no_check_catches(broken: Path) -> None:
    ch = COURSE.chapters[0].id
    with (broken / f"chapters/{ch}/mutants/ex01_tensor_numpy.py").open("a", encoding="utf-8") as handle:
        handle.write("MUTANTS.append(Mutant(EX, 'harmless_comment', 'to_tensor_shares_memory',\n"
                     "                      'import torch\\n', 'import torch  # nothing changes\\n'))\n")
    _fails_with(broken, "✗ 1 变异体", "the check to_tensor_shares_memory does not catch the mutant "
                "ex01_tensor_numpy.harmless_comment")


def test_a_missing_hidden_check_file(broken: Path) -> None:
    ch = COURSE.chapters[0].id
    (broken / f"hidden/{ch}/test_hidden_ex09_module_call.py").unlink()
    _fails_with(broken, f"ex09_module_call: no hidden checks file hidden/{ch}/test_hidden_ex09_module_call.py",
                "ex09_module_call: its checks add up to")


def test_points_that_do_not_add_up(broken: Path) -> None:
    _edit(broken / "course.toml", 'id = "ex01_tensor_numpy"\ntitle = "基础 1: tensors ↔ NumPy, shared memory"\n'
          "points = 10", 'id = "ex01_tensor_numpy"\ntitle = "基础 1: tensors ↔ NumPy, shared memory"\npoints = 12')
    _fails_with(broken, "ex01_tensor_numpy: its checks add up to 10 points, the manifest says 12")


def test_a_stale_stub(broken: Path) -> None:
    ch = COURSE.chapters[0].id
    with (broken / f"solutions/{ch}/ex01_tensor_numpy.py").open("a", encoding="utf-8") as handle:
        handle.write("\n\nLATE_ADDITION = 1\n")
    _fails_with(broken, f"stub out of date, run `grader stubs`: exercises/{ch}/ex01_tensor_numpy.py")


def test_an_example_whose_total_is_wrong(broken: Path) -> None:
    _edit(broken / "course.toml", "total = 30", "total = 25")
    _fails_with(broken, f"the example {EXAMPLE} scores 30, the manifest says 25 (failed: none)")


def test_quiz_ids_that_differ_from_the_key(broken: Path) -> None:
    _edit(broken / "course.toml", '"d9_hooks"]', '"d9_hook"]')
    _fails_with(broken, "quiz: question ids in the manifest but not in the key: ['d9_hook']",
                "quiz: question ids in the key but not in the manifest: ['d9_hooks']")


def test_an_unknown_chapter_is_refused_in_one_line(small: Path) -> None:
    done = grader(small, "check", "nope")
    assert done.returncode == 2 and "the course has no chapter 'nope'" in flat(done.stdout)
