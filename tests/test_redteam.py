"""The red-team corpus (tests/redteam/, see its README), graded in one isolated batch with honest ones.

One fixture runs the real ``grader grade`` in a subprocess, under a pseudo-terminal as its
controlling terminal, with a canary secret in its environment, a classmate whose folder
name holds a second secret, solution backups planted on disk and a TCP listener on the
loopback address. The tests then read what the batch wrote and what it left behind: every
attack scores no more than it may, with a clear verdict; nothing it could read reached its
own report; the terminal, the disk, the kernel settings and the process table are as they
were; honest submissions score as when graded alone.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import os
import pty
import secrets
import shutil
import socket
import subprocess
import sys
import termios
import threading
import time
import tty
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader.grading.grade import SubmissionResult
from grader.grading.store import finished
from grader.judge.check import CheckResult
from grader.sandbox.master import _refused, bwrap_command
from tests.conftest import COURSE, ROOT

CORPUS = ROOT / "tests" / "redteam"
HONEST = {"alice": ROOT / "examples" / "submissions" / "alice", "bob": ROOT / "examples" / "submissions" / "bob"}
EX01, EX02, EX06, EX09 = "ex01_tensor_numpy", "ex02_linear", "ex06_einsum", "ex09_module_call"
FLAGS = ["--seed", "11", "--device", "cpu", "--jobs", "2", "--timeout", "6", "--cpu-seconds", "60",
         "--memory-mb", "1024", "--processes", "64", "--file-mb", "16", "--disk-mb", "64"]
BATCH_SECONDS = 1200
CORE_PATTERN = Path("/proc/sys/kernel/core_pattern")
# what other tests, run at the same time (pytest-xdist), leave in /tmp; what the corpus writes is named redteam-*
CONCURRENT = ("pytest-of-", "grader-", "probe-", "pip-", "tmp")


@dataclass(frozen=True)
class Case:
    """What one case may score on the exercises it attacks, and what its failed checks must say.

    By default it scores 0 there. ``full``: harmless misbehaviour, full marks. ``twin``: no
    more than that case (its honest twin). ``honest``: a twin itself, no bound. ``taken``: a
    takeover, scoring like its twin on every check but this one.
    """

    words: tuple[str, ...]  # each failed check of the exercises says one of these
    exercises: tuple[str, ...] = (EX01,)
    full: bool = False
    twin: str = ""
    honest: bool = False
    taken: str = ""


WRONG = ("shape", "NoneType", "returned")
CASES: dict[str, Case] = {
    # broken or hostile code
    "always_equal": Case(("expected a torch.Tensor", "expected a numpy.ndarray")),
    "conftest_fake_pass": Case(("Could not import",)),
    "exit_at_import": Case(("SystemExit",)),
    "exit_in_function": Case(("SystemExit",)),
    "infinite_loop": Case(("time limit", "not run")),
    "kill_parent": Case(("crashed", "not run", *WRONG)),
    # on a busy machine the cgroup's reclaim may slow a memory bomb past the answer limit
    "memory_bomb": Case(("MemoryError", "allocate", "crashed", "time limit", "not run")),
    "os_exit_at_import": Case(("crashed", "not run")),
    "os_exit_in_function": Case(("crashed", "not run")),
    "output_flood": Case((), full=True),
    "override_tensor_eq": Case(("not trusted",)),
    "patch_grader": Case(("not trusted",)),
    "patch_torch": Case(("not trusted",)),
    "process_bomb": Case(("time limit", "crashed", "not run")),
    "recursion": Case(("RecursionError",)),
    "rewrite_results": Case(WRONG),
    "segfault": Case(("SIGSEGV", "not run")),
    "sleeper": Case(("time limit", "not run")),
    "syntax_error": Case(("SyntaxError",)),
    "tensor_subclass": Case(("subclass", "wrong values", "shape", "float32; expected")),
    "thread_leftover": Case(("not trusted", *WRONG)),
    "traceback_printer": Case(("RuntimeError", "expected")),
    "wrong_signature": Case(("TypeError", "returned int")),
    # escapes and leaks: right answers only if the breach worked
    "disk_walk": Case(WRONG),
    "environ_leak": Case(("RuntimeError", "ValueError", *WRONG)),
    "fd_scribble": Case(("not trusted", *WRONG)),
    "git_history": Case(WRONG),
    "host_devices": Case(WRONG),
    "load_example": Case(WRONG),
    "network": Case(WRONG),
    "proc_sys_write": Case(WRONG),
    "read_hidden": Case(WRONG),
    "sibling_mem": Case(WRONG),
    "symlink_escape": Case(("Could not import", *WRONG), exercises=(EX01, EX02)),
    "sys_modules_snoop": Case(WRONG),
    "tiocsti": Case(WRONG),
    "write_outside": Case(WRONG),
    # damage
    "bad_error_kind_call": Case(("ValueError: no such kind", "not trusted")),
    "bad_error_kind_import": Case(("Could not import",)),
    "deep_tree": Case(WRONG),
    "fill_disk": Case(WRONG),
    "fork_bomb": Case(("time limit", "crashed", "not run", "Could not import")),
    "huge_answer": Case(("not trusted", "time limit", "not run")),
    "one_byte": Case(("time limit", "not run")),
    "setsid_children": Case(("time limit", "crashed", "not run", *WRONG)),
    "stop_group": Case(("time limit", "crashed", "not run", *WRONG)),
    # forged observations (with an honest twin where the attack rides on partly right code)
    "einsum_spy": Case(("do not call torch.einsum",), exercises=(EX06,), twin="einsum_spy_twin"),
    "einsum_spy_dynamo": Case(("do not call torch.einsum",), exercises=(EX06,), twin="einsum_spy_twin"),
    "einsum_spy_twin": Case(("do not call torch.einsum",), exercises=(EX06,), honest=True),
    "fake_sees": Case(("not trusted", "copied"), twin="fake_sees_twin"),
    "fake_sees_late": Case(("not trusted", "copied"), twin="fake_sees_twin"),
    "fake_sees_twin": Case(("copied",), honest=True),
    "takeover": Case(("copied", "not trusted"), twin="takeover_twin", taken=f"{EX01}.to_tensor_any_dtype"),
    "takeover_twin": Case(("copied",), honest=True),
    "pycache_plant": Case(("Not implemented", *WRONG), exercises=(EX01, EX09)),
}
ISOLATION = ("allow-list root (bubblewrap)", "own mount, PID, network, IPC and host-name namespaces",
             "uid 65534 (nobody) in a user namespace", "seccomp:", "cgroup per submission")


# -- what the machine looked like --

def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "-"


def _repository_files() -> dict[str, str]:
    """Every tracked and untracked (not ignored) file of the repository, by content."""
    names = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.splitlines()
    return {name: _digest(ROOT / name) for name in names}


def _tree_files(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): _digest(p) for p in sorted(root.rglob("*"))}


def _changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def _start_time(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


class Descendants(threading.Thread):
    """Records every process seen below ``pid`` (process id → start time) while it runs."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.seen, self.running = pid, {}, True

    def run(self) -> None:
        while self.running:
            parents = {}
            for name in os.listdir("/proc"):
                try:
                    parents[int(name)] = int(Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()[1])
                except (ValueError, OSError, IndexError):
                    continue
            for child in parents:
                ancestor, hops = parents.get(child), 0
                while ancestor and ancestor != self.pid and hops < 64:
                    ancestor, hops = parents.get(ancestor), hops + 1
                if ancestor == self.pid and child not in self.seen:
                    self.seen[child] = _start_time(child)
            time.sleep(0.3)

    def alive(self) -> list[int]:
        """The recorded processes still running (the same process: the same start time)."""
        return [pid for pid, start in self.seen.items() if start is not None and _start_time(pid) == start]


