"""Resource limits for worker processes: defaults, and applying them in the worker."""

from __future__ import annotations

import resource
from dataclasses import asdict, dataclass

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one worker may use. Each has a ``grader grade`` flag."""

    probe_seconds: float = 120.0  # wall clock per probe; past it the probe fails
    cpu_seconds: int = 600  # CPU time per worker (one worker per exercise)
    memory_mb: int = 3072  # address space a worker may add to what the template mapped
    processes: int = 128  # tasks (processes and threads) per submission
    file_mb: int = 64  # largest file a worker may write
    output_mb: int = 8  # what a worker may print, in all
    strikes: int = 2  # timeouts or crashes in one exercise before its other checks are skipped
    gpu_memory: float = 0.45  # share of the GPU's memory one worker may allocate

    def to_json(self) -> dict[str, float]:
        return asdict(self)


def vm_size() -> int:
    """Bytes of address space this process has mapped now."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def apply_rlimits(limits: Limits, *, limit_processes: bool) -> list[str]:
    """Set this process's resource limits; describe each one set."""
    applied = []

    def cap(kind: int, value: int, text: str) -> None:
        resource.setrlimit(kind, (value, value))
        applied.append(text)

    cap(resource.RLIMIT_CPU, int(limits.cpu_seconds), f"CPU time {limits.cpu_seconds} s per worker")
    cap(resource.RLIMIT_AS, vm_size() + limits.memory_mb * MiB, f"memory {limits.memory_mb} MiB per worker")
    cap(resource.RLIMIT_FSIZE, limits.file_mb * MiB, f"file size {limits.file_mb} MiB")
    cap(resource.RLIMIT_CORE, 0, "no core dumps")
    if limit_processes:
        cap(resource.RLIMIT_NPROC, limits.processes, f"{limits.processes} processes")
    return applied
