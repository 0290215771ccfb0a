"""Commands of the check run side by side, each with its output in a log file, each
interrupted (as Ctrl-C would) when it outlasts its time, then killed if it does not end."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from gpu_check.interpreter import ROOT


@dataclass
class Finished:
    """How a command ended: its exit status (None: stopped at its time limit), seconds, output."""

    returncode: int | None
    seconds: float
    output: str

    def tail(self, lines: int = 12) -> str:
        return "\n".join(self.output.strip().splitlines()[-lines:])


class Job:
    """``command`` started now, from the repository's root, its output going to ``log``;
    ``env`` added to this environment."""

    def __init__(self, name: str, command: list[str], log: Path, env: dict[str, str] | None = None) -> None:
        print(f"  ▶ {name}: {' '.join(command[1:])}", flush=True)
        self.log = log
        self.start = time.perf_counter()
        with log.open("wb") as out:
            self.process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out,
                                            stderr=subprocess.STDOUT,
                                            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})

    def wait(self, timeout: float) -> Finished:
        """Wait at most ``timeout`` seconds, then end the command."""
        code: int | None = None
        try:
            code = self.process.wait(timeout=max(1.0, timeout))
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGINT)  # the grader closes its master on Ctrl-C
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        seconds = time.perf_counter() - self.start
        return Finished(code, seconds, self.log.read_text(encoding="utf-8", errors="replace"))