class Listener:
    """A TCP listener on 127.0.0.1 that counts connections."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.5)
        self.port, self.connections, self.running = self.server.getsockname()[1], 0, True
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


# -- the batch --

def _course(folder: Path, exercises: tuple[str, ...]) -> Path:
    """A course of ``exercises`` alone: a manifest listing them, their public and hidden checks,
    and the chapter's probes and judging helpers."""
    chapter = COURSE.chapter_of(exercises[0])
    entries = "".join(f'\n[[chapters.exercises]]\nid = "{e.id}"\ntitle = "{e.id}"\npoints = {e.points}\n'
                      for e in chapter.exercises if e.id in exercises)
    folder.mkdir(parents=True)
    (folder / "course.toml").write_text(f'[course]\nid = "redteam"\ntitle = "red team"\n'
                                        f'preload = {list(COURSE.preload)!r}'
                                        f'\n\n[[chapters]]\nid = "{chapter.id}"\ntitle = "{chapter.id}"\n{entries}',
                                        encoding="utf-8")
    shutil.copytree(ROOT / "chapters", folder / "chapters", ignore=shutil.ignore_patterns("__pycache__", "mutants"))
    for exercise in exercises:
        for source, target in ((chapter.stubs(ROOT) / f"test_{exercise}.py", chapter.stubs(folder)),
                               (chapter.hidden(ROOT) / f"test_hidden_{exercise}.py", chapter.hidden(folder))):
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
    return folder


