"""Batch grading survives interruption: ``--resume`` after ``kill -9`` loses and repeats nothing."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from grader.cli import main
from tests.conftest import ROOT

SAMPLES = ROOT / "examples" / "submissions"
NAMES = ["bob", "carol", "dave"]


def _grade(subs: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "grader.cli", "grade", *(str(subs / n) for n in NAMES), "--out", str(out),
            "--device", "cpu", "--jobs", "1", *extra]


def _left_in_cgroups(judge: int) -> list[int]:
    """Processes still in the cgroups that the judge with pid ``judge`` made for its submissions."""
    return [int(pid) for procs in Path("/sys/fs/cgroup").glob(f"*/grader-{judge}-*/cgroup.procs")
            for pid in procs.read_text().split()]


def test_resume_after_kill_9(tmp_path: Path) -> None:
    subs, out = tmp_path / "subs", tmp_path / "out"
    for name in NAMES:
        shutil.copytree(SAMPLES / name, subs / name)
    run = subprocess.Popen(_grade(subs, out, "--seed", "5"), cwd=ROOT, start_new_session=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first = out / NAMES[0] / "grading.json"
    deadline = time.monotonic() + 300
    while not first.exists() and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    assert first.exists()
    graded_before = first.stat().st_mtime_ns
    time.sleep(1)
    assert _left_in_cgroups(run.pid) == [], "submission processes outlived the killed grader"

    resumed = subprocess.run(_grade(subs, out, "--resume"), cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert first.stat().st_mtime_ns == graded_before  # finished work is not redone
    assert not list(Path("/sys/fs/cgroup").glob(f"*/grader-{run.pid}-*")), "the killed grader's cgroups were left"
    rows = list(csv.DictReader((out / "gradebook.csv").open(encoding="utf-8")))
    assert [r["submission"] for r in rows] == NAMES
    assert all('"seed": 5' in (out / n / "grading.json").read_text(encoding="utf-8") for n in NAMES)
    assert not list(out.rglob(".*.json*")), "a temporary file was left behind"


def test_resume_with_another_seed_is_refused(tmp_path: Path, capsys) -> None:
    shutil.copytree(SAMPLES / "dave", tmp_path / "subs" / "dave")
    args = ["grade", str(tmp_path / "subs" / "dave"), "--out", str(tmp_path / "out"), "--device", "cpu",
            "--in-process"]
    assert main([*args, "--seed", "1"]) == 0
    assert main([*args, "--seed", "2", "--resume"]) == 2
    assert "--resume" in capsys.readouterr().out
