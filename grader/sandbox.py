"""Fencing a submission in, with the kernel's own tools, as far as this machine allows.

As root, each submission's template process enters, before it loads anything of the
submission: new mount, network, PID, IPC and host-name namespaces; a file system made
read-only everywhere except the submission's scratch folder, with hidden checks,
solutions, the output folder, the other submissions and the other scratch folders hidden
behind empty folders; no network at all; a fresh ``/proc`` showing only its own
processes; then it drops every capability and forbids gaining new ones. cgroups, where
writable, cap the tasks (processes and threads) and the memory of a submission together.
Without root, or as a root that may not make namespaces (a container without
``CAP_SYS_ADMIN``, as on Gradescope), only the per-worker resource limits apply, and the
report says so.
"""

from __future__ import annotations

import ctypes
import itertools
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from grader.limits import Limits, MiB

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWPID, CLONE_NEWNET = (
    0x00020000, 0x04000000, 0x08000000, 0x20000000, 0x40000000)
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = (
    1, 2, 4, 8, 32, 4096, 16384, 1 << 18)
PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_SET_DUMPABLE, PR_CAP_AMBIENT = 24, 38, 4, 47
_FLAGS = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC}
_CGROUP_ROOTS = {"pids": Path("/sys/fs/cgroup/pids"), "memory": Path("/sys/fs/cgroup/memory")}
_serial = itertools.count()


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _mount(source: str | None, target: str, kind: str | None, flags: int, data: str | None = None) -> None:
    encode = lambda text: text.encode() if text is not None else None  # noqa: E731
    _check(_libc.mount(encode(source), target.encode(), encode(kind), flags, encode(data)), f"mount {target}")


def _mounts() -> list[tuple[str, int]]:
    """(mount point, flags to keep) of every mount this process sees."""
    found = []
    with open("/proc/self/mountinfo", encoding="utf-8") as table:
        for line in table:
            fields = line.split()
            point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[4])
            flags = sum(bit for name, bit in _FLAGS.items() if name in fields[5].split(","))
            found.append((point, flags))
    return found


def _writable(path: Path) -> bool:
    return path.is_dir() and os.access(path, os.W_OK)


@dataclass
class Cgroup:
    """One submission's cgroups (v1 ``pids`` and ``memory`` hierarchies)."""

    folders: list[Path] = field(default_factory=list)

    @classmethod
    def create(cls, limits: Limits, template_mb: int) -> Cgroup | None:
        if not all(_writable(root) for root in _CGROUP_ROOTS.values()):
            return None
        name = f"grader-{os.getpid()}-{next(_serial)}"
        group = cls([root / name for root in _CGROUP_ROOTS.values()])
        try:
            for folder in group.folders:
                folder.mkdir()
            (group.folders[0] / "pids.max").write_text(str(limits.processes))
            (group.folders[1] / "memory.limit_in_bytes").write_text(str((limits.memory_mb + template_mb) * MiB))
        except OSError:
            group.remove()
            return None
        return group

    def enter(self) -> None:
        """Move the calling process into the group."""
        for folder in self.folders:
            (folder / "cgroup.procs").write_text(str(os.getpid()))

    def remove(self) -> None:
        for folder in self.folders:
            try:
                folder.rmdir()
            except OSError:
                pass


