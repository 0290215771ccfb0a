"""Practice exercises: checked like the others, never part of the graded total.

On the small copy of the course (``tests/test_check.py``) with ``ex09_module_call`` marked
``practice = true``: the student's table shows it apart; ``grader grade`` leaves it out unless
asked (``--include practice`` or ``grade_practice`` in the manifest), and then keeps its points
in columns and totals of their own; ``--resume`` refuses to mix the two; ``grader check``
holds, the examples' totals counting the graded exercises unless an example says otherwise;
the release, nbgrader and Gradescope exports carry it, Gradescope outside the score.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from junitparser import JUnitXml

from grader.judge.catalog import load_checks
from grader.judge.check import spec_of
from grader.manifest import Course, ManifestError
from tests.conftest import COURSE, ROOT, validate_gradescope
from tests.test_check import EXAMPLE, KEEP, flat, grader, small_course

CH = COURSE.chapters[0].id
PRACTICE = "ex09_module_call"
GRADED = [e for e in KEEP if e != PRACTICE]  # ex01_tensor_numpy, quiz
APART = "练习题（不计入总分）Practice (not in the total)"


def _mark_practice(course: Path) -> None:
    """``PRACTICE`` marked practice; alice's example counts the graded exercises, a second entry all."""
    manifest = course / "course.toml"
    text = manifest.read_text(encoding="utf-8")
    entry = re.search(rf'(?ms)^id = "{PRACTICE}"\n.*?^points = .*?\n', text)
    assert entry is not None
    graded = sum(e.points for e in COURSE.exercises if e.id in GRADED)
    text = text.replace(entry.group(0), entry.group(0) + "practice = true\n")
    text = re.sub(r"(?m)^total = .*$", f"total = {graded:g}", text)
    text += f'\n[[chapters.examples]]\nfolder = "{EXAMPLE}"\ntotal = {graded + 10:g}\ninclude_practice = true\n'
    manifest.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    course = small_course(tmp_path_factory.mktemp("practice") / "course", engine=True)
    _mark_practice(course)
    return course


@pytest.fixture(scope="module")
def alice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """alice's modules of the small course: full marks."""
    folder = tmp_path_factory.mktemp("subs") / "alice"
    folder.mkdir()
    for exercise in KEEP:
        shutil.copyfile(ROOT / EXAMPLE / f"{exercise}.py", folder / f"{exercise}.py")
    return folder


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_manifest_says_which_are_practice(course: Path, tmp_path: Path) -> None:
    loaded = Course.load(course)
    assert loaded.practice == {PRACTICE} and not loaded.grade_practice
    assert [e.include_practice for e in loaded.chapters[0].examples] == [False, True]
    manifest = tmp_path / "course.toml"
    text = (course / "course.toml").read_text(encoding="utf-8")
    manifest.write_text(text.replace("[course]\n", "[course]\ngrade_practice = true\n", 1), encoding="utf-8")
    assert Course.load(tmp_path).grade_practice
    manifest.write_text(text.replace("[course]\n", '[course]\ngrade_practice = "yes"\n', 1), encoding="utf-8")
    with pytest.raises(ManifestError, match="grade_practice"):
        Course.load(tmp_path)


# -- the student's table ------------------------------------------------------------------------

def _rows(block: str) -> dict[str, list[str]]:
    """The table's rows in ``block``: the first cell without its mark → the other cells."""
    rows = {}
    for text in block.splitlines():
        cells = text.split()
        if len(cells) >= 3 and re.fullmatch(r"\d+(\.\d+)?/\d+(\.\d+)?", cells[-2] if len(cells) > 3 else cells[-1]):
            rows[cells[1]] = cells[2:]
    return rows


def _public_points(exercises: list[str]) -> float:
    return sum(spec_of(fn).points for fn in load_checks(COURSE, hidden=False) if spec_of(fn).exercise in exercises)


