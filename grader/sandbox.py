"""How a submission's template and workers are fenced in, as far as this machine allows.

- bubblewrap (``bwrap``), where installed: a read-only view of the file system in which the
  submission's scratch folder is the only writable place; hidden checks, solutions, the
  output folder, other submissions and other scratch folders are hidden behind empty
  folders; no network (a private loopback only); private process, IPC and host-name
  namespaces; every capability dropped.
- Without it, as root: a private network namespace (no network) and nothing for files.
- cgroups, where writable (root): a cap on tasks (processes and threads) and on memory for
  the submission's processes together.
- Always: per-worker resource limits (:mod:`grader.limits`), a wall-clock limit per probe,
  a kill of the worker's whole process group when it is up, death with the judge.
"""

from __future__ import annotations

import ctypes
import glob
import itertools
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from grader.limits import Limits, MiB

CLONE_NEWNET = 0x40000000
_CGROUP_ROOTS = {"pids": Path("/sys/fs/cgroup/pids"), "memory": Path("/sys/fs/cgroup/memory")}
_serial = itertools.count()


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
        """Move the calling process into the group (run in the child before exec)."""
        for folder in self.folders:
            (folder / "cgroup.procs").write_text(str(os.getpid()))

    def remove(self) -> None:
        for folder in self.folders:
            try:
                folder.rmdir()
            except OSError:
                pass


@dataclass
class Sandbox:
    """The measures in force for templates started on this machine."""

    hide: list[Path]
    scratch_root: Path
    bwrap: str | None = field(default_factory=lambda: shutil.which("bwrap"))
    is_root: bool = field(default_factory=lambda: os.geteuid() == 0)
    cgroups: bool = field(default_factory=lambda: all(_writable(r) for r in _CGROUP_ROOTS.values()))

    def command(self, scratch: Path, gpu: bool) -> list[str]:
        """The prefix that starts a template fenced in around ``scratch``."""
        if not self.bwrap:
            return []
        args = [self.bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"]
        if gpu:
            for device in sorted(glob.glob("/dev/nvidia*")):
                args += ["--dev-bind", device, device]
        for path in [*self.hide, self.scratch_root]:
            if path.exists():
                args += ["--tmpfs", str(path)]
        return [*args, "--bind", str(scratch), str(scratch), "--chdir", str(scratch)]

    def before_exec(self, cgroup: Cgroup | None) -> None:
        """Run in the template's process between fork and exec."""
        if cgroup:
            cgroup.enter()
        if not self.bwrap and self.is_root:
            if ctypes.CDLL(None, use_errno=True).unshare(CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNET) failed")

    def measures(self, limits: Limits) -> list[str]:
        """What is in force, in words, for the report."""
        said = [
            "separate worker processes; verdicts reached outside them; only JSON and safetensors come back",
            f"wall clock {limits.probe_seconds:g} s per probe; CPU {limits.cpu_seconds} s, memory "
            f"{limits.memory_mb} MiB, files {limits.file_mb} MiB per worker; output {limits.output_mb} MiB",
            "submission's conftest.py, pytest.ini, sitecustomize.py and .pth files never loaded",
        ]
        if self.bwrap:
            said.append("bubblewrap: read-only file system except the scratch folder; hidden checks, "
                        "solutions, output and other submissions hidden; no network; private PID/IPC "
                        "namespaces; all capabilities dropped")
        else:
            said.append("no file-system isolation (bubblewrap not installed): hidden checks and solutions "
                        "stay readable")
            said.append("no network (private network namespace)" if self.is_root else
                        "network NOT blocked (needs root or bubblewrap)")
        if self.cgroups:
            said.append(f"cgroups: at most {limits.processes} tasks and a memory cap per submission")
        elif not self.is_root:
            said.append(f"at most {limits.processes} processes per worker (RLIMIT_NPROC)")
        else:
            said.append("process count NOT limited (running as root without writable cgroups)")
        return said
