"""``python -m bench``: time the student loop and the grader on this machine.

Each figure is the median of several whole-process runs, with min and max, so a noisy
machine shows as a wide spread rather than a wrong number.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GRADER = [sys.executable, "-m", "grader.cli"]


def timed(command: list[str], runs: int) -> list[float]:
    """Wall-clock seconds of ``runs`` runs of ``command`` (each must succeed)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"bench: {' '.join(command)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return times


def row(label: str, times: list[float], target: str) -> str:
    return (f"{label:<44} {statistics.median(times):8.2f} s   (min {min(times):.2f}, max {max(times):.2f}, "
            f"n={len(times)})   target {target}")


def main() -> None:
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    out = tempfile.mkdtemp(prefix="bench-")
    print(f"cores: {os.cpu_count()}   python: {sys.version.split()[0]}   runs per figure: {runs}")
    public = timed([sys.executable, "-m", "pytest", "exercises/ch3", "-q", "-p", "no:cacheprovider",
                    "--impl", "solutions/ch3", "--device", "cpu"], runs)
    print(row("public suite against the reference", public, "<= 60 s"))
    one = timed([*GRADER, "grade", "examples/submissions/alice", "--out", out, "--seed", "0",
                 "--device", "cpu"], runs)
    print(row("grade one complete submission", one, "<= 90 s"))


if __name__ == "__main__":
    main()
