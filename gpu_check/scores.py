"""The example class graded on CUDA must score exactly what it scores on the CPU, check by check."""

from __future__ import annotations

from pathlib import Path

from gpu_check.outcome import Outcome
from gpu_check.records import load


def compare(cuda: Path, cpu: Path, names: list[str]) -> Outcome:
    """Each of ``names`` in the CUDA run ``cuda`` against the CPU run ``cpu``."""
    said, held = [], True
    for name in names:
        on_gpu, on_cpu = load(cuda, name), load(cpu, name)
        if on_gpu is None or on_cpu is None:
            said.append(f"{name} not graded on {'CUDA' if on_gpu is None else 'the CPU'}")
            held = False
            continue
        differ = sorted(c for c in on_gpu.passed.keys() | on_cpu.passed.keys()
                        if on_gpu.passed.get(c) != on_cpu.passed.get(c))
        held = held and not differ and on_gpu.score == on_cpu.score
        said.append(f"{name} {on_gpu.score:g}/{on_gpu.max_score:g} on CUDA, {on_cpu.score:g} on the CPU"
                    + (f" (differ: {', '.join(differ[:4])}{' …' if len(differ) > 4 else ''})" if differ else ""))
    return Outcome("scores on CUDA = scores on the CPU (graded beside the bomb)", held, "; ".join(said))
