"""``grader release``: exactly what students get, scanned for leaks as text, packaged and compiled,
and installed into a fresh environment where the public checks run as a student runs them."""

from __future__ import annotations

import io
import json
import os
import py_compile
import re
import runpy
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tomllib
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from grader.cli import main
from grader.exports.release import LeakScanner, ReleaseError, find_leaks, leak_scanner, runtime_modules, write_release
from grader.judge.catalog import load_checks
from grader.judge.check import spec_of
from grader.manifest import Course
from grader.sandbox.limits import Limits
from tests.conftest import COURSE, HIDDEN, ROOT, SOLUTIONS, STUBS, copy_course

SHIPPED_DEPENDENCIES = {"torch", "torchvision", "pytest", "torchsummary", "tensorboard", "safetensors",
                        "scikit-learn", "rich", "numpy", "pillow", "watchfiles"}
INSTRUCTOR_ONLY = re.compile(r"src/grader/(cli\.py|sandbox/|grading/|reports/|exports/)|src/chapters/\w+/mutants/")
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")} | {"PYTHONNOUSERSITE": "1"}


def _run(*args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("release") / "ch3-release"
    done = _run(sys.executable, "-m", "grader.cli", "release", "--out", out)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "student release:" in done.stdout
    return out


@pytest.fixture(scope="module")
def scanner() -> LeakScanner:
    return leak_scanner(COURSE)


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_release_holds_exactly_what_students_get(release: Path) -> None:
    exercises = {f"exercises/ch3/{p.name}" for p in STUBS.glob("*.py")}
    runtime = {f"src/{p.as_posix()}" for p in runtime_modules(COURSE)}
    checks = {f"src/chapters/ch3/checks/{p.name}" for p in STUBS.glob("test_*.py")}
    assert _files(release) == exercises | runtime | checks | {"src/chapters/ch3/checks/__init__.py", "README.md",
                                                               "pyproject.toml"}
    for name in checks:  # for check() in a notebook, installed
        assert (release / name).read_bytes() == (STUBS / Path(name).name).read_bytes()
    assert {"src/grader/runners/pytest_plugin.py", "src/grader/judge/check.py", "src/grader/runners/in_process.py",
            "src/grader/probing/submission.py", "src/chapters/ch3/judging/ex06.py"} <= runtime
    assert {f"src/chapters/ch3/probes/{p.name}" for p in (ROOT / "chapters/ch3/probes").glob("*.py")} <= runtime
    assert not [p for p in runtime if INSTRUCTOR_ONLY.match(p)]
    assert not [p for p in _files(release) if re.search(r"hidden|solutions|tests/|examples", p)]
    assert find_leaks(COURSE, release) == []


def test_release_pyproject_installs_the_runtime_plugin_and_watch_only(release: Path) -> None:
    project = tomllib.loads((release / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == "pytorch-ch3-exercises"
    assert project["project"]["entry-points"]["pytest11"] == {"grader": "grader.runners.pytest_plugin"}
    assert project["project"]["scripts"] == {"grader": "grader.runners.watch:main"}
    names = {re.match(r"[A-Za-z0-9._-]+", d).group().lower() for d in project["project"]["dependencies"]}
    assert names == SHIPPED_DEPENDENCIES


def test_release_readme_guides_without_revealing(release: Path, scanner: LeakScanner) -> None:
    text = (release / "README.md").read_text(encoding="utf-8")
    project = tomllib.loads((release / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    limits = Limits()
    for needle in ("pip install -e .", "pytest exercises/ch3", "--device", "-k ", "--impl", "Not implemented yet",
                   "隐藏检查", "Hidden checks", "seed", "data you have not seen",
                   "pip install torch torchvision --index-url https://download.pytorch.org/whl/cpu", "1 GB", "5.8 GB",
                   "grader watch", '%pip install "pytorch-ch3-exercises @ URL"',
                   "from grader.runners.notebook import check", 'check("ex01_tensor_numpy")', "--pdb",
                   *(f"- `{requirement}`" for requirement in project["dependencies"]),
                   f"最多 {limits.probe_seconds:g} 秒", f"At most {limits.probe_seconds:g} s (wall clock)",
                   f"{limits.cpu_seconds} s of CPU time per check", f"at most {limits.memory_mb} MiB per check"):
        assert needle in text, needle
    assert "{" not in text  # every placeholder filled
    for zh, en in (("安装", "Install"), ("只用 CPU", "CPU-only"), ("保存即检查", "Checked on every save"),
                   ("在 Jupyter 或 Colab 中", "In Jupyter or Colab"), ("调试", "Debugging"),
                   ("评分环境", "Where your code is graded")):
        assert text.index(zh) < text.index(en), zh  # Chinese first
    assert scanner.find(release / "README.md") == []


def test_wheel_and_compiled_release_scan_clean(release: Path, tmp_path: Path, scanner: LeakScanner) -> None:
    source = tmp_path / "source"
    shutil.copytree(release, source)
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                 "-w", tmp_path / "dist", source)
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (tmp_path / "dist").glob("pytorch_ch3_exercises-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        members = archive.namelist()
        entry_points = next(archive.read(m) for m in members if m.endswith("entry_points.txt")).decode()
    assert "grader/runners/pytest_plugin.py" in members and "chapters/ch3/probes/ex01.py" in members
    assert "chapters/ch3/checks/test_ex03_autograd.py" in members
    assert "grader/cli.py" not in members
    assert "[pytest11]" in entry_points and "[console_scripts]\ngrader = grader.runners.watch:main" in entry_points
    assert scanner.find(tmp_path / "dist") == []

    compiled = tmp_path / "compiled"
    shutil.copytree(release, compiled)
    done = _run(sys.executable, "-m", "compileall", "-q", compiled)
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(list(compiled.rglob("*.pyc"))) == len(list(compiled.rglob("*.py")))
    assert scanner.find(compiled) == []


# -- planted leaks: each one is caught, and only where it was planted --

def _solution(name: str) -> Path:
    return SOLUTIONS / f"{name}.py"


def _plant_solution_text(rel: Path) -> str:
    shutil.copyfile(_solution("ex02_linear"), rel / "exercises/ch3/ex02_linear.py")
    return "exercises/ch3/ex02_linear.py: solution code"


def _plant_hidden_file(rel: Path) -> str:
    shutil.copyfile(HIDDEN / "test_hidden_ex06_einsum.py", rel / "exercises/ch3/test_hidden_ex06_einsum.py")
    return "exercises/ch3/test_hidden_ex06_einsum.py: hidden check file name"


def _plant_renamed_hidden_file(rel: Path) -> str:
    shutil.copyfile(HIDDEN / "test_hidden_ex04_data_split.py", rel / "exercises/ch3/test_more.py")
    return "exercises/ch3/test_more.py: hidden check name"


def _key(quiz: str = "quiz") -> dict[str, str]:
    key = runpy.run_path(str(HIDDEN / f"test_hidden_{quiz}.py"))["KEY"]
    return {question: entry[0] for question, entry in key.items()}


def _plant_key_as_json(rel: Path) -> str:
    (rel / "exercises/ch3/answers.json").write_text(json.dumps(_key(), indent=1), encoding="utf-8")
    return "exercises/ch3/answers.json: quiz key"


def _plant_second_quiz_key(rel: Path) -> str:
    """A chapter's other quiz: its key is as private as the first one's."""
    key = {question: [letter] for question, letter in _key("quiz_practice").items()}
    (rel / "exercises/ch3/answers.json").write_text(json.dumps(key), encoding="utf-8")
    return "exercises/ch3/answers.json: quiz key"


def _plant_key_letters(rel: Path) -> str:
    with (rel / "exercises/ch3/quiz.py").open("a", encoding="utf-8") as handle:
        handle.write(f"# {' '.join(_key().values())}\n")
    return "exercises/ch3/quiz.py: quiz key"


def _plant_solution_pyc(rel: Path) -> str:
    pyc = rel / "exercises/ch3/__pycache__/ex03_autograd.cpython-311.pyc"
    py_compile.compile(str(_solution("ex03_autograd")), cfile=str(pyc), dfile="ex03_autograd.py", doraise=True)
    return "exercises/ch3/__pycache__/ex03_autograd.cpython-311.pyc: compiled solution"


def _plant_hidden_pyc(rel: Path) -> str:
    pyc = rel / "src/grader/__pycache__/helpers.cpython-311.pyc"
    py_compile.compile(str(HIDDEN / "test_hidden_ex08_higher_order.py"), cfile=str(pyc),
                       dfile="helpers.py", doraise=True)
    return "src/grader/__pycache__/helpers.cpython-311.pyc: compiled hidden check"


def _plant_solution_in_wheel(rel: Path) -> str:
    with zipfile.ZipFile(rel / "extra-0.1-py3-none-any.whl", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(_solution("ex05_lenet5"), "grader/lenet.py")
    return "extra-0.1-py3-none-any.whl!grader/lenet.py: solution code"


def _plant_solution_in_zip_in_tar_gz(rel: Path) -> str:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(_solution("ex06_einsum"), "einsum.py")
    with tarfile.open(rel / "backup.tar.gz", "w:gz") as archive:
        info = tarfile.TarInfo("backup/inner.zip")
        info.size = len(inner.getvalue())
        archive.addfile(info, io.BytesIO(inner.getvalue()))
    return "backup.tar.gz!(decompressed)!backup/inner.zip!einsum.py: solution code"


PLANTS: list[Callable[[Path], str]] = [
    _plant_solution_text, _plant_hidden_file, _plant_renamed_hidden_file, _plant_key_as_json, _plant_second_quiz_key,
    _plant_key_letters, _plant_solution_pyc, _plant_hidden_pyc, _plant_solution_in_wheel,
    _plant_solution_in_zip_in_tar_gz,
]


@pytest.mark.parametrize("plant", PLANTS, ids=lambda f: f.__name__.removeprefix("_plant_"))
def test_planted_leak_is_caught(plant: Callable[[Path], str], release: Path, tmp_path: Path,
                                scanner: LeakScanner) -> None:
    copy = tmp_path / "release"
    shutil.copytree(release, copy)
    expected = plant(copy)
    leaks = scanner.find(copy)
    assert any(leak.startswith(expected) for leak in leaks), leaks
    where = expected.split(": ")[0].split("!")[0]
    assert all(leak.startswith(where) for leak in leaks), leaks


def test_release_refuses_a_non_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    assert main(["release", "--out", str(tmp_path)]) == 2
    output = " ".join(capsys.readouterr().out.split())  # one message, however the console wraps it
    assert output.startswith("grader release:") and "已存在且不是空文件夹" in output
    assert "exists and is not an empty folder" in output
    assert _files(tmp_path) == {"notes.txt"}


def test_release_refuses_and_removes_a_leaking_release(tmp_path: Path) -> None:
    course = tmp_path / "course"
    copy_course(course, engine=True)
    specs = [spec_of(fn) for fn in load_checks(COURSE)]
    hidden_name = sorted({s.name for s in specs if s.hidden} - {s.name for s in specs if not s.hidden})[0]
    with (course / "chapters/ch3/probes/ex04.py").open("a", encoding="utf-8") as handle:
        handle.write(f"# see test_{hidden_name}\n")
    out = tmp_path / "out"
    with pytest.raises(ReleaseError,
                       match=rf"src/chapters/ch3/probes/ex04\.py: hidden check name .*test_{hidden_name}"):
        write_release(Course.load(course), out)
    assert not out.exists()
    assert (course / "solutions/ch3/ex02_linear.py").read_bytes() == _solution("ex02_linear").read_bytes()


# -- installed into a fresh environment, the release runs the public checks --

def _instructor_grader(name: str) -> bool:
    """The instructor's own ``grader`` install: editable finder and .pth, dist-info, egg-link."""
    return name.startswith("__editable__") or re.match(r"grader([-._]|$)", name) is not None


def _fresh_venv(tmp_path: Path) -> Path:
    """A venv that sees the installed dependencies through a link farm, but not the instructor's grader."""
    farm = tmp_path / "farm"
    farm.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not _instructor_grader(entry.name):
            (farm / entry.name).symlink_to(entry)
    venv = tmp_path / "venv"
    assert _run(sys.executable, "-m", "venv", "--without-pip", venv).returncode == 0
    python = venv / "bin" / "python"
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    (site / "_deps.pth").write_text(f"{farm}\n", encoding="utf-8")  # a path line: farm's own .pth are not run
    return python


def test_installed_release_runs_the_public_checks(release: Path, tmp_path: Path) -> None:
    python = _fresh_venv(tmp_path)
    work = tmp_path / "student"
    shutil.copytree(release, work)
    installed = _run(python, "-m", "pip", "install", "--no-build-isolation", "--no-index", ".", cwd=work, env=CLEAN_ENV)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    where = _run(python, "-c", "import grader; print(grader.__file__)", cwd=work, env=CLEAN_ENV).stdout.strip()
    assert Path(where).is_relative_to(python.parent.parent) and not Path(where).is_relative_to(ROOT), where

    public = len(load_checks(COURSE, hidden=False))
    env = CLEAN_ENV | {"COLUMNS": "400"}  # room for each failure's message in the summary
    stubs = _run(python, "-m", "pytest", "exercises/ch3", "-q", "-p", "no:cacheprovider", cwd=work, env=env)
    failed = [line for line in stubs.stdout.splitlines() if line.startswith("FAILED ")]
    assert stubs.returncode == 1, stubs.stdout + stubs.stderr
    assert len(failed) == public and all("Not implemented yet" in line for line in failed), stubs.stdout
    assert f"{public} failed" in stubs.stdout

    for solution in SOLUTIONS.glob("*.py"):
        shutil.copyfile(solution, work / "exercises/ch3" / solution.name)
    solved = _run(python, "-m", "pytest", "exercises/ch3", "-q", "-p", "no:cacheprovider", cwd=work, env=env)
    assert solved.returncode == 0, solved.stdout + solved.stderr
    assert f"{public} passed" in solved.stdout and "failed" not in solved.stdout

    watch = _run(python.parent / "grader", "watch", "--help", cwd=work, env=CLEAN_ENV)
    assert watch.returncode == 0 and "FOLDER" in watch.stdout, watch.stdout + watch.stderr
    # a notebook elsewhere (Colab: the release installed, not next to it) finds the installed checks
    notebook = (f"from grader.runners.notebook import check_files, check\n"
                f"cells = {{'__name__': '__main__'}}\n"
                f"exec(open({str(SOLUTIONS / 'ex01_tensor_numpy.py')!r}).read(), cells)\n"
                f"print(check_files()['ex01_tensor_numpy'][1])\n"
                f"print(check('ex01_tensor_numpy', cells, device='cpu').passed)\n")
    elsewhere = tmp_path / "notebooks"
    elsewhere.mkdir()
    done = _run(python, "-c", notebook, cwd=elsewhere, env=CLEAN_ENV)
    assert done.returncode == 0, done.stdout + done.stderr
    where, passed = done.stdout.split()
    assert Path(where).is_relative_to(python.parent.parent), where
    assert where.endswith("chapters/ch3/checks/test_ex01_tensor_numpy.py"), where
    assert passed == "True"
