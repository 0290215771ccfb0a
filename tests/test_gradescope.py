"""`grader export gradescope`: the zip's layout, and its run_autograder run as Gradescope would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from grader.judge.check import CheckFn, spec_of
from grader.sandbox.limits import Limits
from tests.conftest import ROOT, grade
from tests.conftest import validate_gradescope as validate

SUBMISSIONS = ROOT / "examples" / "submissions"
NO_NAMESPACES = [sys.executable, str(ROOT / "tests" / "refuse_namespaces.py"), "--"]  # as in a Docker container
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="the fence and its fallback are compared as root")
needs_bwrap = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed here")


def export(out: Path, *flags: str) -> Path:
    """`grader export gradescope` in a subprocess, as an instructor runs it."""
    zip_path = out / "autograder.zip"
    done = subprocess.run([sys.executable, "-m", "grader.cli", "export", "gradescope", "--out", str(zip_path), *flags],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return zip_path


@pytest.fixture(scope="module")
def default_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export(tmp_path_factory.mktemp("default"))


@pytest.fixture(scope="module")
def fixed_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export(tmp_path_factory.mktemp("fixed"), "--hidden-visibility", "hidden",
                  "--public-visibility", "after_due_date", "--seed", "7", "--memory-mb", "2500", "--timeout", "90")


def unpack(zip_path: Path, root: Path) -> None:
    """As Gradescope: the zip into ``root/source`` (with its permission bits), run_autograder copied up."""
    with zipfile.ZipFile(zip_path) as zf:
        for info in zf.infolist():
            path = Path(zf.extract(info, root / "source"))
            path.chmod(info.external_attr >> 16 & 0o777)
    shutil.copy2(root / "source" / "run_autograder", root / "run_autograder")
    (root / "submission").mkdir()


def run_autograder(root: Path, *, python: str = sys.executable, wrapper: list[str] = ()) -> dict[str, Any]:
    """run_autograder from a neutral folder, no PYTHONPATH; the results.json it wrote."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=python)
    done = subprocess.run([*wrapper, str(root / "run_autograder")], env=env, cwd=root / "submission",
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    validate(results)
    return results


def test_zip_layout(default_zip: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(default_zip) as zf:
        modes = {info.filename: info.external_attr >> 16 for info in zf.infolist()}
        config = json.loads(zf.read("gradescope.json"))
    assert modes["setup.sh"] & 0o777 == 0o755 and modes["run_autograder"] & 0o777 == 0o755
    assert {"grader/__init__.py", "grader/exports/gradescope.py", "pyproject.toml", "course.toml",
            "chapters/ch3/probes/ex01.py"} <= set(modes)
    assert not [name for name in modes if "/mutants/" in name or name.startswith(("solutions/", "tests/"))]
    hidden = {f"hidden/ch3/{p.name}" for p in (ROOT / "hidden" / "ch3").glob("test_hidden_*.py")}
    public = {f"exercises/ch3/{p.name}" for p in (ROOT / "exercises" / "ch3").glob("test_*.py")}
    assert hidden and public and hidden | public <= set(modes)
    for name in modes:
        assert not name.startswith(("solutions/", "tests/", "examples/", ".venv/")), name
        assert "__pycache__" not in name and not name.endswith(".pyc"), name
    assert config == {"public": "visible", "hidden": "after_published", "seed": None, "limits": Limits().to_json()}
    unpack(default_zip, tmp_path)
    for script in ("setup.sh", "run_autograder"):
        check = subprocess.run(["bash", "-n", str(tmp_path / "source" / script)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr


def visibilities(results: dict[str, Any], checks: list[CheckFn]) -> dict[str, set[str]]:
    """The visibilities results.json gave the public and the hidden checks."""
    hidden = {spec_of(fn).id: spec_of(fn).hidden for fn in checks}
    found: dict[str, set[str]] = {"public": set(), "hidden": set()}
    for test in results["tests"]:
        found["hidden" if hidden[test["name"].split(":")[0]] else "public"].add(test["visibility"])
    return found


def test_nested_submission_full_marks(default_zip: Path, tmp_path: Path, all_checks: list[CheckFn]) -> None:
    unpack(default_zip, tmp_path)
    shutil.copytree(SUBMISSIONS / "alice", tmp_path / "submission" / "homework3")
    results = run_autograder(tmp_path)
    tests = results["tests"]
    assert len(tests) == len(all_checks)
    assert results["score"] == sum(t["score"] for t in tests) == sum(t["max_score"] for t in tests) == 100
    graded = [t for t in tests if "practice" not in t.get("tags", [])]  # alice did no practice exercise
    assert {t["status"] for t in graded} == {"passed"}
    assert all(t["max_score"] == 0 for t in tests if t not in graded)
    assert visibilities(results, all_checks) == {"public": {"visible"}, "hidden": {"after_published"}}
    extra = results["extra_data"]
    assert extra["folder"] == "homework3" and extra["seed_fixed"] is False
    assert Path(extra["grader"]) == tmp_path / "source" / "grader"  # the unpacked package graded, not this one
    assert "homework3" in results["output"] and f"seed {extra['seed']}" in results["output"]


@needs_root
def test_fixed_seed_and_levels_without_namespaces(fixed_zip: Path, tmp_path: Path, all_checks: list[CheckFn]) -> None:
    unpack(fixed_zip, tmp_path)
    for path in (SUBMISSIONS / "carol").glob("*.py"):
        shutil.copy(path, tmp_path / "submission")
    results = run_autograder(tmp_path, wrapper=NO_NAMESPACES)  # as in a container that refuses namespaces
    assert results["extra_data"]["seed"] == 7 and results["extra_data"]["seed_fixed"] is True
    assert "allow-list root NOT in force" in results["output"]  # says what did not hold
    assert "whole within 90 s" in results["output"] and "memory 2500 MiB" in results["output"]
    for private in ("source", "results"):  # the hidden checks and the results: root's alone
        assert (tmp_path / private).stat().st_mode & 0o077 == 0
    assert visibilities(results, all_checks) == {"public": {"after_due_date"}, "hidden": {"hidden"}}
    in_process = grade(SUBMISSIONS / "carol", all_checks, seed=7)
    assert [t["status"] == "passed" for t in results["tests"]] == [c.passed for c in in_process.results]
    assert results["score"] == sum(t["score"] for t in results["tests"]) == in_process.score
    assert 0 < results["score"] < in_process.max_score


def test_empty_submission_scores_zero(default_zip: Path, tmp_path: Path) -> None:
    unpack(default_zip, tmp_path)
    (tmp_path / "submission" / "notes.txt").write_text("hello", encoding="utf-8")
    results = run_autograder(tmp_path)
    assert results["score"] == 0 and results["tests"] == []
    assert "未找到任何练习文件" in results["output"] and "No exercise file found" in results["output"]
    assert "ex01_tensor_numpy.py" in results["output"] and "quiz.py" in results["output"]
    assert "notes.txt" in results["output"]


def test_grader_failure_still_writes_results(default_zip: Path, tmp_path: Path) -> None:
    unpack(default_zip, tmp_path)
    shutil.copy(SUBMISSIONS / "carol" / "quiz.py", tmp_path / "submission")
    broken = next((tmp_path / "source" / "hidden" / "ch3").glob("test_hidden_*.py"))
    broken.write_text("def (:\n", encoding="utf-8")  # the course itself is broken: loading checks fails
    results = run_autograder(tmp_path)
    assert results["score"] == 0
    assert "评分程序内部出错" in results["output"] and "grader itself failed" in results["output"]


def test_grader_that_cannot_start_still_writes_results(default_zip: Path, tmp_path: Path) -> None:
    unpack(default_zip, tmp_path)
    results = run_autograder(tmp_path, python="/bin/false")
    assert results["score"] == 0 and "未能启动" in results["output"] and "could not start" in results["output"]


@pytest.mark.parametrize("change", ["visibility", "test_visibility", "score", "status", "unknown_field"])
def test_schema_rejects(change: str) -> None:
    good = {"score": 1.0, "visibility": "visible",
            "tests": [{"name": "t", "score": 1.0, "max_score": 1.0, "status": "passed", "visibility": "hidden"}]}
    validate(good)
    bad = json.loads(json.dumps(good))
    if change == "visibility":
        bad["visibility"] = "public"
    elif change == "test_visibility":
        bad["tests"][0]["visibility"] = "after_published_date"
    elif change == "score":  # neither at the top nor on each test
        del bad["score"], bad["tests"][0]["score"]
    elif change == "status":
        bad["tests"][0]["status"] = "ok"
    else:
        bad["tests"][0]["points"] = 1
    with pytest.raises(jsonschema.ValidationError):
        validate(bad)


@needs_root
@needs_bwrap
def test_sandbox_falls_back_where_namespaces_are_refused() -> None:
    probe = ("from pathlib import Path; from grader.sandbox.limits import Limits; "
             "from grader.sandbox.master import Master; from grader.sandbox.runner import SandboxRunner\n"
             "from grader.manifest import Course\n"
             "with Master(Course.load(Path('.'))) as m:\n"
             "    r = SandboxRunner(Path('examples/submissions/bob'), m, Limits())\n"
             "    print(*r.measures('cpu', 1), sep='\\n')\n"
             "    r.close()")
    lines = {}
    for name, wrapper in (("fenced", []), ("refused", NO_NAMESPACES)):
        done = subprocess.run([*wrapper, sys.executable, "-c", probe], capture_output=True, text=True, timeout=300,
                              cwd=ROOT)
        assert done.returncode == 0, done.stderr
        lines[name] = done.stdout.splitlines()
    fenced, refused = "\n".join(lines["fenced"]), "\n".join(lines["refused"])
    assert "allow-list root (bubblewrap)" in fenced and "own mount, PID, network" in fenced
    assert "uid 65534 (nobody) in a user namespace, no capabilities" in fenced and "NOT" not in fenced
    assert "allow-list root NOT in force (bubblewrap refused here" in refused
    assert "per-submission namespaces NOT in force" in refused and "unprivileged user NOT in force" in refused
    assert "seccomp: ptrace" in refused  # what still holds is said too
