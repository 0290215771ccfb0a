"""The isolation measures in force for one submission, in words, for its report.

Built from facts, not intentions: whether the master runs under bubblewrap, what the
submission's template reported about itself once fenced (before any student code ran),
and whether its cgroup could be made. Anything that did not hold is said with "NOT".
"""

from __future__ import annotations

from typing import Any

from grader.sandbox.limits import Limits


def describe(*, fenced_root: str | None, facts: dict[str, Any], cgroup: bool, limits: Limits, cpus: float,
             device: str = "cpu", gpu_slots: int = 1) -> list[str]:
    """``fenced_root``: None when the allow-list root is in force, else why not."""
    said = [
        (f"GPU: at most {gpu_slots} submissions at once, {limits.gpu_memory:.0%} of its memory per worker"
         if device.startswith("cuda") else "no GPU used: student code ran on the CPU"),
        "a fresh worker process per check; verdicts reached outside it; only JSON and safetensors come back, "
        f"each answer whole within {limits.probe_seconds:g} s, at most {limits.answer_mb} MiB, checked against "
        "the probe's declared type",
        f"CPU {limits.cpu_seconds} s, memory {limits.memory_mb} MiB, files {limits.file_mb} MiB per worker",
        "modules loaded from source only (no bytecode cache); the submission's conftest.py, "
        "sitecustomize.py, .pth files, folders and links never loaded",
        "empty environment, a session of its own with no terminal, every descriptor closed but its channel",
    ]
    if fenced_root is None:
        said.append("allow-list root (bubblewrap): only the Python runtime, the grader package and the course's "
                    "probes, read-only; no course repository, home or other folder of this machine; /dev: null, "
                    "zero, random, urandom; its own /proc, /proc/sys read-only")
    else:
        said.append(f"allow-list root NOT in force ({fenced_root}): the worker sees this machine's files "
                    "as its user may")
    if facts.get("namespaces"):
        said.append(f"own mount, PID, network, IPC and host-name namespaces; no network; scratch: a "
                    f"{limits.disk_mb} MiB tmpfs, the submission's files read-only")
    else:
        said.append("per-submission namespaces NOT in force: no private scratch size cap, network not blocked")
    uid, caps = facts.get("uid"), facts.get("capabilities")
    if uid == 65534 and caps == 0:
        said.append("uid 65534 (nobody)" + (" in a user namespace" if facts.get("namespaces") else "")
                    + ", no capabilities, no new privileges")
    elif caps == 0:
        why = "nobody cannot read the Python runtime here" if uid == 0 else "the grader was not started as root"
        said.append(f"unprivileged user NOT in force: workers ran as uid {uid} ({why}), without capabilities")
    else:
        said.append(f"unprivileged user NOT in force: workers ran as uid {uid} with capabilities")
    failed = facts.get("seccomp")
    said.append(f"seccomp filter NOT in force ({failed})" if failed else
                "seccomp: ptrace, mount, namespaces, keyctl, bpf, perf_event_open, io_uring, kernel modules "
                "and TIOCSTI refused")
    if cgroup:
        said.append(f"cgroup per submission: {cpus:g} CPUs, memory {limits.memory_mb} MiB + template, "
                    f"{limits.processes} tasks")
    else:
        said.append("cgroup NOT in force (none can be made here): no CPU share or memory cap per submission"
                    + ("" if facts.get("namespaces") else f"; at most {limits.processes} processes (RLIMIT_NPROC)"))
    return said
