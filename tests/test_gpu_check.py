"""`make gpu-check` without CUDA stops at once, non-zero, with a bilingual reason; what it
reads from a run's records decides as it should; the wheels it installs offline are carried."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import time
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def part(monkeypatch: pytest.MonkeyPatch, name: str) -> ModuleType:
    """A module of ``gpu_check`` (a folder of the repository, not an installed package)."""
    monkeypatch.syspath_prepend(str(ROOT))
    return importlib.import_module(f"gpu_check.{name}")


def test_without_cuda_it_stops_at_once_saying_why() -> None:
    start = time.perf_counter()
    done = subprocess.run(["make", "--no-print-directory", "gpu-check"], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "CUDA_VISIBLE_DEVICES": ""}, timeout=240)
    seconds = time.perf_counter() - start
    assert done.returncode != 0
    reason = [line for line in done.stderr.splitlines() if line.startswith("gpu-check:")]
    assert len(reason) == 1, done.stderr
    assert "本机没有可用的 CUDA" in reason[0] and "CUDA is not available on this machine" in reason[0]
    assert re.search(r"[\u4e00-\u9fff].* / .*[A-Za-z]", reason[0])  # 中文 first, then English
    assert "▶" not in done.stdout  # nothing was started: no suite, no grading
    assert seconds < 60, f"took {seconds:.0f} s"


def test_slots_overlap_is_read_from_the_records(monkeypatch: pytest.MonkeyPatch) -> None:
    most_at_once = part(monkeypatch, "slots").most_at_once
    two_by_two = [(0, 30), (0, 20), (20.5, 50), (30.5, 60)]
    assert most_at_once(two_by_two) == 2
    assert most_at_once([(0, 30), (1, 30), (2, 30)]) == 3  # slots not honoured: caught
    assert most_at_once([(0, 30), (29, 60)]) == 1  # a result written just after the slot was given back


def test_each_module_the_gpu_machine_lacks_is_carried_as_one_wheel(monkeypatch: pytest.MonkeyPatch) -> None:
    carried = part(monkeypatch, "carried")
    for module in carried.CARRIED:
        assert carried.wheel(module).name.startswith(f"{carried.CARRIED[module]}-")
