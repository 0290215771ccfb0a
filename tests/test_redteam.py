"""Hostile and broken submissions graded in one isolated batch with honest ones.

Each hostile submission must fail the checks it attacks with a clear verdict, score no
more than its honest code earns, and change nothing outside its scratch folder; the
honest submissions must score exactly what they score when graded alone.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from grader.batch import BatchOptions, grade_batch
from grader.check import spec_of
from grader.sandbox.limits import Limits
from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "redteam"
HONEST = [ROOT / "examples" / "submissions" / "alice", ROOT / "examples" / "submissions" / "bob"]
EXERCISES = ("ex01_tensor_numpy", "ex02_linear")
LIMITS = Limits(probe_seconds=6, cpu_seconds=60, memory_mb=1024, processes=64, file_mb=16, disk_mb=64)

# case → words every failed ex01 check's feedback must contain (any one of them)
VERDICTS = {
    "traceback_printer": ["RuntimeError", "expected"],
    "always_equal": ["expected a torch.Tensor", "expected a numpy.ndarray"],
    "tensor_subclass": ["subclass", "wrong values", "shape", "float32; expected"],
    "conftest_fake_pass": ["Could not import"],
    "rewrite_results": ["shape", "expected"],
    "read_hidden": ["shape (1,)", "returned NoneType"],
    "exit_at_import": ["SystemExit"],
    "os_exit_at_import": ["crashed", "not run"],
    "exit_in_function": ["SystemExit"],
    "os_exit_in_function": ["crashed", "not run"],
    "infinite_loop": ["time limit", "not run"],
    "sleeper": ["time limit", "not run"],
    "memory_bomb": ["MemoryError", "allocate", "crashed", "not run"],
    "process_bomb": ["time limit", "crashed", "not run"],
    "segfault": ["SIGSEGV", "not run"],
    "kill_parent": ["crashed", "not run", "shape", "NoneType"],
    "write_outside": ["shape", "NoneType"],
    "network": ["shape", "NoneType"],
    "patch_torch": ["not trusted"],
    "patch_grader": ["not trusted"],
    "override_tensor_eq": ["not trusted"],
    "syntax_error": ["SyntaxError"],
    "wrong_signature": ["TypeError", "returned int"],
    "recursion": ["RecursionError"],
    "sys_modules_snoop": ["shape (1,)", "returned NoneType"],
    "thread_leftover": ["shape", "NoneType"],
    "symlink_escape": ["shape", "NoneType"],
}
FULL_MARKS_ON_EX01 = {"output_flood"}  # correct code that misbehaves only in harmless ways


def _tree_digest(root: Path) -> str:
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=root, capture_output=True,
                           text=True, check=True).stdout.split()
    digest = hashlib.sha256()
    for name in sorted(files):
        path = root / name
        digest.update(name.encode() + (path.read_bytes() if path.is_file() else b"-"))
    return digest.hexdigest()


class Listener:
    """A TCP listener on 127.0.0.1 that records whether anyone connected."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.5)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.server.close()


def _options(out: Path, jobs: int) -> BatchOptions:
    return BatchOptions(out=out, device="cpu", seed=11, limits=LIMITS, jobs=jobs)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory, all_checks: list) -> dict:
    if os.geteuid() != 0:
        pytest.skip("namespaces need root: file-system and network isolation are unavailable here")
    checks = [fn for fn in all_checks if spec_of(fn).exercise in EXERCISES]
    subs = tmp_path_factory.mktemp("subs")
    shutil.copytree(CORPUS, subs, dirs_exist_ok=True, ignore=shutil.ignore_patterns("README.md"))
    listener = Listener()
    network = subs / "network" / "ex01_tensor_numpy.py"
    network.write_text(network.read_text().replace("__PORT__", str(listener.port)))
    (subs / "symlink_escape" / "ex02_linear.py").symlink_to(ROOT / "solutions" / "ch3" / "ex02_linear.py")
    before = _tree_digest(ROOT)
    folders = sorted(p for p in subs.iterdir() if p.is_dir()) + HONEST
    out = tmp_path_factory.mktemp("out")
    results = {r.name: r for r in grade_batch(folders, checks, _options(out, jobs=2))}
    listener.close()
    alone = {}
    for folder in HONEST:
        alone_out = tmp_path_factory.mktemp(f"alone-{folder.name}")
        alone[folder.name] = grade_batch([folder], checks, _options(alone_out, jobs=1))[0]
    return {"results": results, "alone": alone, "out": out, "before": before, "after": _tree_digest(ROOT),
            "connections": listener.connections}


def test_corpus_is_complete() -> None:
    cases = {p.name for p in CORPUS.iterdir() if p.is_dir()}
    assert cases == set(VERDICTS) | FULL_MARKS_ON_EX01
    assert len(cases) >= 25


@pytest.mark.parametrize("case", sorted(VERDICTS))
def test_attack_fails_with_a_clear_verdict(batch: dict, case: str) -> None:
    result = batch["results"][case]
    ex01 = [r for r in result.results if r.spec.exercise == "ex01_tensor_numpy"]
    assert sum(r.score for r in ex01) == 0
    for r in ex01:
        assert r.message_zh and r.message_en, f"{r.spec.id} has no feedback"
        assert any(word in r.message for word in VERDICTS[case]), f"{r.spec.id}: {r.message}"
        assert "The check itself failed" not in r.message


def test_harmless_misbehaviour_keeps_honest_marks(batch: dict) -> None:
    for case in FULL_MARKS_ON_EX01:
        ex01 = [r for r in batch["results"][case].results if r.spec.exercise == "ex01_tensor_numpy"]
        assert all(r.passed for r in ex01), [r.message for r in ex01 if not r.passed]


def test_symlinked_solution_is_not_graded(batch: dict) -> None:
    ex02 = [r for r in batch["results"]["symlink_escape"].results if r.spec.exercise == "ex02_linear"]
    assert sum(r.score for r in ex02) == 0 and "Could not import" in ex02[0].message


def test_honest_submissions_score_as_when_graded_alone(batch: dict) -> None:
    for name, alone in batch["alone"].items():
        together = batch["results"][name]
        assert [(r.spec.id, r.passed) for r in together.results] == [(r.spec.id, r.passed) for r in alone.results]
    assert batch["results"]["alice"].score == batch["results"]["alice"].max_score


def test_nothing_outside_the_scratch_folders_changed(batch: dict) -> None:
    assert batch["before"] == batch["after"]
    assert not list(Path("/tmp").glob("redteam-*"))
    assert batch["connections"] == 0
    for path in batch["out"].rglob("*.json"):
        assert '"score": 1000' not in path.read_text(encoding="utf-8")


def test_report_states_the_isolation_in_force(batch: dict) -> None:
    isolation = " ".join(batch["results"]["alice"].isolation)
    assert "namespaces" in isolation and "no network" in isolation and "NOT" not in isolation
