"""`grader export nbgrader`: the course it writes, run through nbgrader itself.

Export, `nbgrader generate_assignment`, three submissions (the reference, the untouched
release, a buggy student), `nbgrader autograde`; nbgrader's gradebook must then agree, per
exercise and per student, with `grade_submission` on the same code.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from grader.cli import main
from grader.exports.nbgrader import HIDDEN_BEGIN, HIDDEN_END
from grader.grading.grade import grade_submission
from grader.judge.check import CheckFn, spec_of
from grader.runners.notebook import run
from tests.conftest import COURSE, EXERCISES, ROOT, SOLUTIONS, STUBS, copy_course

SEED = 31
CAROL = ROOT / "examples" / "submissions" / "carol"
VENV_BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}", "CUDA_VISIBLE_DEVICES": ""}
SOLUTION_REGION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
HIDDEN_REGION = re.compile(f"{HIDDEN_BEGIN}.*?{HIDDEN_END}", re.S)


def sh(*command: str, cwd: Path = ROOT, timeout: int = 900) -> str:
    done = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout + done.stderr


def notebooks(folder: Path) -> dict[str, nbformat.NotebookNode]:
    return {ex: nbformat.read(folder / f"{ex}.ipynb", as_version=4) for ex in EXERCISES}


def meta(cell: nbformat.NotebookNode) -> dict:
    return cell.metadata.get("nbgrader", {})


def code_without_docstring(path: Path) -> str:
    """A module's source minus its docstring: what a student types into the solution cell."""
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    if ast.get_docstring(tree) is None:
        return text
    return "".join(text.splitlines(keepends=True)[tree.body[0].end_lineno:]).strip() + "\n"


def filled(release: nbformat.NotebookNode, code: str) -> nbformat.NotebookNode:
    """``release`` with ``code`` in its first solution cell and the other solution cells emptied."""
    notebook = nbformat.from_dict(release)
    solutions = [cell for cell in notebook.cells if meta(cell).get("solution")]
    for cell in solutions:
        cell.source = ""
    solutions[0].source = code
    return notebook


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("nbgrader") / "course"
    said = sh(sys.executable, "-m", "grader.cli", "export", "nbgrader", "--out", str(out), "--seed", str(SEED))
    assert f"{len(EXERCISES)} notebooks" in said
    return out


@pytest.fixture(scope="module")
def released(course: Path) -> Path:
    sh(str(VENV_BIN / "nbgrader"), "generate_assignment", "ch3", "--force", cwd=course)
    return course / "release" / "ch3"


# What each student hands in: the reference every graded exercise and the first practice one (each
# notebook costs a kernel: the practice set is exported like the first); the untouched release the
# notebooks with a function, a dict and a quiz region; carol (partly wrong) the modules she wrote.
HANDED_IN = {
    "ref": [e.id for e in COURSE.exercises if not e.practice] + [next(e.id for e in COURSE.exercises if e.practice)],
    "stub": ["ex01_tensor_numpy", "ex06_einsum", "quiz"],
    "carol": [*sorted(p.stem for p in CAROL.glob("ex*.py")), "quiz"],
}
CODE = {"ref": SOLUTIONS, "stub": STUBS, "carol": CAROL}