def _submissions(folder: Path, port: int, classmate: str) -> list[Path]:
    """The corpus, made ready (port, link, stub), the honest examples and a classmate."""
    shutil.copytree(CORPUS, folder, ignore=shutil.ignore_patterns("README.md", "__pycache__"))
    network = folder / "network" / f"{EX01}.py"
    network.write_text(network.read_text().replace("__PORT__", str(port)))
    (folder / "symlink_escape" / f"{EX02}.py").symlink_to(ROOT / "solutions" / "ch3" / f"{EX02}.py")
    shutil.copy(ROOT / "exercises" / "ch3" / f"{EX09}.py", folder / "pycache_plant")
    shutil.copytree(HONEST["bob"], folder / classmate)
    return sorted(p for p in folder.iterdir() if p.is_dir()) + list(HONEST.values())


def _plant_backups(token: str) -> list[Path]:
    """Copies of the solutions where a careless instructor might keep them."""
    backups = [Path(f"/tmp/redteam-backup-{token}"), Path(f"/root/redteam-backup-{token}")]
    for backup in backups:
        shutil.copytree(ROOT / "solutions", backup / "solutions")
    return backups


def _take_terminal() -> None:
    """In the child, after setsid(): make stdin (the pty's slave) the controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _drain(fd: int, into: bytearray) -> None:
    while True:
        try:
            data = os.read(fd, 1 << 16)
        except OSError:
            return
        if not data:
            return
        into += data


def _pending_input(fd: int) -> bytes:
    """What waits to be read on the terminal (keystrokes pushed into it)."""
    os.set_blocking(fd, False)
    try:
        return os.read(fd, 1 << 16)
    except BlockingIOError:
        return b""


def _grade(folders: list[Path], course: Path, out: Path, **popen: object) -> subprocess.Popen:
    command = [sys.executable, "-m", "grader.cli", "--course", str(course), "grade", *map(str, folders),
               "--out", str(out), *FLAGS]
    return subprocess.Popen(command, cwd=ROOT, **popen)  # type: ignore[call-overload]


@dataclass
class Judged:
    """How the judge's run went, seen from its terminal."""

    code: int
    pid: int
    seconds: float
    terminal: str  # the pty's name, e.g. /dev/pts/3
    typed: bytes  # input waiting on the terminal afterwards: keystrokes pushed into it
    screen: bytes  # what the judge printed


def _judge_under_terminal(folders: list[Path], course: Path, out: Path, canary: str) -> tuple[Judged, Descendants]:
    """Run the batch with a pty as its controlling terminal and ``canary`` in its environment."""
    controller, terminal = pty.openpty()
    name = os.ttyname(terminal)
    tty.setraw(terminal)  # keystrokes pushed into it can be read at once
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/root"),
           "LANG": "C.UTF-8", "GRADER_CANARY": canary}
    start = time.monotonic()
    judge = _grade(folders, course, out, stdin=terminal, stdout=terminal, stderr=terminal, env=env,
                   start_new_session=True, preexec_fn=_take_terminal)
    watch = Descendants(judge.pid)
    watch.start()
    screen = bytearray()
    threading.Thread(target=_drain, args=(controller, screen), daemon=True).start()
    try:
        code = judge.wait(timeout=BATCH_SECONDS)
    finally:
        judge.kill()
        watch.running = False
    seconds = time.monotonic() - start
    time.sleep(2)  # what dies with its parent needs a moment
    typed = _pending_input(terminal)
    os.close(terminal)
    os.close(controller)
    return Judged(code, judge.pid, seconds, name, typed, bytes(screen)), watch


