"""How things fail: the grader's own errors (one bilingual family), and the two ways a check
fails: a wrong answer, or student code that did not answer."""

from __future__ import annotations

import re
import traceback
from pathlib import Path
from types import TracebackType

# The private package a submission's modules are loaded under (``_submission<n>.<module>``):
# never shown to a student.
PRIVATE_PREFIX = "_submission"
_PRIVATE_NAME = re.compile(rf"\b{PRIVATE_PREFIX}\d+\.")


class GraderError(Exception):
    """What the grader cannot do, said once in 中文 and once in English: bad input, a broken
    course, a machine that cannot run the fence. The command line reports it in two lines."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en

    def __str__(self) -> str:
        return f"{self.zh}\n{self.en}"


class CheckFailed(Exception):
    """The student code answered, and the answer is wrong. Bilingual, then the numbers."""

    def __init__(self, zh: str, en: str, details: list[str] | None = None) -> None:
        super().__init__(en)
        self.zh, self.en, self.details = zh, en, list(details or [])

    def __str__(self) -> str:
        return "\n".join([self.zh, self.en, *self.details])


# What went wrong on the student side, by kind: (中文, English) sentence openers.
_KINDS = {
    "not_implemented": ("尚未实现：{what}。", "Not implemented yet: {what}."),
    "import": ("无法导入模块 {what}。", "Could not import the module {what}."),
    "missing": ("{file} 中没有{noun_zh} `{name}`{found_zh}。", "{file} has no {noun_en} `{name}`{found_en}."),
    "signature": ("签名不对{expected_zh}{found_zh}。", "Wrong signature{expected_en}{found_en}."),
    "raised": ("{what} 抛出了异常。", "{what} raised an exception."),
    "timeout": ("{what} 超出了时间限制。", "{what} ran past its time limit."),
    "crashed": ("运行 {what} 的进程崩溃或退出了。", "The process running {what} crashed or exited."),
    "skipped": ("{what} 已多次超时或崩溃，其余检查不再运行。",
                "{what} timed out or crashed repeatedly; its remaining checks were not run."),
    "tampered": ("提交的代码改动了评分程序、torch 或其回答无法读取，{what} 的结果不予采信。",
                 "The submission altered the grader or torch, or its answer was unreadable; the "
                 "result of {what} is not trusted."),
}


class TimeLimitReached(BaseException):
    """Raised in student code that runs past the local time limit of a check: a BaseException, so
    that an ``except Exception`` in the student's code does not swallow it."""


# Kinds that say the submission's shape is wrong (a module that does not import, a function that
# is missing or takes other parameters): said once per module or function, not once per check.
STRUCTURAL = ("import", "missing", "signature")


