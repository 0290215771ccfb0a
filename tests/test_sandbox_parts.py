"""The fence's parts one by one: the judge's reading of answers, the channel's deadline and cap,
the seccomp filter, scratch removal, cgroups. The whole fence is tried in test_redteam.py."""

from __future__ import annotations

import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import torch

from grader.errors import StudentError
from grader.probing import wire
from grader.probing.registry import ProbeFault
from grader.sandbox.answers import read_answer
from grader.sandbox.cgroups import Cgroup, layout
from grader.sandbox.channel import AnswerLate, AnswerTooLarge, recv_frame, send_frame
from grader.sandbox.fence import remove_tree
from grader.sandbox.limits import Limits

ERROR = {"kind": "raised", "what": "ex01.to_tensor", "exc_type": "ValueError", "message": "m", "where": "a.py:1",
         "mro": ["ValueError", "Exception"]}


def _verdict(text: str, blob: bytes = b"", probe: str = "call") -> StudentError:
    with pytest.raises(StudentError) as caught:
        read_answer(probe, text, blob)
    return caught.value


def test_a_well_formed_answer_is_read() -> None:
    observed = {"kind": "scalar", "type": "int", "value": 3}
    text, blob = wire.encode(observed)
    assert read_answer("call", json.dumps({"observed": text}), blob) == observed
    error = _verdict(json.dumps({"error": ERROR}))
    assert error.kind == "raised" and error.exc_type == "ValueError" and error.is_a("ValueError")


@pytest.mark.parametrize("answer", [
    {"error": {**ERROR, "kind": "no-such-kind"}},  # a kind no worker may report
    {"error": {**ERROR, "kind": "timeout"}},  # judged by the judge alone
    {"error": {**ERROR, "extra": 1}},
    {"error": {k: v for k, v in ERROR.items() if k != "where"}},
    {"error": {**ERROR, "message": 5}},
    {"error": {**ERROR, "mro": [1, 2]}},
    {"observed": 5},
    {"result": "PASSED"},
    {"observed": "{}", "error": ERROR},
    [],
])
def test_a_malformed_answer_is_not_trusted(answer: object) -> None:
    error = _verdict(json.dumps(answer))
    assert error.kind == "tampered" and "untrusted answer" in error.message


def test_unreadable_bytes_are_not_trusted() -> None:
    assert _verdict("[" * 100_000 + "]" * 100_000).kind == "tampered"  # nested past the parser's depth
    assert _verdict("not json").kind == "tampered"
    text, _ = wire.encode({"value": torch.zeros(2)})
    assert "unreadable" in _verdict(json.dumps({"observed": text}), b"\x00garbage").message
    assert _verdict(json.dumps({"observed": json.dumps({"__tensor__": "t9"})})).kind == "tampered"


def test_observations_of_the_wrong_type_are_not_trusted() -> None:
    text, blob = wire.encode({"kind": "scalar", "type": "int", "value": 3, "extra": True})
    assert "unexpected" in _verdict(json.dumps({"observed": text}), blob).message
    text, blob = wire.encode({"kind": "scalar", "type": "int", "value": 3})
    with pytest.raises(ProbeFault, match="no probe named"):  # the check's mistake, not the worker's
        read_answer("no.such.probe", json.dumps({"observed": text}), blob)


def test_the_guard_report_becomes_a_not_trusted_verdict() -> None:
    error = _verdict(json.dumps({"tampered": ["chapters.ch3.probes.ex01._sees"]}))
    assert error.kind == "tampered" and "chapters.ch3.probes.ex01._sees" in error.message
    assert "not trusted" in error.en


def test_an_answer_must_arrive_whole_before_the_deadline() -> None:
    ours, theirs = socket.socketpair()
    theirs.sendall(struct.pack("<II", 10, 0) + b"{")  # one byte of ten, then nothing
    start = time.monotonic()
    with pytest.raises(AnswerLate):
        recv_frame(ours, deadline=start + 0.3, limit=1 << 20)
    assert time.monotonic() - start < 2

    def drip() -> None:  # a byte every 50 ms: each read succeeds, the whole answer is late
        try:
            for _ in range(40):
                theirs.send(b"x")
                time.sleep(0.05)
        except OSError:  # the judge gave up and closed its end
            pass

    theirs.sendall(struct.pack("<II", 100, 0))
    threading.Thread(target=drip, daemon=True).start()
    start = time.monotonic()
    with pytest.raises(AnswerLate):
        recv_frame(ours, deadline=start + 0.5, limit=1 << 20)
    assert time.monotonic() - start < 1.5
    ours.close()


