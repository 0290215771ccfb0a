"""Grading on a Ray cluster: a head and two worker nodes, each a separate set of processes on
this machine; one worker node dies mid-batch, and the gradebook still equals a local run's."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from grader.grading.batch import BatchOptions, grade_batch
from grader.grading.grade import SubmissionResult
from grader.grading.store import finished
from grader.judge.check import CheckFn, spec_of
from grader.sandbox.limits import Limits
from tests.conftest import COURSE, ROOT, SOLUTIONS, STUBS

# the quick exercise that the hostile cases below attack, and the quiz
EXERCISES = ("ex01_tensor_numpy", "quiz")
HONEST_AND_BUGGY = ["alice", "bob", "carol", "dave"]
HOSTILE = ["exit_at_import", "os_exit_in_function", "segfault", "fork_bomb", "kill_parent", "write_outside",
           "recursion", "syntax_error", "always_equal", "override_tensor_eq", "patch_grader", "read_hidden",
           "environ_leak", "tensor_subclass"]
STORE = 100 * 1024 * 1024  # each node's object store: small, the results are


def _class(subs: Path) -> list[Path]:
    """Twenty submissions: the reference, the stubs, the examples and fourteen hostile cases of the red team."""
    shutil.copytree(SOLUTIONS, subs / "reference")
    shutil.copytree(STUBS, subs / "stubs", ignore=shutil.ignore_patterns("test_*"))
    for name in HONEST_AND_BUGGY:
        shutil.copytree(ROOT / "examples" / "submissions" / name, subs / name)
    for name in HOSTILE:
        shutil.copytree(ROOT / "tests" / "redteam" / name, subs / name)
    return sorted(subs.iterdir())


def _options(out: Path, *, resume: bool = False) -> BatchOptions:
    return BatchOptions(out=out, device="cpu", seed=11, limits=Limits(probe_seconds=6, memory_mb=1024), course=COURSE,
                        jobs=2, resume=resume)


def _files(out: Path) -> dict[str, str]:
    """The class files a run wrote."""
    return {name: (out / name).read_text(encoding="utf-8") for name in ("gradebook.csv", "lms.csv")}


def test_without_ray_the_cluster_flag_says_how_to_get_it(tmp_path: Path) -> None:
    hidden_ray = ("import sys; sys.modules['ray'] = None; from grader.cli import main; "
                  f"sys.exit(main(['grade', {str(ROOT / 'examples/submissions/bob')!r}, '--out', "
                  f"{str(tmp_path)!r}, '--cluster', 'auto']))")
    done = subprocess.run([sys.executable, "-c", hidden_ray], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "集群评分需要 Ray" in done.stdout and "pip install -e '.[cluster]'" in done.stdout


@pytest.fixture(scope="module")
def cluster() -> Iterator[tuple[Any, list[Any]]]:
    """A head without CPUs and two worker nodes of two CPUs, each a set of processes of its own;
    a dead node is noticed within about two seconds."""
    ray_cluster = pytest.importorskip("ray.cluster_utils", reason="Ray is not installed: pip install -e '.[cluster]'")
    # on a busy machine a node's agents may take longer to start than the 15 s Ray waits by default
    os.environ.setdefault("RAY_agent_register_timeout_ms", "120000")
    # Ray's files in a folder of this test's (a short path: Ray's sockets are in it), not /tmp/ray
    files = tempfile.mkdtemp()
    os.environ["RAY_TMPDIR"] = files
    started = ray_cluster.Cluster(initialize_head=True, head_node_args={
        "num_cpus": 0, "include_dashboard": False, "object_store_memory": STORE,
        "_system_config": {"health_check_period_ms": 500, "health_check_failure_threshold": 4}})
    try:
        workers = [started.add_node(num_cpus=2, object_store_memory=STORE) for _ in range(2)]
        started.wait_for_nodes()
        yield started, workers
    finally:
        started.shutdown()
        del os.environ["RAY_TMPDIR"]
        shutil.rmtree(files, ignore_errors=True)


def test_a_node_dies_mid_batch_and_nothing_is_lost(cluster: tuple[Any, list[Any]], tmp_path: Path,
                                                   all_checks: list[CheckFn]) -> None:
    import ray

    from grader.grading.cluster import ClusterGrading

    head, workers = cluster
    folders = _class(tmp_path / "subs")
    assert len(folders) == 20
    checks = [fn for fn in all_checks if spec_of(fn).exercise in EXERCISES]
    grade_batch(folders, checks, _options(tmp_path / "local"))

    arrived: list[str] = []

    def arrive(result: SubmissionResult) -> None:
        arrived.append(result.name)
        if len(arrived) == 3:  # each node holds a submission now: kill one, processes and all
            driver = ray.get_runtime_context().get_node_id()  # not the node this process is attached to
            head.remove_node(next(w for w in workers if w.node_id != driver), allow_graceful=False)

    grading = ClusterGrading(head.address)
    grade_batch(folders, checks, _options(tmp_path / "cluster"), on_submission=arrive, grading=grading)
    assert len(grading.given_up) == 1, grading.given_up  # the dead node, and only it
    assert grading.handed_back, "the dead node held no submission"
    assert sorted(arrived) == [f.name for f in folders]  # each graded once
    assert _files(tmp_path / "cluster") == _files(tmp_path / "local")
    for folder in folders:  # every verdict, not only the totals (how a hostile case fails may vary with timing)
        local, remote = finished(tmp_path / "local", folder.name), finished(tmp_path / "cluster", folder.name)
        assert local and remote and [(r.spec.id, r.passed) for r in remote.results] == \
            [(r.spec.id, r.passed) for r in local.results], folder.name

    # --resume on the cluster: only what is not finished is graded again
    kept = (tmp_path / "cluster" / "alice" / "grading.json").stat().st_mtime_ns
    for name in ("bob", "segfault"):
        (tmp_path / "cluster" / name / "grading.json").unlink()
    again: list[str] = []
    grade_batch(folders, checks, _options(tmp_path / "cluster", resume=True),
                on_submission=lambda r: again.append(r.name), grading=ClusterGrading(head.address))
    assert sorted(again) == ["bob", "segfault"]
    assert (tmp_path / "cluster" / "alice" / "grading.json").stat().st_mtime_ns == kept
    assert _files(tmp_path / "cluster") == _files(tmp_path / "local")


def _node_graders(*, with_a_master: bool) -> set[int]:
    """The process ids of the node graders (Ray titles them ``ray::NodeGrader``), or of those that
    have started their master."""
    found = set()
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and (proc / "cmdline").read_bytes().startswith(b"ray::NodeGrader") and \
                    (not with_a_master or (proc / "task" / proc.name / "children").read_text().split()):
                found.add(int(proc.name))
        except OSError:
            continue
    return found


def test_a_submission_that_kills_its_grader_twice_is_crashed(cluster: tuple[Any, list[Any]], tmp_path: Path,
                                                             all_checks: list[CheckFn]) -> None:
    from grader.grading.cluster import ClusterGrading

    shutil.copytree(ROOT / "tests" / "redteam" / "infinite_loop", tmp_path / "subs" / "looping")
    checks = [fn for fn in all_checks if spec_of(fn).exercise == "ex01_tensor_numpy"]
    killed: list[int] = []
    earlier = _node_graders(with_a_master=False)  # an earlier test's, on their way out
    graded = threading.Event()

    def kill_graders() -> None:  # every node grader of this batch, each once it is up and grading
        while not graded.is_set():
            for pid in _node_graders(with_a_master=True) - earlier - set(killed):
                if not graded.wait(1.5):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                        killed.append(pid)
            graded.wait(0.2)

    killer = threading.Thread(target=kill_graders)
    killer.start()
    try:
        [result] = grade_batch([tmp_path / "subs" / "looping"], checks, _options(tmp_path / "out"),
                               grading=ClusterGrading(cluster[0].address))
    finally:
        graded.set()
        killer.join()
    assert len(killed) >= 2
    assert {r.outcome for r in result.results} == {"crashed"}
    assert "died 2 times" in result.results[0].details[0]