def test_the_table_shows_practice_apart(course: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-q",
                           f"exercises/{CH}", "--impl", f"solutions/{CH}", "--device", "cpu"],
                          cwd=course, capture_output=True, text=True, timeout=600)
    out = _ok(done)
    graded, _, practice = out.partition(APART)
    assert practice, out
    graded = graded.split("公开检查 Public checks")[1]
    assert set(_rows(graded)) == {*GRADED, "total"}, graded
    assert set(_rows(practice)) == {PRACTICE, "practice"}, practice
    worth = _public_points(GRADED)
    assert _rows(graded)["total"][1] == f"{worth:g}/{worth:g}"
    apart = _public_points([PRACTICE])
    assert _rows(practice)["practice"][1] == f"{apart:g}/{apart:g}"
    assert f"公开 public {worth:g}/{worth:g}" in graded and f"练习 practice {apart:g}/{apart:g}" in practice


# -- grading ------------------------------------------------------------------------------------

def _grade(course: Path, alice: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return grader(course, "grade", str(alice), "--out", str(out), "--seed", "3", "--device", "cpu", "--in-process",
                  *extra)


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.open(encoding="utf-8")))


def test_grade_leaves_practice_out_unless_asked(course: Path, alice: Path, tmp_path: Path) -> None:
    out = tmp_path / "graded"
    said = _ok(_grade(course, alice, out))
    assert "--include practice" in flat(said)
    header = next(csv.reader((out / "gradebook.csv").open(encoding="utf-8")))
    assert header[:5] == ["submission", *GRADED, "total", "max"]
    assert not [c for c in header if c.startswith(("practice", PRACTICE))]
    assert next(csv.reader((out / "lms.csv").open(encoding="utf-8"))) == ["student_id", "total"]
    results = json.loads((out / "alice" / "results.json").read_text(encoding="utf-8"))
    assert not [t for t in results["tests"] if t["name"].startswith(PRACTICE)]
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["practice"] is False


def _check_apart(out: Path) -> None:
    """The run in ``out`` graded alice's practice exercise, apart from her total."""
    graded = sum(e.points for e in COURSE.exercises if e.id in GRADED)
    header = next(csv.reader((out / "gradebook.csv").open(encoding="utf-8")))
    assert header[:8] == ["submission", *GRADED, "total", "max", PRACTICE, "practice_total", "practice_max"]
    [row] = _csv(out / "gradebook.csv")
    assert (row["total"], row["max"], row[PRACTICE], row["practice_total"], row["practice_max"]) == (
        f"{graded:g}", f"{graded:g}", "10", "10", "10")
    assert float(row["total"]) == sum(float(row[e]) for e in GRADED)
    assert _csv(out / "lms.csv") == [{"student_id": "alice", "total": f"{graded:g}", "practice_total": "10"}]

    suites = {s.name: s for s in JUnitXml.fromfile(str(out / "junit.xml"))}
    assert set(suites) == {"alice", "alice.practice"}
    props = {name: {p.name: p.value for p in s.properties()} for name, s in suites.items()}
    assert props["alice"]["score"] == f"{graded:g}" and props["alice.practice"]["score"] == "10"
    assert {c.classname for c in suites["alice.practice"]} == {f"alice.{PRACTICE}"}
    assert f"alice.{PRACTICE}" not in {c.classname for c in suites["alice"]}

    results = json.loads((out / "alice" / "results.json").read_text(encoding="utf-8"))
    validate_gradescope(results)
    practice = [t for t in results["tests"] if t["name"].startswith(PRACTICE)]
    assert practice and all(t["max_score"] == 0 and t["tags"] == ["practice"] for t in practice)
    assert results["score"] == graded and results["extra_data"]["practice_score"] == 10

    page = (out / "alice" / "feedback.md").read_text(encoding="utf-8")
    assert f"Total: {graded:g} / {graded:g}" in page
    assert page.index("# 练习题 Practice — 10 / 10") < page.index(f"## {PRACTICE}")
    assert all(page.index(f"## {e} ") < page.index("# 练习题 Practice") for e in GRADED)
    html = (out / "alice" / "feedback.html").read_text(encoding="utf-8")
    assert f'<span id="total">{graded:g} / {graded:g}</span>' in html
    assert html.index('<div id="practice">') < html.index(f'id="{PRACTICE}"')


