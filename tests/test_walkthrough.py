"""The README's instructor walkthrough, run exactly as written."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import COURSE, ROOT

SECTION = "### From release to grades"


def walkthrough_commands() -> list[str]:
    """The ``grader`` lines of the first bash block after the walkthrough heading."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", text[text.index(SECTION):], re.S)
    assert block, f"no bash block under {SECTION!r}"
    lines = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    return [line for line in lines if line.startswith("grader ")]


def test_walkthrough_commands_work_as_written(tmp_path: Path) -> None:
    commands = walkthrough_commands()
    assert [shlex.split(c)[1] for c in commands] == ["release", "grade", "report", "export", "export"]
    for student in ["bob", "carol", "dave"]:  # the quick ones: alice's full marks are proven elsewhere
        shutil.copytree(ROOT / "examples" / "submissions" / student, tmp_path / "subs" / student)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for command in commands:
        done = subprocess.run(command, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=600)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stdout + done.stderr, command
    assert (tmp_path / "release" / "exercises" / "ch3" / "test_ex01_tensor_numpy.py").is_file()
    assert not list((tmp_path / "release").rglob("test_hidden_*"))
    students = sorted(p.name for p in (tmp_path / "subs").iterdir())
    for name in ["gradebook.csv", "lms.csv", "junit.xml", "class.html",
                 *(f"{s}/feedback.html" for s in students)]:
        assert (tmp_path / "grades" / name).is_file(), name
    assert len(list((tmp_path / "nbcourse" / "source" / "ch3").glob("*.ipynb"))) == len(COURSE.exercises)
    assert (tmp_path / "autograder.zip").is_file()