class StudentError(Exception):
    """Student code did not produce an answer: not implemented, failed import, raised, …

    ``what`` names the module (``import``) or ``module.function``; ``expected`` and ``found``
    are what a ``signature`` error compares, and the close name a ``missing`` one suggests.
    """

    def __init__(
        self, kind: str, what: str, exc_type: str = "", message: str = "",
        where: str = "", mro: tuple[str, ...] = (), *, expected: str = "", found: str = "",
    ) -> None:
        if kind not in _KINDS:  # code that builds one of another kind has raised a ValueError instead
            raise ValueError(f"no such kind of student error: {str(kind)[:40]!r}")
        super().__init__(f"{kind}: {what}: {exc_type}: {message}")
        self.kind, self.what, self.exc_type, self.message = kind, what, exc_type, message
        self.where, self.mro, self.expected, self.found = where, mro, expected, found

    def _sentence(self, language: int) -> str:
        module, _, name = self.what.rpartition(".")
        noun = ("类", "class") if name[:1].isupper() else ("函数", "function")
        found = (f"（找到 `{self.found}`）", f" (found `{self.found}`)") if self.kind == "missing" else (
            f"，你的是 `{self.found}`", f"; yours is `{self.found}`")
        expected = (f"：应为 `{self.expected}`", f": `{self.expected}` expected") if self.expected else (
            f"：无法按检查的方式调用 `{name}`", f": `{name}` cannot be called the way the check calls it")
        return _KINDS[self.kind][language].format(
            what=self.what, file=f"{module}.py", name=name, noun_zh=noun[0], noun_en=noun[1],
            found_zh=found[0] if self.found else "", found_en=found[1] if self.found else "",
            expected_zh=expected[0], expected_en=expected[1])

    @property
    def zh(self) -> str:
        return self._sentence(0)

    @property
    def en(self) -> str:
        return self._sentence(1)

    @property
    def details(self) -> list[str]:
        if self.kind in ("not_implemented", "skipped", "missing"):
            return []
        lines = []
        if self.exc_type or self.message:
            lines.append(f"{self.exc_type}: {self.message}"[:500] if self.exc_type else self.message)
        if self.where:
            lines.append(f"位置 at {self.where}")
        return lines

    def is_a(self, name: str) -> bool:
        """Whether the student's exception is an instance of the builtin class ``name``."""
        return name in self.mro

    def to_json(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in ("kind", "what", "exc_type", "message", "where")} | {
            "mro": list(self.mro)
        } | {k: getattr(self, k) for k in _OPTIONAL if getattr(self, k)}

    @classmethod
    def from_json(cls, data: object) -> StudentError:
        """The error a worker reported; ValueError unless ``data`` is exactly what :meth:`to_json`
        writes for a kind a worker may report (a worker never decides a time-out or a crash)."""
        if type(data) is not dict or not set(_FIELDS) <= set(data) <= set(_FIELDS) | set(_OPTIONAL):
            raise ValueError("an error report with missing or extra fields")
        if not all(type(data[key]) is kind for key, kind in (_FIELDS | _OPTIONAL).items() if key in data):
            raise ValueError("an error report with a field of the wrong type")
        if data["kind"] not in REPORTED_BY_WORKERS:
            raise ValueError(f"an error of unknown kind {str(data['kind'])[:40]!r}")
        mro = data["mro"]
        if len(mro) > 64 or not all(type(name) is str for name in mro):
            raise ValueError("an error report with a malformed class list")
        return cls(data["kind"], data["what"][:200], data["exc_type"][:100], data["message"][:500],
                   data["where"][:300], tuple(name[:100] for name in mro),
                   expected=data.get("expected", "")[:200], found=data.get("found", "")[:200])

    @classmethod
    def from_exception(
        cls, exc: BaseException, fallback: str, folder: Path, *, importing: bool = False,
    ) -> StudentError:
        """Classify ``exc`` raised while running student code from ``folder``.

        The failing function is named after the innermost traceback frame in ``folder``
        (``module.qualname``), else ``fallback``; for a time-out, that frame is where the code
        was stuck. With ``importing``, ``exc`` came from importing the module ``fallback``: an
        error of kind ``import``, named after that module. A syntax error says its line.
        """
        kind = ("not_implemented" if isinstance(exc, NotImplementedError)
                else "timeout" if isinstance(exc, TimeLimitReached) else "raised")
        what, where = fallback, ""
        for frame, line in traceback.walk_tb(exc.__traceback__):
            path = Path(frame.f_code.co_filename)
            if _inside(path, folder):
                what = f"{path.stem}.{frame.f_code.co_qualname}"
                where = f"{path.name}:{line}"
        exc_type, message = type(exc).__name__, _PRIVATE_NAME.sub("", str(exc))[:500]
        if isinstance(exc, SyntaxError) and exc.filename and _inside(Path(exc.filename), folder):
            where = f"{Path(exc.filename).name}:{exc.lineno}"
            message = f"{exc.msg}: {exc.text.strip()}" if exc.text and exc.text.strip() else str(exc.msg)
        if kind == "timeout":  # the sentence says it; the module being imported, this line does
            exc_type, message = "", "超出时间限制 / ran past the time limit" if importing else ""
        if kind == "not_implemented" and not where and str(exc):
            what = str(exc)[:200]  # raised by a probe that names what is missing (an entry of a table)
        if importing:
            kind, what = "import", fallback
        return cls(kind, what, exc_type, message, where, tuple(c.__name__ for c in type(exc).__mro__))


def student_traceback(exc: BaseException, folder: Path) -> TracebackType | None:
    """``exc``'s traceback, cut after its innermost frame in ``folder``: where a debugger opens
    on it (the student's function and its variables, not the library code it called)."""
    last, entry = None, exc.__traceback__
    while entry is not None:
        if _inside(Path(entry.tb_frame.f_code.co_filename), folder):
            last = entry
        entry = entry.tb_next
    if last is not None:
        last.tb_next = None
    return exc.__traceback__


def _inside(path: Path, folder: Path) -> bool:
    return path.is_absolute() and path.resolve().is_relative_to(folder.resolve())


_FIELDS = {"kind": str, "what": str, "exc_type": str, "message": str, "where": str, "mro": list}
_OPTIONAL = {"expected": str, "found": str}
REPORTED_BY_WORKERS = ("not_implemented", "import", "raised", "missing", "signature")
