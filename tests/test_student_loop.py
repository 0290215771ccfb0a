"""The student loop, run the way a student runs it: ``pytest exercises/ch3``."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import EXERCISES, ROOT


def _pytest(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "exercises/ch3", "-p", "no:cacheprovider", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_stubs_fail_every_check_with_not_implemented() -> None:
    run = _pytest("-q", "-rN")
    assert run.returncode == 1
    summary = run.stdout.splitlines()[-1]
    assert "passed" not in summary and "error" not in summary
    failed = int(summary.split()[0])
    sections = run.stdout.split("= FAILURES =")[1].split("公开检查 Public checks")[0]
    assert sections.count("Not implemented yet: ") == failed > 40
    assert "Traceback" not in run.stdout and "raise NotImplementedError" not in run.stdout
    assert "公开检查 Public checks" in run.stdout
    for exercise in EXERCISES:
        assert exercise in run.stdout


def test_reference_passes_every_public_check() -> None:
    run = _pytest("-q", "--impl", "solutions/ch3", "--device", "cpu")
    assert run.returncode == 0, run.stdout[-3000:]
    assert "failed" not in run.stdout.splitlines()[-1]


def test_bad_options_are_refused() -> None:
    assert "no such folder" in _pytest("--impl", "nowhere").stderr
    assert _pytest("--device", "tpu").returncode != 0
