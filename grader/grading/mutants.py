"""Deliberately wrong implementations: each must lose points on the check meant to catch it.

A mutant is the reference solution with one text replacement, so it stays in step with the
reference (a replacement that no longer applies fails loudly). Each module
``chapters/<chapter>/mutants/<exercise>.py`` holds a list ``MUTANTS``.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass

from grader.errors import GraderError
from grader.judge.catalog import use_course
from grader.manifest import Course


class StaleMutant(GraderError):
    """A mutant whose text no longer occurs exactly once in the reference."""


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
            raise StaleMutant(f"变异体 {self.name} 的原文在参考答案中出现 {count} 次（应为 1 次）",
                              f"mutant {self.name}: {self.old!r} occurs {count} times in the reference (not once)")
        return source.replace(self.old, self.new)


def all_mutants(course: Course) -> list[Mutant]:
    """Every mutant of every chapter of ``course``."""
    use_course(course)
    found: list[Mutant] = []
    for chapter in course.chapters:
        package = f"chapters.{chapter.id}.mutants"
        for info in pkgutil.iter_modules(importlib.import_module(package).__path__):
            found += importlib.import_module(f"{package}.{info.name}").MUTANTS
    return found
