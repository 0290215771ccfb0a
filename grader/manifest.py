"""The course manifest, ``course.toml``: its chapters, their exercises, points, quiz ids, examples.

The engine knows no chapter and no exercise of its own: everything it needs about a course
comes from here, and each chapter's files lie in folders named after the chapter (see the
comments at the top of ``course.toml``). ``Course.load`` refuses a manifest that is not
exactly what it expects, in one bilingual sentence.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.errors import GraderError

MANIFEST = "course.toml"


class ManifestError(GraderError):
    """``course.toml`` is missing or says something the grader cannot use."""


@dataclass(frozen=True)
class Exercise:
    """One exercise: its module name, worth, and whether it counts towards the grade."""

    id: str
    title: str
    points: float
    practice: bool = False
    quiz: tuple[str, ...] = ()  # the question ids of a quiz
    data: tuple[str, ...] = ()  # the data sets its checks use


@dataclass(frozen=True)
class Example:
    """A sample submission and the total it scores (with seed 0): of the graded exercises, or
    with ``include_practice`` of the practice ones too."""

    folder: str
    total: float
    include_practice: bool = False


@dataclass(frozen=True)
class Chapter:
    """One chapter: its exercises in order, and where its parts lie under the course root."""

    id: str
    title: str
    exercises: tuple[Exercise, ...]
    examples: tuple[Example, ...] = ()

    def solutions(self, root: Path) -> Path:
        return root / "solutions" / self.id

    def stubs(self, root: Path) -> Path:
        """The student's folder: stubs and public checks."""
        return root / "exercises" / self.id

    def hidden(self, root: Path) -> Path:
        return root / "hidden" / self.id

    def package(self, root: Path) -> Path:
        """``chapters/<id>``: its probes, its judging helpers, its mutants."""
        return root / "chapters" / self.id


@dataclass(frozen=True)
class Course:
    """The whole course, read from ``root/course.toml``."""

    root: Path
    id: str
    title: str
    chapters: tuple[Chapter, ...]
    preload: tuple[str, ...] = ()
    grade_practice: bool = False  # `grader grade` grades the practice exercises too, unless told otherwise

    @classmethod
    def load(cls, root: Path) -> Course:
        path = Path(root) / MANIFEST
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ManifestError(f"找不到课程清单 {path}", f"no course manifest at {path}") from None
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
            raise ManifestError(f"无法读取课程清单 {path}：{err}", f"cannot read the course manifest {path}: {err}") \
                from None
        return _course(Path(root).resolve(), data)

    @property
    def exercises(self) -> tuple[Exercise, ...]:
        """Every exercise, chapter by chapter, in order."""
        return tuple(exercise for chapter in self.chapters for exercise in chapter.exercises)

    @property
    def practice(self) -> frozenset[str]:
        """The ids of the practice exercises: checked like the others, never part of the graded total."""
        return frozenset(exercise.id for exercise in self.exercises if exercise.practice)

    def chapter(self, chapter_id: str) -> Chapter:
        for chapter in self.chapters:
            if chapter.id == chapter_id:
                return chapter
        raise ManifestError(f"课程中没有章节 {chapter_id}", f"the course has no chapter {chapter_id!r} "
                            f"(it has {', '.join(c.id for c in self.chapters)})")

    def chapter_of(self, exercise_id: str) -> Chapter:
        for chapter in self.chapters:
            if any(e.id == exercise_id for e in chapter.exercises):
                return chapter
        raise ManifestError(f"课程中没有练习 {exercise_id}", f"the course has no exercise {exercise_id!r}")

    def exercise(self, exercise_id: str) -> Exercise:
        return next(e for e in self.chapter_of(exercise_id).exercises if e.id == exercise_id)


def default_root(start: Path | None = None) -> Path:
    """The course this command works on: the nearest folder holding ``course.toml`` from
    ``start`` (default: the current folder) upwards, else the one this package lies in."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MANIFEST).is_file():
            return folder
    return Path(__file__).resolve().parents[1]


_TOP = {"course", "chapters"}
_COURSE = {"id": str, "title": str, "preload": list, "grade_practice": bool}
_CHAPTER = {"id": str, "title": str, "exercises": list, "examples": list}
_EXERCISE = {"id": str, "title": str, "points": (int, float), "practice": bool, "quiz": list, "data": list}
_EXAMPLE = {"folder": str, "total": (int, float), "include_practice": bool}
_REQUIRED = {"course": {"id", "title"}, "chapter": {"id", "title", "exercises"},
             "exercise": {"id", "title", "points"}, "example": {"folder", "total"}}


def _table(where: str, kind: str, value: Any, fields: dict[str, Any]) -> dict[str, Any]:
    """``value`` as a table of ``fields``: no unknown key, no missing required one, right types."""
    if not isinstance(value, dict):
        raise ManifestError(f"课程清单中 {where} 应是一个表", f"in the course manifest, {where} must be a table")
    unknown = sorted(set(value) - set(fields))
    missing = sorted(_REQUIRED[kind] - set(value))
    wrong = sorted(key for key, kind_ in fields.items() if (key in value and not isinstance(value[key], kind_))
                   or (key in value and isinstance(value[key], bool) and kind_ == (int, float)))
    if unknown or missing or wrong:
        said = "; ".join(part for part in (unknown and f"unknown keys {unknown}", missing and f"missing {missing}",
                                           wrong and f"wrong types for {wrong}") if part)
        raise ManifestError(f"课程清单中 {where} 有误：{said}", f"in the course manifest, {where} is wrong: {said}")
    return value


def _course(root: Path, data: dict[str, Any]) -> Course:
    unknown = sorted(set(data) - _TOP)
    if unknown:
        raise ManifestError(f"课程清单中有未知的表 {unknown}", f"the course manifest has unknown tables {unknown}")
    course = _table("[course]", "course", data.get("course"), _COURSE)
    chapters = []
    for n, raw in enumerate(data.get("chapters", []), 1):
        chapter = _table(f"chapter {n}", "chapter", raw, _CHAPTER)
        exercises = tuple(_exercise(f"chapter {chapter['id']}, exercise {i}", e)
                          for i, e in enumerate(chapter["exercises"], 1))
        examples = tuple(Example(**_table(f"chapter {chapter['id']}, example {i}", "example", e, _EXAMPLE))
                         for i, e in enumerate(chapter.get("examples", []), 1))
        chapters.append(Chapter(chapter["id"], chapter["title"], exercises, examples))
    ids = [e.id for c in chapters for e in c.exercises] + [c.id for c in chapters]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice or not chapters:
        said = f"ids used twice: {twice}" if twice else "no chapter"
        raise ManifestError(f"课程清单有误：{said}", f"the course manifest is wrong: {said}")
    return Course(root, course["id"], course["title"], tuple(chapters), tuple(course.get("preload", ())),
                  course.get("grade_practice", False))


def _exercise(where: str, raw: Any) -> Exercise:
    table = _table(where, "exercise", raw, _EXERCISE)
    for key in ("quiz", "data"):
        if not all(isinstance(item, str) for item in table.get(key, [])):
            raise ManifestError(f"课程清单中 {where} 的 {key} 应是字符串列表",
                                f"in the course manifest, {key} of {where} must be a list of strings")
    return Exercise(table["id"], table["title"], float(table["points"]), table.get("practice", False),
                    tuple(table.get("quiz", ())), tuple(table.get("data", ())))
