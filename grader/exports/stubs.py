"""Student stubs derived from the reference solutions (never written twice).

In ``solutions/<chapter>/<ex>.py`` the lines between ``### BEGIN SOLUTION`` and ``### END
SOLUTION`` are the answer. The stub keeps everything else and puts in their place a
``raise NotImplementedError`` naming the function, or, for a region inside a literal
(``TABLE = {`` … ``}``), a comment asking the student to fill it in.
"""

from __future__ import annotations

import re
from pathlib import Path

from grader.errors import GraderError
from grader.manifest import Course

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
_DEF = re.compile(r"^(\s*)(?:async\s+)?(?:def|class)\s+(\w+)")


class MarkerError(GraderError):
    """Unbalanced or misplaced solution markers."""

    def __init__(self, where: str, zh: str, en: str) -> None:
        super().__init__(f"{where}：{zh}", f"{where}: {en}")


def make_stub(source: str, module: str) -> str:
    """The stub text for the solution text ``source`` of ``module``."""
    out: list[str] = []
    scopes: list[tuple[int, str]] = []  # (indent, name) of the enclosing def/class lines
    inside = False
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        marker = line.strip()
        indent = line[: len(line) - len(line.lstrip())]
        if (marker and not inside and not marker.startswith((")", "]", "}", "#"))) or marker == BEGIN:
            scopes = [s for s in scopes if s[0] < len(indent)]  # scopes this line is not inside
        if marker == BEGIN:
            if inside:
                raise MarkerError(f"{module}.py:{number}", f"{BEGIN} 出现在解答区域内",
                                  f"{BEGIN} inside a solution region")
            inside = True
            previous = next((s.rstrip() for s in reversed(out) if s.strip()), "")
            if previous.endswith(("{", "[", "(")):
                out.append(f"{indent}# 在此填写 / fill in here\n")
            else:
                where = ".".join([module, *(name for _, name in scopes)])
                out.append(f'{indent}raise NotImplementedError("{where}: 尚未实现 / not implemented yet")\n')
        elif marker == END:
            if not inside:
                raise MarkerError(f"{module}.py:{number}", f"{END} 之前没有 {BEGIN}", f"{END} without {BEGIN}")
            inside = False
        elif not inside:
            if found := _DEF.match(line):
                scopes.append((len(found.group(1)), found.group(2)))
            out.append(line)
    if inside:
        raise MarkerError(f"{module}.py", f"{BEGIN} 没有结束", f"{BEGIN} never closed")
    return "".join(out)


def stub_pairs(course: Course) -> list[tuple[Path, Path]]:
    """(solution, stub) paths of every exercise module of every chapter."""
    return [
        (path, chapter.stubs(course.root) / path.name)
        for chapter in course.chapters
        for path in sorted(chapter.solutions(course.root).glob("*.py"))
        if not path.name.startswith(("test_", "_"))
    ]


def write_stubs(course: Course, *, check_only: bool = False) -> list[Path]:
    """Regenerate the stubs; return those that were (or, with ``check_only``, would be) changed."""
    changed = []
    for solution, stub in stub_pairs(course):
        text = make_stub(solution.read_text(encoding="utf-8"), solution.stem)
        if not stub.exists() or stub.read_text(encoding="utf-8") != text:
            changed.append(stub)
            if not check_only:
                stub.write_text(text, encoding="utf-8")
    return changed
