"""Loading a submission's modules: each under a private name, from source, once, failures remembered."""

from __future__ import annotations

import importlib.abc
import importlib.util
import itertools
import sys
from collections.abc import Callable
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

from grader.errors import StudentError

_serial = itertools.count()


class CallGuard(Protocol):
    """What watches each student call in an isolated worker (:class:`grader.sandbox.integrity.Guard`)."""

    def enter(self) -> Any: ...

    def leave(self, before: Any, what: str = "") -> None: ...


class SourceLoader(importlib.abc.Loader):
    """Executes a module from its source text; never reads or writes a bytecode cache."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def create_module(self, spec: ModuleSpec) -> None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        code = compile(self.path.read_bytes(), str(self.path), "exec", dont_inherit=True)
        exec(code, module.__dict__)  # noqa: S102 - this is how a module runs


class Submission:
    """The exercise modules in one folder, imported on first use."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder).resolve()
        self._prefix = f"_submission{next(_serial)}"
        self._loaded: dict[str, ModuleType | StudentError] = {}
        self.guard: CallGuard | None = None

    def module(self, name: str) -> ModuleType:
        """The student's module ``name`` (an exercise id); StudentError if absent or broken."""
        if name not in self._loaded:
            self._loaded[name] = self._import(name)
        found = self._loaded[name]
        if isinstance(found, StudentError):
            raise found
        return found

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``fn(*args, **kwargs)``, a piece of student code; under a guard, checked right after it returns."""
        if self.guard is None:
            return fn(*args, **kwargs)
        before, what = self.guard.enter(), getattr(fn, "__qualname__", type(fn).__name__)
        try:
            result = fn(*args, **kwargs)
        except BaseException:
            self.guard.leave(before, what)  # tampering first: the probe may go on after what was raised
            raise
        self.guard.leave(before, what)
        return result

    def _import(self, name: str) -> ModuleType | StudentError:
        path = self.folder / f"{name}.py"
        if not path.is_file():
            return StudentError("import", name, "FileNotFoundError", f"{path.name} is missing")
        qualified = f"{self._prefix}.{name}"
        spec = importlib.util.spec_from_loader(qualified, SourceLoader(path), origin=str(path))
        if spec is None:
            return StudentError("import", name, "ImportError", f"{path.name} cannot be loaded")
        spec.has_location = True
        module = importlib.util.module_from_spec(spec)
        sys.modules[qualified] = module
        try:
            self.call(spec.loader.exec_module, module)  # type: ignore[union-attr]
        except StudentError:
            raise
        except BaseException as exc:  # SystemExit at import is a student error too
            if isinstance(exc, KeyboardInterrupt):
                raise
            del sys.modules[qualified]
            return StudentError.from_exception(exc, name, self.folder, importing=True)
        return module
