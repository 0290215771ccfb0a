"""What a student sees in the loop, on copies of the reference with a student's mistakes in them:
the time limit, the debugger, plain structural errors, cut output, the public table."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from grader.errors import StudentError
from grader.judge.check import reference_signature, spec_of
from tests.conftest import COURSE, ROOT, SOLUTIONS

EX01 = "ex01_tensor_numpy"
SOLVED = "    ### BEGIN SOLUTION\n    return torch.from_numpy(array)"  # the first lines of to_tensor's answer


def _copy(tmp_path: Path, **edits: tuple[str, str]) -> Path:
    """A copy of the reference; in each ``module=(old, new)``, ``old`` (verbatim, once) made ``new``."""
    folder = tmp_path / "sub"
    shutil.copytree(SOLUTIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    for module, (old, new) in edits.items():
        path = folder / f"{module}.py"
        source = path.read_text(encoding="utf-8")
        assert source.count(old) == 1, (module, old)
        path.write_text(source.replace(old, new), encoding="utf-8")
    return folder


def _line(folder: Path, module: str, text: str) -> int:
    """The number of the line of ``module`` that holds ``text``."""
    lines = (folder / f"{module}.py").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "--device", "cpu", *args]


def _pytest(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_command(*args), cwd=ROOT, capture_output=True, text=True, timeout=600, input=stdin)


def test_a_stuck_function_fails_its_checks_at_its_line_and_the_rest_run_on(tmp_path: Path) -> None:
    stuck = SOLVED.replace("return", "while True:\n        pass\n    return")
    folder = _copy(tmp_path, ex01_tensor_numpy=(SOLVED, stuck))
    start = time.monotonic()
    # 10 s: the first check imports the probes, which on a busy machine takes seconds
    run = _pytest(f"exercises/ch3/test_{EX01}.py", "--impl", str(folder), "--timeout", "10")
    assert time.monotonic() - start < 300
    stuck = [c for c in run.stdout.split("\n___") if "ran past its time limit" in c]  # one section per check
    line = _line(folder, EX01, "while True:")
    assert stuck and all(f"位置 at {EX01}.py:{line}" in c for c in stuck), run.stdout[-3000:]
    assert all(f"{EX01}.to_tensor ran past its time limit." in c and "local time limit 10 s" in c for c in stuck)
    passed = int(re.search(r"(\d+) passed", run.stdout.splitlines()[-1]).group(1))  # the others ran on
    assert passed >= 1 and f"{len(stuck)} failed" in run.stdout.splitlines()[-1]


def test_pdb_opens_in_the_student_frame_that_raised(tmp_path: Path) -> None:
    folder = _copy(tmp_path, ex01_tensor_numpy=(SOLVED, SOLVED.replace(
        "return torch.from_numpy(array)", "scale_seen = 4242\n    return torch.from_numpy(array) * scale_seen[0]")))
    run = _pytest(f"exercises/ch3/test_{EX01}.py", "--impl", str(folder), "--pdb", "-k", "to_tensor_values",
                  stdin="p scale_seen * 2\nq\n")
    assert f"{folder / EX01}.py({_line(folder, EX01, 'scale_seen[0]')})to_tensor()" in run.stdout, run.stdout[-3000:]
    assert "(Pdb) 8484" in run.stdout  # the student's local, read in the student's frame


def test_breakpoint_stops_in_student_code_and_the_time_limit_waits(tmp_path: Path) -> None:
    folder = _copy(tmp_path, ex01_tensor_numpy=(SOLVED, SOLVED.replace(
        "return", "looked_at = 'student-' + str(6 * 7)\n    breakpoint()\n    return")))
    process = subprocess.Popen(_command(f"exercises/ch3/test_{EX01}.py", "--impl", str(folder), "--timeout", "8",
                                        "-k", "to_tensor_values"),
                               cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    seen = bytearray()  # read as it comes: the prompt ends no line

    def read() -> None:
        while chunk := os.read(process.stdout.fileno(), 4096):
            seen.extend(chunk)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + 300
    while b"(Pdb)" not in seen and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(9)  # in the debugger for longer than the time limit
    try:
        process.stdin.write(b"p looked_at\n" + b"c\n" * 10)
        process.stdin.close()
        process.wait(timeout=300)
    finally:
        process.kill()
    reader.join(timeout=10)
    out = seen.decode()
    assert "(Pdb) 'student-42'" in out, out[-3000:]
    assert "1 passed" in out.splitlines()[-1] and "time limit" not in out


def test_structural_errors_are_plain_and_said_once(tmp_path: Path) -> None:
    folder = _copy(tmp_path, ex01_tensor_numpy=("def to_tensor(", "def to_tensr("))
    with (folder / "ex06_einsum.py").open("a", encoding="utf-8") as module:
        module.write("\ndef broken(:\n")
    source = (folder / f"{EX01}.py").read_text(encoding="utf-8")
    (folder / f"{EX01}.py").write_text(re.sub(r"def to_numpy\(tensor[^)]*\)", "def to_numpy(t, copy)", source),
                                       encoding="utf-8")
    run = _pytest(f"exercises/ch3/test_{EX01}.py", "exercises/ch3/test_ex06_einsum.py", "--impl", str(folder))
    out = run.stdout
    assert "_submission" not in out and "Traceback" not in out
    assert out.count(f"{EX01}.py has no function `to_tensor` (found `to_tensr`).") == 1, out[-4000:]
    assert out.count("Wrong signature: `to_numpy(tensor)` expected; yours is `to_numpy(t, copy)`.") == 1
    assert out.count("SyntaxError: invalid syntax: def broken(:") == 1
    assert f"位置 at ex06_einsum.py:{_line(folder, 'ex06_einsum', 'def broken(:')}" in out
    broken = out.split("模块问题 Broken modules ==")[1].split("公开检查 Public checks")[0]
    ex06 = re.findall(r"def test_(\w+)\(", (ROOT / "exercises/ch3/test_ex06_einsum.py").read_text(encoding="utf-8"))
    cost = broken.split("Could not import the module ex06_einsum.")[1].split("checks it cost: ")[1].splitlines()[0]
    assert cost.split(", ") == ex06
    failed = int(re.search(r"(\d+) failed", out.splitlines()[-1]).group(1))
    failures = out.split("= FAILURES =")[1].split("short test summary info")[0]  # CI=true widens the summary
    assert failures.count("see below, 模块问题 Broken modules") == failed > len(ex06)


def test_output_is_cut_to_its_last_lines_after_the_feedback(tmp_path: Path) -> None:
    folder = _copy(tmp_path, ex01_tensor_numpy=(SOLVED, SOLVED.replace(
        "return torch.from_numpy(array)", "for i in range(300):\n        print(f'line {i}')\n    return None")))
    args = (f"exercises/ch3/test_{EX01}.py", "--impl", str(folder), "-k", "to_tensor_values")
    cut = _pytest(*args).stdout
    feedback, output = cut.split("Captured stdout call")
    assert "to_tensor" in feedback.split("test_to_tensor_values")[1]  # the feedback first, then the output
    assert "280 lines cut (--full-output shows all)" in output
    assert "line 299" in output and "line 280" in output and "line 279\n" not in output
    full = _pytest(*args, "--full-output").stdout
    assert "line 0\n" in full and "lines cut" not in full


def _points() -> tuple[float, float, float]:
    """ex01's public points, hidden points and total, from the course's own files."""
    from grader.judge.catalog import load_checks

    specs = [spec_of(fn) for fn in load_checks(COURSE) if spec_of(fn).exercise == EX01]
    public = sum(s.points for s in specs if not s.hidden)
    hidden = sum(s.points for s in specs if s.hidden)
    return public, hidden, next(e.points for e in COURSE.exercises if e.id == EX01)


def test_the_table_says_public_and_what_did_not_run() -> None:
    public, hidden, total = _points()
    assert public + hidden == total
    whole = _pytest(f"exercises/ch3/test_{EX01}.py", "--impl", "solutions/ch3").stdout
    assert "公开检查 Public checks" in whole
    assert re.search(rf"✓ {EX01} +\d+/\d+ +{public:g}/{public:g} +{hidden:g}\n", whole), whole[-2000:]
    assert f"{public:g} of {total:g} points checked here; {hidden:g} left to hidden checks" in whole
    some = _pytest(f"exercises/ch3/test_{EX01}.py", "--impl", "solutions/ch3", "-k", "to_numpy").stdout
    row = next(line for line in some.splitlines() if line[2:].startswith(f"{EX01} "))
    assert row.startswith("○") and "✓" not in row and "not run" in row
    assert "some of its checks did not run" in some


def test_without_a_manifest_the_release_lines_give_the_points(tmp_path: Path) -> None:
    """The release has no course.toml: its pytest settings name each exercise's points, or nothing is claimed."""
    public, hidden, total = _points()
    ini = tmp_path / "pytest.ini"
    args = ("-c", str(ini), "--rootdir", str(tmp_path), f"exercises/ch3/test_{EX01}.py", "--impl", "solutions/ch3")
    ini.write_text(f"[pytest]\ngrader_points =\n    {EX01} = {total:g}\n", encoding="utf-8")
    assert f"{public:g} of {total:g} points checked here; {hidden:g} left to hidden checks" in _pytest(*args).stdout
    ini.write_text("[pytest]\n", encoding="utf-8")
    unknown = _pytest(*args).stdout
    assert "hidden checks add more points at grading time" in unknown and "points checked here" not in unknown


