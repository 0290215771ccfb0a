"""Deliberately wrong implementations: each must lose points on the check meant to catch it.

A mutant is the reference solution with one text replacement, so it stays in step with
the reference (a replacement that no longer applies fails its test loudly). Each module
``tests/mutants/<exercise>.py`` holds a list ``MUTANTS``.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    exercise: str
    name: str
    catches: str  # the check name (without the exercise prefix) that must fail
    old: str  # text that occurs exactly once in the reference solution
    new: str

    def apply(self, source: str) -> str:
        count = source.count(self.old)
        if count != 1:
            raise AssertionError(f"mutant {self.name}: {self.old!r} occurs {count} times in the reference")
        return source.replace(self.old, self.new)


def all_mutants() -> list[Mutant]:
    found: list[Mutant] = []
    for info in pkgutil.iter_modules(__path__):
        found += importlib.import_module(f"{__name__}.{info.name}").MUTANTS
    return found