@pytest.fixture(scope="module")
def gradebook(course: Path, released: Path) -> dict[tuple[str, str], float]:
    """(student, exercise) → nbgrader's score, after `nbgrader autograde`.

    ref is autograded in one copy of the course and the others in another, at the same
    time: each notebook starts its own kernel, so two at once use both cores.
    """
    groups = {"a": ["ref"], "b": ["stub", "carol"]}
    running = {}
    for group, students in groups.items():
        copy = course.with_name(f"course-{group}")
        shutil.copytree(course, copy)
        for student in students:
            folder = copy / "submitted" / student / "ch3"
            folder.mkdir(parents=True)
            for exercise in HANDED_IN[student]:
                notebook = nbformat.read(released / f"{exercise}.ipynb", as_version=4)
                if student != "stub":
                    notebook = filled(notebook, code_without_docstring(CODE[student] / f"{exercise}.py"))
                nbformat.write(notebook, folder / f"{exercise}.ipynb")
        running[copy] = subprocess.Popen([str(VENV_BIN / "nbgrader"), "autograde", "ch3"], cwd=copy, env=ENV,
                                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    scores = {}
    for copy, process in running.items():
        said, _ = process.communicate(timeout=900)
        assert process.returncode == 0, said[-3000:]
        with Gradebook(f"sqlite:///{copy / 'gradebook.db'}") as book:
            for student in groups[copy.name.removeprefix("course-")]:
                for exercise in HANDED_IN[student]:
                    scores[student, exercise] = book.find_submission_notebook(exercise, "ch3", student).score
    return scores


def test_export_writes_valid_notebooks_worth_the_catalog(course: Path, all_checks: list[CheckFn]) -> None:
    config = (course / "nbgrader_config.py").read_text(encoding="utf-8")
    assert f"c.CourseDirectory.course_id = \"{COURSE.id}\"" in config
    for exercise, notebook in notebooks(course / "source" / "ch3").items():
        nbformat.validate(notebook)
        checks = [spec_of(fn) for fn in all_checks if spec_of(fn).exercise == exercise]
        tests = {meta(cell)["grade_id"]: cell for cell in notebook.cells if meta(cell).get("grade")}
        assert len(tests) == len(checks), exercise
        assert sum(meta(cell)["points"] for cell in tests.values()) == sum(spec.points for spec in checks)
        assert sum(1 for cell in notebook.cells if meta(cell).get("solution")) >= 1
        outside = HIDDEN_REGION.sub("", "\n".join(cell.source for cell in notebook.cells))
        for spec in (spec for spec in checks if spec.hidden):
            assert re.search(rf"\btest_{spec.name}\b", outside) is None, spec.id
            cell = next(c for c in tests.values() if f"test_{spec.name}, globals(), seed={SEED})" in c.source)
            assert cell.source.startswith(HIDDEN_BEGIN) and cell.source.endswith(HIDDEN_END), spec.id
            assert meta(cell)["locked"] and meta(cell)["points"] == spec.points


def cell_namespace(code: str, folder: Path) -> dict:
    """A kernel's globals after running ``code`` as a cell whose code the kernel keeps in ``folder``."""
    namespace = {"__name__": "__main__"}
    exec(compile(code, str(folder / "4242.py"), "exec"), namespace)  # noqa: S102 - our own course code
    return namespace


def test_run_serves_the_namespace_as_the_module(tmp_path: Path, all_checks: list[CheckFn],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    checks = [fn for fn in all_checks if spec_of(fn).exercise == "ex01_tensor_numpy"]
    reference = cell_namespace(code_without_docstring(SOLUTIONS / "ex01_tensor_numpy.py"), tmp_path)
    for fn in checks:
        run(fn, reference, seed=SEED, device="cpu")
    assert capsys.readouterr().out.count("passed: ") == len(checks)
    stub = cell_namespace(code_without_docstring(STUBS / "ex01_tensor_numpy.py"), tmp_path)
    with pytest.raises(AssertionError) as failed:
        run(checks[0], stub, device="cpu")
    assert str(failed.value) == ("尚未实现：ex01_tensor_numpy.to_tensor。\n"
                                 "Not implemented yet: ex01_tensor_numpy.to_tensor.")
    broken = cell_namespace("def to_tensor(array):\n    return array.sum(axis=7)\n", tmp_path)
    with pytest.raises(AssertionError, match=r"ex01_tensor_numpy\.to_tensor 抛出了异常") as failed:
        run(checks[0], broken, device="cpu")
    assert "位置 at 代码单元第 2 行 / cell line 2" in str(failed.value)


def test_export_refuses_checks_that_rebind_student_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A test cell defining ``linear_forward`` would replace the student's: the export says so and stops."""
    copy_course(tmp_path)
    hidden = tmp_path / "hidden" / "ch3" / "test_hidden_ex02_linear.py"
    hidden.write_text(hidden.read_text(encoding="utf-8") + "\n\ndef linear_forward(x):\n    return x\n",
                      encoding="utf-8")
    assert main(["--course", str(tmp_path), "export", "nbgrader", "--out", str(tmp_path / "out")]) == 2
    said = capsys.readouterr().out
    assert "检查代码会覆盖解答中的名字 linear_forward" in said and "rebind linear_forward" in said
    assert not (tmp_path / "out").exists()  # nothing written, not even the exercises before it


def test_release_has_no_solution_and_no_hidden_check(released: Path) -> None:
    for exercise, notebook in notebooks(released).items():
        text = "\n".join(cell.source for cell in notebook.cells)
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text, exercise
        given = (STUBS / f"{exercise}.py").read_text(encoding="utf-8") + \
            (STUBS / f"test_{exercise}.py").read_text(encoding="utf-8")
        solution = (SOLUTIONS / f"{exercise}.py").read_text(encoding="utf-8")
        secret = {line.strip() for region in SOLUTION_REGION.findall(solution) for line in region.splitlines()}
        secret = {line for line in secret if len(line) > 8 and line not in given}
        assert secret, exercise  # the comparison below can fail
        assert not [line for line in secret if line in text], exercise
        hidden = (ROOT / "hidden" / "ch3" / f"test_hidden_{exercise}.py").read_text(encoding="utf-8")
        assert "globals(), seed=" not in text and not [line for line in hidden.splitlines()
                                            if len(line.strip()) > 30 and line not in given and line in text]


def test_autograde_scores_equal_grade_submission(gradebook: dict[tuple[str, str], float],
                                                 all_checks: list[CheckFn]) -> None:
    totals = {}
    for student, folder in CODE.items():
        ours = grade_submission(folder, all_checks, device="cpu", seed=SEED).exercise_scores()
        for exercise in HANDED_IN[student]:
            assert gradebook[student, exercise] == pytest.approx(ours[exercise][0]), (student, exercise)
        totals[student] = sum(gradebook[student, exercise] for exercise in HANDED_IN[student])
    full = sum(spec_of(fn).points for fn in all_checks if spec_of(fn).exercise in HANDED_IN["ref"])
    assert totals["ref"] == pytest.approx(full)
    assert totals["stub"] == 0
    carol_worth = sum(spec_of(fn).points for fn in all_checks if spec_of(fn).exercise in HANDED_IN["carol"])
    assert 0 < totals["carol"] < carol_worth