def test_a_stub_module_on_the_command_line_gets_a_hint() -> None:
    run = _pytest(f"exercises/ch3/{EX01}.py")
    assert "no tests ran" in run.stdout
    assert f"run `pytest exercises/ch3/test_{EX01}.py` (or the whole folder, `pytest exercises/ch3`)" in run.stdout
    assert f"请运行 `pytest exercises/ch3/test_{EX01}.py`" in run.stdout


# -- the errors themselves, without a subprocess ---------------------------------------------------

@pytest.mark.parametrize("error", [
    StudentError("missing", f"{EX01}.to_tensor", found="to_tensr"),
    StudentError("signature", f"{EX01}.to_numpy", "TypeError", "missing a required argument: 'copy'",
                 mro=("TypeError",), expected="to_numpy(tensor)", found="to_numpy(t, copy)"),
    StudentError("import", "ex06_einsum", "SyntaxError", "invalid syntax", "ex06_einsum.py:3"),
])
def test_structural_errors_cross_from_a_worker_as_they_are(error: StudentError) -> None:
    back = StudentError.from_json(json.loads(json.dumps(error.to_json())))
    assert (back.zh, back.en, back.details) == (error.zh, error.en, error.details)


def test_a_class_is_named_a_class_and_no_match_is_not_invented() -> None:
    assert StudentError("missing", "ex09_module_call.ActivationRecorder").en == \
        "ex09_module_call.py has no class `ActivationRecorder`."


def test_the_reference_signature_is_read_from_the_solutions() -> None:
    assert reference_signature(f"{EX01}.to_numpy") == "to_numpy(tensor)"
    assert reference_signature(f"{EX01}.no_such_function") == ""
