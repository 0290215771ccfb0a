"""Resource limits for submissions and their workers: defaults, and applying them in a worker."""

from __future__ import annotations

import resource
from dataclasses import asdict, dataclass

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one submission and each of its workers may use. Each has a ``grader grade`` flag."""

    probe_seconds: float = 120.0  # wall clock per answer; past it the check fails
    cpu_seconds: int = 600  # CPU time per worker (one worker per check)
    memory_mb: int = 3072  # address space a worker may add to what the template mapped
    processes: int = 128  # tasks (processes and threads) per submission
    file_mb: int = 64  # largest file a worker may write
    disk_mb: int = 512  # the submission's scratch space (a tmpfs)
    answer_mb: int = 16  # the largest answer a worker may send
    cpus: float = 0.0  # CPU share per submission, in cores; 0: the machine's cores ÷ jobs
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


def apply_rlimits(limits: Limits, *, limit_processes: bool) -> None:
    """Set this process's resource limits (a worker's, before any student code)."""
    for kind, value in ((resource.RLIMIT_CPU, int(limits.cpu_seconds)),
                        (resource.RLIMIT_AS, vm_size() + limits.memory_mb * MiB),
                        (resource.RLIMIT_FSIZE, limits.file_mb * MiB),
                        (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(kind, (value, value))
    if limit_processes:
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
