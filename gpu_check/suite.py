"""The public suite against the reference, with student code on CUDA."""

from __future__ import annotations

import re

from gpu_check.jobs import Finished
from gpu_check.outcome import Outcome

ARGS = ["-m", "pytest", "exercises/ch3", "-q", "-p", "no:cacheprovider", "--impl", "solutions/ch3", "--device", "cuda"]
ENV = {"OMP_NUM_THREADS": "4"}  # it runs beside two gradings: its share of the cores


def outcome(finished: Finished) -> Outcome:
    """Passed when pytest exits 0; the figures are its summary line (the failures' lines when not)."""
    name = "public suite on CUDA (pytest exercises/ch3 --impl solutions/ch3 --device cuda)"
    summary = re.findall(r"^=*\s*(\d+ (?:passed|failed|error).*?)\s*=*$", finished.output, re.MULTILINE)
    said = summary[-1] if summary else "no summary"
    if finished.returncode == 0:
        return Outcome(name, True, f"{said} ({finished.seconds:.0f} s)")
    late = "stopped at its time limit; " if finished.returncode is None else ""
    return Outcome(name, False, f"{late}{said}\n{finished.tail()}")
