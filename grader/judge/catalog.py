"""Finding the checks of a course: for each chapter of its manifest, the public ones in
``exercises/<chapter>/test_*.py`` and the hidden ones in ``hidden/<chapter>/test_*.py``."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from grader.judge.check import CheckDefinitionError, CheckFn, spec_of
from grader.manifest import Course


def use_course(course: Course) -> None:
    """Make ``course``'s own ``chapters`` package the one imported (first on the path)."""
    root = str(course.root)
    if root not in sys.path:
        sys.path.insert(0, root)


def checks_in(path: Path, chapter: str) -> list[CheckFn]:
    """The checks defined in the check file ``path`` of ``chapter``."""
    name = f"_grader_checks.{chapter}.{path.parent.parent.name}.{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise CheckDefinitionError(f"无法加载检查文件 {path}", f"cannot load the check file {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return [fn for fn in vars(module).values() if callable(fn) and spec_of(fn) is not None]


def load_checks(course: Course, *, hidden: bool = True) -> list[CheckFn]:
    """Every check of ``course``, in the manifest's exercise order, public before hidden."""
    use_course(course)
    checks = []
    for chapter in course.chapters:
        files = sorted(chapter.stubs(course.root).glob("test_*.py"))
        if hidden:
            files += sorted(chapter.hidden(course.root).glob("test_*.py"))
        checks += [fn for path in files for fn in checks_in(path, chapter.id)]
    order = {exercise.id: i for i, exercise in enumerate(course.exercises)}
    strays = sorted({spec.exercise for spec in map(spec_of, checks) if spec and spec.exercise not in order})
    if strays:
        raise CheckDefinitionError(f"这些检查所属的练习不在课程清单中：{strays}",
                                   f"checks for exercises the course manifest does not list: {strays}")
    checks.sort(key=lambda fn: (order[spec_of(fn).exercise], spec_of(fn).hidden))
    ids = [spec_of(fn).id for fn in checks]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise CheckDefinitionError(f"检查 id 重复：{twice}", f"check ids used twice: {twice}")
    return checks