@dataclass
class Batch:
    """What the batch wrote, and what the machine looked like before and after."""

    out: Path
    judged: Judged
    leaks: list[str]  # what no attacker's report may hold
    classmate: str
    alone: dict[str, SubmissionResult | None]
    connections: int
    changed: dict[str, list[str]]
    core_pattern: tuple[str, str]
    left_processes: list[str]
    left_cgroups: list[str]
    watched: int  # processes seen below the judge while it ran

    def result(self, name: str) -> SubmissionResult:
        found = finished(self.out, name)
        assert found is not None, f"{name}: no grading.json"
        return found


def _bwrap_missing() -> str | None:
    command = bwrap_command(sys.executable, "cpu", COURSE)
    return "bubblewrap (bwrap) is not installed" if command is None else _refused(command)


def _snapshot(backups: list[Path]) -> dict[str, dict[str, str]]:
    return {"repository": _repository_files(), "/tmp": dict.fromkeys(os.listdir("/tmp"), ""),
            **{str(b): _tree_files(b) for b in backups}}


def _changes(before: dict[str, dict[str, str]], after: dict[str, dict[str, str]]) -> dict[str, list[str]]:
    """What changed, per place; in /tmp only new names that are not another test's."""
    changed = {where: _changed(before[where], after[where]) for where in before}
    changed["/tmp"] = [n for n in changed["/tmp"] if n not in before["/tmp"]
                       and ("redteam" in n or not n.startswith(CONCURRENT))]
    return changed


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    if os.geteuid() != 0:
        pytest.skip("the fence needs root: namespaces, cgroups and the allow-list root are unavailable here")
    why = _bwrap_missing()
    if why:
        pytest.skip(f"the allow-list root cannot be built here: {why}")
    base = tmp_path_factory.mktemp("redteam")
    canary, token = secrets.token_hex(16), secrets.token_hex(16)
    classmate = f"redteam-classmate-{token}"
    course = _course(base / "course", (EX01, EX02, EX06, EX09))
    listener = Listener()
    folders = _submissions(base / "subs", listener.port, classmate)
    backups = _plant_backups(token)
    core_before = CORE_PATTERN.read_text()
    try:
        before = _snapshot(backups)
        judged, watch = _judge_under_terminal(folders, course, base / "out", canary)
        listener.close()
        changed = _changes(before, _snapshot(backups))
    finally:
        for backup in backups:
            shutil.rmtree(backup)
        core_after = CORE_PATTERN.read_text()
        if core_after != core_before:
            CORE_PATTERN.write_text(core_before)
    alone: dict[str, SubmissionResult | None] = {}
    for name, folder in HONEST.items():
        _grade([folder], course, base / f"alone-{name}", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).wait()
        alone[name] = finished(base / f"alone-{name}", name)
    leaks = [canary, token, judged.terminal, str(base), "grader.cli"]  # base: in the judge's command line
    return Batch(base / "out", judged, leaks, classmate, alone, listener.connections, changed,
                 (core_before, core_after), _left_processes(judged.pid, watch), _left_cgroups(judged.pid),
                 len(watch.seen))


def _proc_text(pid: int | str, part: str) -> str:
    try:
        return Path(f"/proc/{pid}/{part}").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _left_processes(judge: int, watch: Descendants) -> list[str]:
    """Processes of this batch still running: seen below the judge, or a template in one of its cgroups."""
    left = set(watch.alive())
    for pid in filter(str.isdigit, os.listdir("/proc")):
        if "grader.sandbox.template" in _proc_text(pid, "cmdline") and f"grader-{judge}-" in _proc_text(pid, "cgroup"):
            left.add(int(pid))
    return [f"{pid}: {_proc_text(pid, 'cmdline')[:200]}" for pid in sorted(left) if _proc_text(pid, "cmdline")]


def _left_cgroups(judge: int) -> list[str]:
    root = Path("/sys/fs/cgroup")
    return [str(p) for pattern in (f"grader-{judge}-*", f"*/grader-{judge}-*") for p in root.glob(pattern)]


# -- the tests --

def _exercise_results(result: SubmissionResult, exercises: tuple[str, ...]) -> list[CheckResult]:
    return [r for r in result.results if r.spec.exercise in exercises]