def test_grade_includes_practice_apart_when_asked(course: Path, alice: Path, tmp_path: Path) -> None:
    out = tmp_path / "with"
    _ok(_grade(course, alice, out, "--include", "practice"))
    _check_apart(out)
    report = flat(_ok(grader(course, "report", str(out))))
    assert "practice (not in the total): mean 10.0 / 10" in report and f"{PRACTICE} (practice)" in report
    assert "练习 practice" in (out / "class.html").read_text(encoding="utf-8")


def test_the_manifest_can_ask_for_practice(course: Path, alice: Path, tmp_path: Path) -> None:
    asking = Path(shutil.copytree(course, tmp_path / "course"))
    manifest = asking / "course.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("[course]\n", "[course]\ngrade_practice = true\n", 1), encoding="utf-8")
    out = tmp_path / "grades"
    _ok(_grade(asking, alice, out))
    _check_apart(out)


def test_resume_refuses_to_mix_runs_with_and_without_practice(course: Path, alice: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _ok(_grade(course, alice, out))
    done = _grade(course, alice, out, "--resume", "--include", "practice")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "that run graded no practice exercises" in flat(done.stdout)
    _ok(_grade(course, alice, out, "--resume"))  # the same run: resumed


# -- the consistency proof ----------------------------------------------------------------------

def test_check_covers_practice_and_examples_count_graded_points(course: Path) -> None:
    said = flat(_ok(grader(course, "check", CH)))
    assert "一致 consistent" in said


# -- the exports --------------------------------------------------------------------------------

def test_release_ships_practice_and_its_table_shows_it_apart(course: Path, tmp_path: Path) -> None:
    release = tmp_path / "release"
    _ok(grader(course, "release", "--out", str(release)))
    assert {f"{PRACTICE}.py", f"test_{PRACTICE}.py"} <= {p.name for p in (release / "exercises" / CH).iterdir()}
    assert f'grader_practice = ["{PRACTICE}"]' in (release / "pyproject.toml").read_text(encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-q",
                           f"exercises/{CH}", "--device", "cpu"], cwd=release, capture_output=True, text=True,
                          timeout=600)
    graded, _, practice = done.stdout.partition(APART)
    assert PRACTICE in _rows(practice) and PRACTICE not in _rows(graded), done.stdout


def test_nbgrader_notebooks_are_marked_practice(course: Path, tmp_path: Path) -> None:
    out = tmp_path / "nb"
    _ok(grader(course, "export", "nbgrader", "--out", str(out)))
    for exercise in KEEP:
        notebook = nbformat.read(out / "source" / CH / f"{exercise}.ipynb", as_version=4)
        practice = exercise == PRACTICE
        assert notebook.metadata["grader"] == {"exercise": exercise, "practice": practice}
        assert ("Practice: not part of the grade" in notebook.cells[0].source) == practice


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed here")
def test_gradescope_runs_practice_outside_the_score(course: Path, alice: Path, tmp_path: Path) -> None:
    zip_path = tmp_path / "autograder.zip"
    _ok(grader(course, "export", "gradescope", "--out", str(zip_path), "--seed", "3"))
    root = tmp_path / "autograder"
    with zipfile.ZipFile(zip_path) as zf:
        for info in zf.infolist():
            Path(zf.extract(info, root / "source")).chmod(info.external_attr >> 16 & 0o777)
    shutil.copytree(alice, root / "submission")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable)
    done = subprocess.run([str(root / "source" / "run_autograder")], env=env, cwd=root / "submission",
                          capture_output=True, text=True, timeout=600)
    _ok(done)
    results = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    validate_gradescope(results)
    graded = sum(e.points for e in COURSE.exercises if e.id in GRADED)
    practice = [t for t in results["tests"] if t["name"].startswith(PRACTICE)]
    assert practice and all(t["max_score"] == 0 and t["score"] == 0 and "practice" in t["tags"] for t in practice)
    assert all("practice, not scored" in t["output"] for t in practice)
    assert results["score"] == graded == sum(t["max_score"] for t in results["tests"])
    assert results["extra_data"]["practice_score"] == 10
