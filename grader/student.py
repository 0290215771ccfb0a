"""Loading a submission's modules: each under a private name, once, failures remembered."""

from __future__ import annotations

import importlib.util
import itertools
import sys
from pathlib import Path
from types import ModuleType

from grader.errors import StudentError

_serial = itertools.count()


class Submission:
    """The exercise modules in one folder, imported on first use."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder).resolve()
        self._prefix = f"_submission{next(_serial)}"
        self._loaded: dict[str, ModuleType | StudentError] = {}

    def module(self, name: str) -> ModuleType:
        """The student's module ``name`` (e.g. ``ex01_tensor_numpy``); StudentError if absent or broken."""
        if name not in self._loaded:
            self._loaded[name] = self._import(name)
        found = self._loaded[name]
        if isinstance(found, StudentError):
            raise found
        return found

    def _import(self, name: str) -> ModuleType | StudentError:
        path = self.folder / f"{name}.py"
        if not path.is_file():
            return StudentError("import", name, "FileNotFoundError", f"{path.name} is missing")
        qualified = f"{self._prefix}.{name}"
        spec = importlib.util.spec_from_file_location(qualified, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[qualified] = module
        try:
            spec.loader.exec_module(module)
        except BaseException as exc:  # noqa: BLE001 - SystemExit at import is a student error too
            if isinstance(exc, KeyboardInterrupt):
                raise
            del sys.modules[qualified]
            error = StudentError.from_exception(exc, name, self.folder)
            error.kind, error.what = "import", name
            return error
        return module
