"""``python -m bench``: time the student loop and the grader on this machine.

Whole-command figures are the median of several runs, with min and max, so a noisy
machine shows as a wide spread rather than a wrong number. Set BENCH_RUNS (default 3)
and BENCH_CLASS (submissions in the class-sized run, default 20) to change the work.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

from grader.manifest import Course
from grader.sandbox.limits import Limits
from grader.sandbox.master import Master
from grader.sandbox.runner import SandboxRunner

ROOT = Path(__file__).resolve().parents[1]
ALICE = ROOT / "examples" / "submissions" / "alice"
PROBE = "ch3.ex01.from_array"  # a quick probe of the course's: ex01's to_tensor on three zeros
GRADE = [sys.executable, "-m", "grader.cli", "grade", "--seed", "0", "--device", "cpu"]


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


def graded(command: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Whole-command seconds of ``runs`` gradings of alice, and the seconds each spent grading
    her (``grading.json``: after the master started and the checks were loaded)."""
    walls, grading = [], []
    for _ in range(runs):
        walls += timed(command, 1)
        result = json.loads((Path(command[command.index("--out") + 1]) / "alice" / "grading.json").read_text())
        grading.append(result["seconds"])
    return walls, grading


def row(label: str, times: list[float], unit: str = "s", target: str = "") -> str:
    scale = 1000 if unit == "ms" else 1
    low, mid, high = (scale * t for t in (min(times), statistics.median(times), max(times)))
    return f"{label:<46} {mid:9.2f} {unit:<2}  (min {low:.2f}, max {high:.2f}, n={len(times)})  {target}"


def worker_figures(runs: int) -> tuple[list[float], list[float]]:
    """Seconds to start a worker (a fresh fork for a new check, its first probe answered) and per probe."""
    master = Master(Course.load(ROOT))
    runner = SandboxRunner(ALICE, master, Limits())
    inputs = {"func": "to_tensor", "values": torch.zeros(3)}
    runner.probe(PROBE, "cpu", inputs, "warm.up")
    starts, trips = [], []
    for i in range(max(10, 5 * runs)):
        start = time.perf_counter()
        runner.probe(PROBE, "cpu", inputs, f"bench.check{i}")  # a new check: a new worker
        starts.append(time.perf_counter() - start)
        start = time.perf_counter()
        runner.probe(PROBE, "cpu", inputs, f"bench.check{i}")
        trips.append(time.perf_counter() - start)
    runner.close()
    master.close()
    return starts, trips


HOG = """import os, time


def to_tensor(array):  # busy children in sessions of their own, then no answer
    for _ in range(60):
        if os.fork() == 0:
            os.setsid()
            while True:
                pass
    time.sleep(3600)
"""


def beside_a_hog(out: Path) -> float:
    """Alice's grading seconds when graded beside a submission that keeps 60 busy children,
    each in a session of its own, running for as long as it may (``--jobs 2``)."""
    hog = out / "hog" / "hog"
    hog.mkdir(parents=True)
    (hog / "ex01_tensor_numpy.py").write_text(HOG, encoding="utf-8")
    timed([*GRADE, str(ALICE), str(hog), "--out", str(out / "hog" / "graded"), "--jobs", "2", "--timeout", "30"], 1)
    return json.loads((out / "hog" / "graded" / "alice" / "grading.json").read_text())["seconds"]


def main() -> None:
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    class_size = int(os.environ.get("BENCH_CLASS", "20"))
    out = tempfile.mkdtemp(prefix="bench-")
    print(f"cores: {os.cpu_count()}   python: {sys.version.split()[0]}   torch: {torch.__version__}   runs: {runs}")
    public = timed([sys.executable, "-m", "pytest", "exercises/ch3", "-q", "-p", "no:cacheprovider",
                    "--impl", "solutions/ch3", "--device", "cpu"], runs)
    print(row("public suite against the reference", public, target="target <= 60 s"))
    starts, trips = worker_figures(runs)
    print(row("worker start (fork + first probe)", starts, "ms", "target <= 100 ms"))
    print(row("probe round trip", trips, "ms"))
    alone, alone_grading = graded([*GRADE, str(ALICE), "--out", f"{out}/in", "--in-process"], runs)
    print(row("grade one complete submission, in-process", alone))
    isolated, isolated_grading = graded([*GRADE, str(ALICE), "--out", f"{out}/iso"], runs)
    print(row("grade one complete submission, isolated", isolated, target="target <= 90 s"))
    print(f"{'isolation overhead, whole command (median)':<46} "
          f"{100 * (statistics.median(isolated) / statistics.median(alone) - 1):8.1f} %   "
          "(includes the master's start)")
    print(row("  its grading alone, in-process", alone_grading))
    print(row("  its grading alone, isolated", isolated_grading))
    print(f"{'isolation overhead per submission (median)':<46} "
          f"{100 * (statistics.median(isolated_grading) / statistics.median(alone_grading) - 1):8.1f} %   "
          "target <= 10 %")
    hogged = beside_a_hog(Path(out))
    print(f"{'its grading beside a CPU hog, --jobs 2':<46} {hogged:9.2f} s   "
          f"({hogged / statistics.median(isolated_grading):.2f} x its time alone)")
    subs = Path(out) / "class"
    for i in range(class_size):
        shutil.copytree(ALICE, subs / f"student{i:02d}")
    folders = sorted(str(p) for p in subs.iterdir())
    one_job = timed([*GRADE, *folders, "--out", f"{out}/j1", "--jobs", "1"], 1)
    print(row(f"grade {class_size} complete submissions, --jobs 1", one_job))
    two_jobs = timed([*GRADE, *folders, "--out", f"{out}/j2", "--jobs", "2"], 1)
    print(row(f"grade {class_size} complete submissions, --jobs 2", two_jobs))
    print(f"{'speed-up of --jobs 2':<46} {one_job[0] / two_jobs[0]:8.2f} x   target >= 1.6 x")
    on_cluster(folders, out, two_jobs[0])
    shutil.rmtree(out, ignore_errors=True)


def on_cluster(folders: list[str], out: str, locally: float) -> None:
    """The class graded on a local Ray cluster (a head without CPUs, two worker nodes of one CPU
    each: two at a time, as ``--jobs 2``), against ``locally``, the seconds of ``--jobs 2``."""
    try:
        from ray.cluster_utils import Cluster
    except ImportError:
        print("cluster: skipped (Ray is not installed: pip install -e '.[cluster]')")
        return
    store = 100 * 1024 * 1024  # each node's object store: small, the results are
    cluster = Cluster(initialize_head=True,
                      head_node_args={"num_cpus": 0, "include_dashboard": False, "object_store_memory": store})
    try:
        for _ in range(2):
            cluster.add_node(num_cpus=1, object_store_memory=store)
        cluster.wait_for_nodes()
        there = timed([*GRADE, *folders, "--out", f"{out}/ray", "--cluster", cluster.address], 1)
    finally:
        cluster.shutdown()
    print(row(f"grade {len(folders)} complete submissions, 2-node Ray", there))
    print(f"{'Ray cluster overhead against --jobs 2':<46} {100 * (there[0] / locally - 1):8.1f} %   target <= 15 %")


if __name__ == "__main__":
    main()
