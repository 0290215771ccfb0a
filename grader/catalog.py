"""Finding the checks: public ones in ``exercises/ch3/test_*.py``, hidden ones in ``hidden/ch3``."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from grader.check import CheckFn, spec_of
from grader.course import EXERCISES, exercises_dir, hidden_dir


def _checks_in(path: Path) -> list[CheckFn]:
    name = f"_grader_checks.{path.parent.parent.name}.{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return [fn for fn in vars(module).values() if callable(fn) and spec_of(fn) is not None]


def load_checks(root: Path, *, hidden: bool = True) -> list[CheckFn]:
    """Every check of the course at ``root``, public first, in exercise order."""
    files = sorted(exercises_dir(root).glob("test_*.py"))
    if hidden:
        files += sorted(hidden_dir(root).glob("test_*.py"))
    checks = [fn for path in files for fn in _checks_in(path)]
    order = {name: i for i, name in enumerate(EXERCISES)}
    checks.sort(key=lambda fn: (order.get(spec_of(fn).exercise, len(order)), spec_of(fn).hidden))
    ids = [spec_of(fn).id for fn in checks]
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate check ids: {sorted({i for i in ids if ids.count(i) > 1})}")
    return checks
