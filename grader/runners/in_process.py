"""The in-process runner: a check's probes run in this process (the student's own loop)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from grader.probing import wire
from grader.probing.registry import run_probe
from grader.probing.submission import Submission


class InProcessRunner:
    """Runs probes in this process: the student's fast, debuggable loop.

    Inputs and observations still cross the same wire format as with an isolated worker,
    so a check sees exactly the same kind of values under either runner.
    """

    def __init__(self, folder: Path) -> None:
        self.submission = Submission(folder)

    def probe(self, name: str, device: str, inputs: dict[str, Any], check_id: str = "") -> Any:
        return wire.round_trip(run_probe(self.submission, name, device, wire.round_trip(inputs)))

    def check_done(self) -> None:
        """Nothing to end: probes ran in this process."""

    def source(self, module: str) -> str | None:
        path = self.submission.folder / f"{module}.py"
        return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None
