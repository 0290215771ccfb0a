"""Loading a submission's modules: each under a private name, from source, once, failures remembered."""

from __future__ import annotations

import difflib
import importlib.abc
import importlib.util
import inspect
import itertools
import sys
from collections.abc import Callable
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any, Protocol

from grader.errors import PRIVATE_PREFIX, StudentError

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
        self._prefix = f"{PRIVATE_PREFIX}{next(_serial)}"
        self._loaded: dict[str, ModuleType | tuple[StudentError, TracebackType | None]] = {}
        self.guard: CallGuard | None = None

    def module(self, name: str) -> ModuleType:
        """The student's module ``name`` (an exercise id); StudentError if absent or broken."""
        if name not in self._loaded:
            self._loaded[name] = self._import(name)
        found = self._loaded[name]
        if isinstance(found, tuple):
            error, traceback = found
            raise error.with_traceback(traceback)  # each time from the import's own frames, for a debugger
        return found

    def missing(self, error: AttributeError) -> StudentError | None:
        """The plain error for a name the grader looked up in one of these modules and did not
        find (``ex01.py has no function `to_tensor` (found `to_tensr`)``); None for any other."""
        module = getattr(error, "obj", None)
        plain = next((name for name, found in self._loaded.items() if found is module), None)
        if plain is None or not isinstance(module, ModuleType) or not isinstance(error.name, str):
            return None
        defined = [name for name, value in vars(module).items() if not name.startswith("_") and callable(value)]
        close = difflib.get_close_matches(error.name, defined, n=1)
        return StudentError("missing", f"{plain}.{error.name}", found=close[0] if close else "")

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``fn(*args, **kwargs)``, a piece of student code; under a guard, checked right after it returns.

        A function that cannot take these arguments is a ``signature`` error, not an exception it raised.
        """
        if self.guard is None:
            _binds(fn, args, kwargs)
            return fn(*args, **kwargs)
        before, what = self.guard.enter(), getattr(fn, "__qualname__", type(fn).__name__)
        try:
            _binds(fn, args, kwargs)
            result = fn(*args, **kwargs)
        except BaseException:
            self.guard.leave(before, what)  # tampering first: the probe may go on after what was raised
            raise
        self.guard.leave(before, what)
        return result

    def _import(self, name: str) -> ModuleType | tuple[StudentError, TracebackType | None]:
        path = self.folder / f"{name}.py"
        if not path.is_file():
            return StudentError("import", name, "FileNotFoundError", f"{path.name} is missing"), None
        qualified = f"{self._prefix}.{name}"
        spec = importlib.util.spec_from_loader(qualified, SourceLoader(path), origin=str(path))
        if spec is None:
            return StudentError("import", name, "ImportError", f"{path.name} cannot be loaded"), None
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
            return StudentError.from_exception(exc, name, self.folder, importing=True), exc.__traceback__
        return module


def plain_signature(fn: Callable[..., Any]) -> str:
    """``name(a, b=1, *rest)``: the parameters of ``fn`` without annotations."""
    signature = inspect.signature(fn)
    params = [p.replace(annotation=inspect.Parameter.empty) for p in signature.parameters.values()]
    shown = signature.replace(parameters=params, return_annotation=inspect.Signature.empty)
    return f"{getattr(fn, '__name__', type(fn).__name__)}{shown}"


def _binds(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """A ``signature`` error unless the student function ``fn`` takes ``args`` and ``kwargs``."""
    if not inspect.isfunction(fn) or not str(fn.__module__).startswith(PRIVATE_PREFIX):
        return  # only the submission's own functions: the grader's, a class or a module object bind as Python says
    try:
        inspect.signature(fn).bind(*args, **kwargs)
    except TypeError as err:
        module = fn.__module__.partition(".")[2]
        raise StudentError("signature", f"{module}.{fn.__qualname__}", "TypeError", str(err), "",
                           tuple(c.__name__ for c in TypeError.__mro__), found=plain_signature(fn)) from None