@dataclass(frozen=True)
class Fence:
    """What one submission's template is fenced in by."""

    scratch: str
    hide: tuple[str, ...]

    def enter(self) -> None:
        """New namespaces and the read-only view (in the template, before its PID-1 fork)."""
        _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS), "unshare")
        _mount(None, "/", None, MS_REC | MS_PRIVATE)
        keep = os.open(self.scratch, os.O_RDONLY | os.O_DIRECTORY)
        for path in self.hide:
            if os.path.isdir(path):
                _mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=755")
        os.makedirs(self.scratch, exist_ok=True)  # inside a hiding tmpfs, if the scratch root is hidden
        _mount(f"/proc/self/fd/{keep}", self.scratch, None, MS_BIND)
        os.close(keep)
        for point, flags in _mounts():
            if point != self.scratch:
                _mount(None, point, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | flags)
        if os.path.isdir("/dev/shm"):  # private shared memory, for DataLoader workers
            _mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=256m,mode=1777")

    @staticmethod
    def finish() -> None:
        """As PID 1 of the new namespace: its own ``/proc``, then no capability, ever."""
        _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
        _check(_libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "prctl(dumpable)")
        _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(no_new_privs)")
        _libc.prctl(PR_CAP_AMBIENT, 4, 0, 0, 0)  # clear the ambient set
        for cap in range(64):
            _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)  # unknown numbers fail harmlessly
        header = (ctypes.c_uint32 * 2)(0x20080522, 0)
        data = (ctypes.c_uint32 * 6)()
        _check(_libc.capset(header, data), "capset")


def _succeeds_in_child(body: Callable[[], None]) -> bool:
    """Whether ``body()`` returns without raising in a forked child, which then exits."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            body()
            code = 0
        finally:
            os._exit(code)
    return os.waitpid(pid, 0)[1] == 0


def can_fence() -> bool:
    """Whether a fence can be built here: tried in full in a throw-away child.

    Root is not enough: containers often withhold ``CAP_SYS_ADMIN`` (``unshare`` and
    ``mount`` then fail) or filter those calls.
    """
    if os.geteuid() != 0:
        return False
    with tempfile.TemporaryDirectory(prefix="grader-fence-probe-") as scratch:

        def fence_in() -> None:
            Fence(scratch, ()).enter()
            if not _succeeds_in_child(Fence.finish):  # as PID 1 of the new namespace
                raise OSError("cannot finish the fence")

        return _succeeds_in_child(fence_in)


@dataclass
class Sandbox:
    """The measures in force for this batch."""

    hide: list[Path]
    scratch_root: Path
    is_root: bool = field(default_factory=lambda: os.geteuid() == 0)
    namespaces: bool = field(default_factory=can_fence)
    cgroups: bool = field(default_factory=lambda: all(_writable(r) for r in _CGROUP_ROOTS.values()))

    def fence(self, scratch: Path) -> Fence | None:
        """The fence for one submission's scratch folder, or None where it cannot be built."""
        if not self.namespaces:
            return None
        return Fence(str(scratch), tuple(str(p) for p in [*self.hide, self.scratch_root]))

    def measures(self, limits: Limits, device: str = "cpu", gpu_slots: int = 1) -> list[str]:
        """What is in force, in words, for the report."""
        gpu = (f"GPU: at most {gpu_slots} submissions at once, {limits.gpu_memory:.0%} of its memory per worker"
               if device.startswith("cuda") else "no GPU used: student code ran on the CPU")
        said = [gpu,
            "separate worker processes; verdicts reached outside them; only JSON and safetensors come back",
            f"wall clock {limits.probe_seconds:g} s per probe; CPU {limits.cpu_seconds} s, memory "
            f"{limits.memory_mb} MiB, files {limits.file_mb} MiB per worker; output {limits.output_mb} MiB",
            "the submission's conftest.py, pytest.ini, sitecustomize.py, .pth files and links never loaded",
        ]
        if self.namespaces:
            said.append("namespaces: read-only file system except the scratch folder; hidden checks, "
                        "solutions, output and other submissions hidden; no network; own PID, IPC and "
                        "host-name namespaces; every capability dropped, no new privileges")
        else:
            why = "namespaces refused here, e.g. no CAP_SYS_ADMIN" if self.is_root else "needs root"
            said.append(f"NOT in force ({why}): file-system hiding, network blocking, PID namespace; "
                        "hidden checks and solutions stay readable")
        if self.cgroups:
            said.append(f"cgroups: at most {limits.processes} tasks and a memory cap per submission")
        elif not self.is_root:
            said.append(f"at most {limits.processes} processes (RLIMIT_NPROC)")
        else:
            said.append("process count NOT limited (no writable cgroups)")
        return said
