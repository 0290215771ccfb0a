"""Runners carry a check's probes to the student code and its observations back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from grader import wire
from grader.errors import StudentError
from grader.probes import PROBES
from grader.student import Submission


def run_probe(sub: Submission, name: str, device: str, inputs: dict[str, Any]) -> Any:
    """Probe ``name``'s observations; whatever the student code raised, as a :class:`StudentError`."""
    try:
        return PROBES[name](sub, device, **inputs)
    except StudentError:
        raise
    except BaseException as exc:  # anything the student code raised, stubs and exit() included
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise StudentError.from_exception(exc, name, sub.folder) from None


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
