"""How things fail: the grader's own errors (one bilingual family), and the two ways a check
fails: a wrong answer, or student code that did not answer."""

from __future__ import annotations

import traceback
from pathlib import Path


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
    "raised": ("{what} 抛出了异常。", "{what} raised an exception."),
    "timeout": ("{what} 超出了时间限制。", "{what} ran past its time limit."),
    "crashed": ("运行 {what} 的进程崩溃或退出了。", "The process running {what} crashed or exited."),
    "skipped": ("{what} 已多次超时或崩溃，其余检查不再运行。",
                "{what} timed out or crashed repeatedly; its remaining checks were not run."),
    "tampered": ("提交的代码改动了评分程序、torch 或其回答无法读取，{what} 的结果不予采信。",
                 "The submission altered the grader or torch, or its answer was unreadable; the "
                 "result of {what} is not trusted."),
}


class StudentError(Exception):
    """Student code did not produce an answer: not implemented, failed import, raised, …"""

    def __init__(
        self, kind: str, what: str, exc_type: str = "", message: str = "",
        where: str = "", mro: tuple[str, ...] = (),
    ) -> None:
        if kind not in _KINDS:  # code that builds one of another kind has raised a ValueError instead
            raise ValueError(f"no such kind of student error: {str(kind)[:40]!r}")
        super().__init__(f"{kind}: {what}: {exc_type}: {message}")
        self.kind, self.what, self.exc_type, self.message = kind, what, exc_type, message
        self.where, self.mro = where, mro

    @property
    def zh(self) -> str:
        return _KINDS[self.kind][0].format(what=self.what)

    @property
    def en(self) -> str:
        return _KINDS[self.kind][1].format(what=self.what)

    @property
    def details(self) -> list[str]:
        if self.kind in ("not_implemented", "skipped"):
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
        }

    @classmethod
    def from_json(cls, data: object) -> StudentError:
        """The error a worker reported; ValueError unless ``data`` is exactly what :meth:`to_json`
        writes for a kind a worker may report (a worker never decides a time-out or a crash)."""
        if type(data) is not dict or set(data) != set(_FIELDS):
            raise ValueError("an error report with missing or extra fields")
        if not all(type(data[key]) is kind for key, kind in _FIELDS.items()):
            raise ValueError("an error report with a field of the wrong type")
        if data["kind"] not in REPORTED_BY_WORKERS:
            raise ValueError(f"an error of unknown kind {str(data['kind'])[:40]!r}")
        mro = data["mro"]
        if len(mro) > 64 or not all(type(name) is str for name in mro):
            raise ValueError("an error report with a malformed class list")
        return cls(data["kind"], data["what"][:200], data["exc_type"][:100], data["message"][:500],
                   data["where"][:300], tuple(name[:100] for name in mro))


    @classmethod
    def from_exception(
        cls, exc: BaseException, fallback: str, folder: Path, *, importing: bool = False,
    ) -> StudentError:
        """Classify ``exc`` raised while running student code from ``folder``.

        The failing function is named after the innermost traceback frame in ``folder``
        (``module.qualname``), else ``fallback``. With ``importing``, ``exc`` came from
        importing the module ``fallback``: an error of kind ``import``, named after that module.
        """
        kind = "not_implemented" if isinstance(exc, NotImplementedError) else "raised"
        what, where = fallback, ""
        for frame, line in traceback.walk_tb(exc.__traceback__):
            path = Path(frame.f_code.co_filename)
            if path.is_absolute() and path.resolve().is_relative_to(folder.resolve()):
                what = f"{path.stem}.{frame.f_code.co_qualname}"
                where = f"{path.name}:{line}"
        if kind == "not_implemented" and not where and str(exc):
            what = str(exc)[:200]  # raised by a probe that names what is missing (an entry of a table)
        if importing:
            kind, what = "import", fallback
        return cls(
            kind, what, type(exc).__name__, str(exc)[:500], where,
            tuple(c.__name__ for c in type(exc).__mro__),
        )


_FIELDS = {"kind": str, "what": str, "exc_type": str, "message": str, "where": str, "mro": list}
REPORTED_BY_WORKERS = ("not_implemented", "import", "raised")