def test_corpus_is_complete() -> None:
    cases = {p.name for p in CORPUS.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert cases == set(CASES)
    assert all(CASES[c].twin in CASES for c in CASES if CASES[c].twin)
    for module in CORPUS.glob("*/ex*.py"):  # each says what it tries
        assert module.parent.name == "syntax_error" or module.read_text(encoding="utf-8").startswith('"""'), module


@pytest.mark.parametrize("case", sorted(CASES))
def test_attack_is_contained(batch: Batch, case: str) -> None:
    expect, result = CASES[case], batch.result(case)
    for r in result.results:
        assert r.outcome != "check_error" and "The check itself failed" not in r.message, f"{r.spec.id}: {r.message}"
    checks = _exercise_results(result, expect.exercises)
    for r in checks:
        if not r.passed:
            assert r.message_zh and r.message_en, f"{r.spec.id} has no feedback"
            assert any(word in r.message for word in expect.words), f"{r.spec.id}: {r.message}"
    score = sum(r.score for r in checks)
    if expect.full:
        assert all(r.passed for r in checks), [r.message for r in checks if not r.passed]
    elif expect.twin:
        twin = {r.spec.id: r for r in _exercise_results(batch.result(expect.twin), expect.exercises)}
        if expect.taken:  # a takeover forges the one check it took over, and no other
            differ = [r.spec.id for r in checks if r.spec.id != expect.taken and r.passed != twin[r.spec.id].passed]
            assert not differ, f"{case} differs from {expect.twin} on {differ}"
        else:
            assert score <= sum(r.score for r in twin.values()), \
                f"{case} scores {score:g} on {expect.exercises}, its twin {expect.twin} " \
                f"{sum(r.score for r in twin.values()):g}: passed " \
                f"{[r.spec.id for r in checks if r.passed and not twin[r.spec.id].passed]}"
    elif not expect.honest:
        assert score == 0, f"{case} scores {score:g}: passed {[r.spec.id for r in checks if r.passed]}"


def test_nothing_read_reaches_the_attackers_own_files(batch: Batch) -> None:
    for folder in sorted(p for p in batch.out.iterdir() if p.is_dir() and p.name in CASES):
        for name in ("grading.json", "results.json", "feedback.md", "feedback.html"):
            text = (folder / name).read_text(encoding="utf-8")
            found = [s for s in [*batch.leaks, batch.classmate] if s in text]
            assert not found, f"{folder.name}/{name} holds {found}"


def test_no_keystroke_reached_the_terminal(batch: Batch) -> None:
    assert batch.judged.typed == b""
    assert b"redteam-pwned" not in batch.judged.screen


def test_the_batch_completes(batch: Batch) -> None:
    assert batch.judged.code == 0, batch.judged.screen[-3000:].decode(errors="replace")
    names = {p.name for p in batch.out.iterdir() if p.is_dir()}
    assert names == set(CASES) | set(HONEST) | {batch.classmate}
    for table in ("gradebook.csv", "lms.csv"):
        with open(batch.out / table, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))[1:]
        assert sorted(row[0] for row in rows) == sorted(names), table
    assert (batch.out / "junit.xml").stat().st_size > 0
    print(f"batch of {len(names)} submissions: {batch.judged.seconds:.0f} s")


def test_honest_submissions_score_as_when_graded_alone(batch: Batch) -> None:
    for name, twin in [("alice", "alice"), ("bob", "bob"), (batch.classmate, "bob")]:
        together, alone = batch.result(name), batch.alone[twin]
        assert alone is not None, f"{twin} was not graded alone"
        assert [(r.spec.id, r.passed) for r in together.results] == [(r.spec.id, r.passed) for r in alone.results]
    assert all(r.outcome in ("passed", "failed") for r in batch.result("alice").results)


def test_nothing_outside_the_scratch_changed(batch: Batch) -> None:
    for where, names in batch.changed.items():
        assert not names, f"{where}: changed {names[:20]}"
    assert batch.core_pattern[0] == batch.core_pattern[1]
    assert batch.connections == 0


def test_nothing_outlives_the_batch(batch: Batch) -> None:
    assert batch.watched > len(CASES), "the watch saw too few of the batch's processes to tell"
    assert not batch.left_cgroups
    assert not batch.left_processes


def test_report_states_the_isolation_in_force(batch: Batch) -> None:
    isolation = batch.result("alice").isolation
    assert not [line for line in isolation if "NOT" in line], isolation
    for measure in ISOLATION:
        assert any(measure in line for line in isolation), f"{measure!r} not in {isolation}"
