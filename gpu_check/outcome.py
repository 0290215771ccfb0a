"""What each part of the GPU check found, and why the check may stop before it starts."""

from __future__ import annotations

from dataclasses import dataclass


class CheckStopped(Exception):
    """The check cannot run on this machine; ``zh`` and ``en`` say why, in one line each."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en

    def line(self) -> str:
        """The one-line reason, 中文 first."""
        return f"gpu-check: {self.zh} / {self.en}"


@dataclass(frozen=True)
class Outcome:
    """One proof: its name, whether it held, and the figures that say so."""

    name: str
    held: bool
    figures: str

    def line(self) -> str:
        return f"{'✓' if self.held else '✗'} {self.name}: {self.figures}"
