"""``grader watch``: a saved exercise is checked again and the screen shows its new result."""

from __future__ import annotations

import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from grader.grading.mutants import all_mutants
from grader.judge.catalog import load_checks
from grader.judge.check import spec_of
from grader.runners.watch import WatchError, default_folder, exercises_in
from tests.conftest import COURSE, ROOT, SOLUTIONS, STUBS

EXERCISE = "ex01_tensor_numpy"
OTHER = "ex03_autograd"  # a second exercise, left as its stub
DEADLINE = 300  # seconds for one run of the checks on a busy machine


class Screen:
    """What a running ``grader watch`` has printed so far, read on a thread."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.text = ""
        self.lines: queue.Queue[str] = queue.Queue()
        assert process.stdout is not None
        threading.Thread(target=lambda: [self.lines.put(line) for line in process.stdout], daemon=True).start()

    def wait_for(self, pattern: str, after: int) -> re.Match[str]:
        """The first match of ``pattern`` printed after position ``after``, once it has been printed."""
        deadline = time.monotonic() + DEADLINE
        while (found := re.compile(pattern).search(self.text, after)) is None:
            try:
                self.text += self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"no {pattern!r} within {DEADLINE} s; the screen so far:\n{self.text[after:]}")
        return found


def test_saving_an_exercise_shows_its_new_result_then_ctrl_c_quits(tmp_path: Path) -> None:
    folder = tmp_path / "exercises" / "ch3"
    folder.mkdir(parents=True)
    for name in (EXERCISE, OTHER):
        for path in (STUBS / f"{name}.py", STUBS / f"test_{name}.py"):
            shutil.copyfile(path, folder / path.name)
    specs = [spec_of(fn) for fn in load_checks(COURSE, hidden=False) if spec_of(fn).exercise == EXERCISE]
    worth = sum(spec.points for spec in specs)
    mutant = next(m for m in all_mutants(COURSE) if m.exercise == EXERCISE)
    caught = next(spec for spec in specs if spec.name == mutant.catches)
    solution = (SOLUTIONS / f"{EXERCISE}.py").read_text(encoding="utf-8")

    process = subprocess.Popen([sys.executable, "-m", "grader.cli", "watch", str(folder), "--device", "cpu"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        screen = Screen(process)
        first = screen.wait_for(r"watching .*\n", 0)
        assert re.search(rf"· {EXERCISE}\s+0/{len(specs)}\s+0/{worth:g}", screen.text), screen.text
        assert re.search(rf"· {OTHER}\s+0/\d+", screen.text), screen.text
        assert "Not implemented yet" in screen.text

        (folder / f"{EXERCISE}.py").write_text(mutant.apply(solution), encoding="utf-8")
        wrong = screen.wait_for(rf"✗ {EXERCISE}\s+{len(specs) - 1}/{len(specs)}\s+"
                                rf"{worth - caught.points:g}/{worth:g}", first.end())
        shown = screen.wait_for(r"watching .*\n", wrong.end())
        feedback = screen.text[wrong.end():shown.start()]
        assert f"✗ {caught.title_zh} / {caught.title_en}" in " ".join(feedback.split()), feedback
        assert "Not implemented yet" not in feedback

        (folder / f"{EXERCISE}.py").write_text(solution, encoding="utf-8")
        right = screen.wait_for(rf"✓ {EXERCISE}\s+{len(specs)}/{len(specs)}\s+{worth:g}/{worth:g}", shown.end())
        shown = screen.wait_for(r"watching .*\n", right.end())
        assert f"all {len(specs)} public checks pass · 下一个 next: {OTHER}" in screen.text[right.end():], screen.text

        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0
        screen.wait_for("再见 bye", shown.end())
        assert "Traceback" not in screen.text
    finally:
        process.kill()
        process.wait()


def test_watch_finds_the_one_chapter_folder_or_asks(tmp_path: Path) -> None:
    assert default_folder(ROOT) == STUBS
    assert exercises_in(STUBS) == sorted(exercise.id for exercise in COURSE.exercises)
    with pytest.raises(WatchError, match="name the folder to watch"):
        default_folder(tmp_path)
