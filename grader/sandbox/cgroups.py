"""One cgroup per submission, made and ended by the judge: a CPU share, memory and task caps.

Both layouts are handled: cgroup v1 (separate ``cpu``, ``memory`` and ``pids`` hierarchies)
and v2 (one unified hierarchy). The submission's template is put in its group by the judge
before it forks anything, so every process of the submission is counted; ending the
submission kills whatever is left in the group and removes the group only once it is empty.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from grader.sandbox.limits import Limits, MiB

ROOT = Path("/sys/fs/cgroup")
_V1 = {"cpu": ROOT / "cpu", "memory": ROOT / "memory", "pids": ROOT / "pids"}
_PERIOD = 100_000  # microseconds
_serial = itertools.count()


def layout() -> str | None:
    """``"v2"``, ``"v1"``, or None where this process cannot make cgroups."""
    if (ROOT / "cgroup.controllers").is_file():
        wanted = {"cpu", "memory", "pids"}
        if wanted <= set((ROOT / "cgroup.controllers").read_text().split()) and os.access(ROOT, os.W_OK):
            return "v2"
        return None
    if all(path.is_dir() and os.access(path, os.W_OK) for path in _V1.values()):
        return "v1"
    return None


@functools.cache
def _sweep() -> None:
    """Once per process: remove the empty groups of graders that were killed before they could."""
    for folder in ROOT.glob("*/grader-*-*") if layout() == "v1" else ROOT.glob("grader-*-*"):
        owner = folder.name.split("-")[1]
        if owner.isdigit() and not Path(f"/proc/{owner}").exists():
            with contextlib.suppress(OSError):
                folder.rmdir()


@dataclass
class Cgroup:
    """The folders of one submission's group (one per hierarchy in v1, one in v2)."""

    folders: dict[str, Path]
    version: str

    @classmethod
    def create(cls, limits: Limits, cpus: float, extra_mb: int) -> Cgroup | None:
        """A new group capped at ``cpus`` cores, ``limits.memory_mb + extra_mb`` and
        ``limits.processes`` tasks; None where cgroups cannot be made here."""
        version = layout()
        if version is None:
            return None
        _sweep()
        name = f"grader-{os.getpid()}-{next(_serial)}"
        folders = {"all": ROOT / name} if version == "v2" else {kind: root / name for kind, root in _V1.items()}
        group = cls(folders, version)
        memory, quota = (limits.memory_mb + extra_mb) * MiB, max(1000, int(cpus * _PERIOD))
        try:
            if version == "v2":
                (ROOT / "cgroup.subtree_control").write_text("+cpu +memory +pids")
            for folder in folders.values():
                folder.mkdir()
            if version == "v2":
                settings = {"cpu.max": f"{quota} {_PERIOD}", "memory.max": memory, "memory.swap.max": 0,
                            "pids.max": limits.processes}
                for key, value in settings.items():
                    (folders["all"] / key).write_text(str(value))
            else:
                (folders["cpu"] / "cpu.cfs_period_us").write_text(str(_PERIOD))
                (folders["cpu"] / "cpu.cfs_quota_us").write_text(str(quota))
                (folders["memory"] / "memory.limit_in_bytes").write_text(str(memory))
                (folders["pids"] / "pids.max").write_text(str(limits.processes))
        except OSError:
            group.remove()
            return None
        return group

    def add(self, pid: int) -> None:
        """Move process ``pid`` (as this process sees it) into the group."""
        for folder in self.folders.values():
            (folder / "cgroup.procs").write_text(str(pid))

    def pids(self) -> set[int]:
        found: set[int] = set()
        for folder in self.folders.values():
            with contextlib.suppress(OSError):
                found |= {int(p) for p in (folder / "cgroup.procs").read_text().split()}
        return found

    def kill(self) -> None:
        """SIGKILL every process in the group until none is left (bounded)."""
        if self.version == "v2":
            with contextlib.suppress(OSError):
                (self.folders["all"] / "cgroup.kill").write_text("1")
        for _ in range(100):
            left = self.pids()
            if not left:
                return
            for pid in left:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.01)

    def remove(self, grace: float = 2.0, wait: float = 10.0) -> bool:
        """Give the group ``grace`` seconds to end by itself (its template cleaning up), kill what
        is left, wait until it is empty, remove it; whether it is gone."""
        deadline = time.monotonic() + grace
        while self.pids() and time.monotonic() < deadline:
            time.sleep(0.01)
        self.kill()
        deadline = time.monotonic() + wait
        gone = True
        for folder in self.folders.values():
            while folder.exists():
                try:
                    folder.rmdir()
                except FileNotFoundError:
                    break
                except OSError:  # busy: its last processes are being reaped
                    if time.monotonic() > deadline:
                        gone = False
                        break
                    self.kill()
                    time.sleep(0.02)
        return gone