def test_an_answer_over_the_cap_is_refused_before_it_is_read() -> None:
    ours, theirs = socket.socketpair()
    theirs.sendall(struct.pack("<II", 60 << 20, 0))
    with pytest.raises(AnswerTooLarge):
        recv_frame(ours, deadline=time.monotonic() + 5, limit=Limits().answer_mb << 20)
    ours2, theirs2 = socket.socketpair()
    send_frame(theirs2, '{"a": 1}', b"xy")
    assert recv_frame(ours2, deadline=time.monotonic() + 5, limit=100) == ('{"a": 1}', b"xy")


_PROBE_SECCOMP = """
import ctypes, errno, os, sys, threading
from grader.sandbox import seccomp
assert seccomp.load_filter() is None
libc = ctypes.CDLL(None, use_errno=True)
results = {}
def refused(name, call):
    ctypes.set_errno(0)
    results[name] = call() == -1 and ctypes.get_errno() in (errno.EPERM, errno.ENOSYS)
refused("ptrace", lambda: libc.ptrace(16, os.getppid(), 0, 0))
refused("mount", lambda: libc.mount(b"none", b"/tmp", b"tmpfs", 0, None))
refused("unshare", lambda: libc.unshare(0x10000000))
refused("keyctl", lambda: libc.syscall(250, 0, 0, 0, 0, 0))
refused("bpf", lambda: libc.syscall(321, 0, 0, 0))
refused("perf_event_open", lambda: libc.syscall(298, 0, 0, -1, -1, 0))
refused("tiocsti", lambda: libc.ioctl(0, 0x5412, ctypes.c_char_p(b"x")))
refused("tiocsti_high_bits", lambda: libc.ioctl(0, ctypes.c_ulong(0x100005412), ctypes.c_char_p(b"x")))
t = threading.Thread(target=lambda: results.__setitem__("thread", True)); t.start(); t.join()
pid = os.fork()
if pid == 0:
    os._exit(7)
results["fork"] = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 7
print(results)
sys.exit(0 if all(results.values()) else 1)
"""


def test_seccomp_refuses_what_it_says_and_leaves_threads_and_forks() -> None:
    done = subprocess.run([sys.executable, "-c", _PROBE_SECCOMP], capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "'tiocsti': True" in done.stdout and "'thread': True" in done.stdout


def test_a_deep_tree_is_removed(tmp_path: Path) -> None:
    top = tmp_path / "scratch"
    top.mkdir()
    here = os.open(top, os.O_RDONLY)
    for i in range(3000):  # deeper than any path may be long
        os.mkdir("d", dir_fd=here)
        os.symlink("/etc", f"link{i}", dir_fd=here)
        deeper = os.open("d", os.O_RDONLY, dir_fd=here)
        os.close(here)
        here = deeper
    os.chmod(f"/proc/self/fd/{here}", 0)  # a folder its owner locked
    os.close(here)
    remove_tree(top)
    assert not top.exists() and Path("/etc/passwd").exists()


@pytest.mark.skipif(layout() is None, reason="no cgroups can be made here")
def test_a_submission_cgroup_caps_and_ends_everything_in_it() -> None:
    group = Cgroup.create(Limits(memory_mb=256, processes=16), cpus=0.5, extra_mb=0)
    assert group is not None
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"],  # a session of its own
                               start_new_session=True)
    try:
        group.add(sleeper.pid)
        assert sleeper.pid in group.pids()
        if group.version == "v1":
            assert (group.folders["pids"] / "pids.max").read_text().strip() == "16"
            assert (group.folders["cpu"] / "cpu.cfs_quota_us").read_text().strip() == "50000"
        assert group.remove()
        assert sleeper.wait(timeout=10) == -9
        assert not any(folder.exists() for folder in group.folders.values())
    finally:
        if sleeper.poll() is None:
            sleeper.kill()


def test_a_student_cannot_build_an_error_of_an_unknown_kind() -> None:
    with pytest.raises(ValueError):
        StudentError("no-such-kind", "x")


GUARD_SCRIPT = """
import io, torch
from grader.sandbox.integrity import Guard
guard = Guard()
torch.save([torch.zeros(1), torch.nn.Module()], io.BytesIO())  # copyreg caches __slotnames__ on the classes
print(guard.problems())
torch.Tensor.planted = 1
print(guard.problems())
"""


def test_the_guard_lets_python_cache_on_a_class_and_sees_anything_else() -> None:
    out = subprocess.run([sys.executable, "-c", GUARD_SCRIPT], capture_output=True, text=True, timeout=300,
                         check=True).stdout.splitlines()
    assert out[0] == "[]"
    assert "torch.Tensor.planted" in out[1]
