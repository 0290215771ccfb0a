"""The student loop: ``pytest exercises/<chapter> [--impl DIR] [--device D] [--timeout S]``.

Each check in a test file asks for the ``judge`` fixture; it runs its probes in this
process against the modules in ``--impl`` (default: the test file's own folder), each check
under a local time limit. A failed check prints its bilingual feedback, not a traceback,
then the last lines its code printed; a module that does not import, a missing function or a
wrong signature is said once, with the checks it cost. A closing table shows, per exercise,
the public checks passed, the points they are worth and those left to hidden checks, and
marks an exercise whose checks did not all run; the practice exercises have a section and a
total of their own, never part of the graded one. Under ``--pdb`` the debugger opens in the
student's frame that raised; ``breakpoint()`` in student code stops the time limit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Generator, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pytest
from rich.cells import cell_len

from grader.devices import DeviceError, checked_device
from grader.errors import STRUCTURAL, CheckFailed, StudentError, TimeLimitReached
from grader.judge.check import CheckSpec, Judge, spec_of
from grader.manifest import MANIFEST, Course
from grader.runners.in_process import InProcessRunner, time_limit

SHOWN_OUTPUT = 20  # lines of captured output kept after a failed check's feedback
TIME_LIMIT = 120.0  # seconds per check by default: what grading allows a probe (a slow laptop's training fits)


@dataclass
class _Problem:
    """One broken module or function, and the checks it cost."""

    error: StudentError
    checks: list[str] = field(default_factory=list)


@dataclass
class _Run:
    """What this session saw: the public checks selected or left out, and how each that ran ended."""

    runners: dict[Path, InProcessRunner] = field(default_factory=dict)
    known: dict[str, CheckSpec] = field(default_factory=dict)
    passed: dict[str, bool] = field(default_factory=dict)
    problems: dict[tuple[str, ...], _Problem] = field(default_factory=dict)
    lift: Callable[[], None] = lambda: None  # lifts the running check's time limit


_RUN = pytest.StashKey[_Run]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("grader", "练习检查 exercise checks")
    group.addoption("--impl", metavar="DIR", help="检查此文件夹中的模块 / check the modules in DIR "
                    "(default: the test file's folder)")
    group.addoption("--device", metavar="D", help="运行设备 / device for student code: cpu, cuda "
                    "(default: cuda when available)")
    group.addoption("--seed", type=int, default=0, help="隐藏检查的种子 / seed for hidden checks")
    with suppress(ValueError):  # pytest-timeout has --timeout: its value, in seconds too, is the limit
        group.addoption("--timeout", type=float, default=TIME_LIMIT, metavar="S",
                        help=f"每项检查的时间限制（秒，0 为不限）/ time limit per check in seconds, 0 for none "
                             f"(default {TIME_LIMIT:g})")
    group.addoption("--full-output", action="store_true",
                    help=f"显示代码打印的全部输出 / show all a failed check's code printed "
                         f"(default: its last {SHOWN_OUTPUT} lines)")
    parser.addini("grader_points", type="linelist", default=[],
                  help="`exercise = points` per exercise, where no course.toml is at hand (the release)")
    parser.addini("grader_practice", type="linelist", default=[],
                  help="the practice exercises, where no course.toml is at hand (the release)")


def _usage(zh: str, en: str) -> pytest.UsageError:
    """pytest's own error for bad use (pytest reports it without a traceback), in two lines:
    中文, then English."""
    return pytest.UsageError(f"{zh}\n{en}")


def pytest_configure(config: pytest.Config) -> None:
    try:
        config.option.device = checked_device(config.getoption("device"))
    except DeviceError as err:
        raise _usage(err.zh, err.en) from None
    impl = config.getoption("impl")
    if impl and not Path(impl).is_dir():
        raise _usage(f"--impl {impl}：文件夹不存在", f"--impl {impl}: no such folder")
    config.stash[_RUN] = _Run()


@pytest.fixture
def judge(request: pytest.FixtureRequest) -> Judge:
    """The judge of the check being run."""
    spec = spec_of(request.function)
    if spec is None:
        raise _usage(f"{request.node.nodeid} 使用了 `judge`，却不是 @check 检查",
                     f"{request.node.nodeid} asks for `judge` but is not a @check")
    config = request.config
    runners = config.stash[_RUN].runners
    folder = _folder(config, request.path)
    if folder not in runners:
        runners[folder] = InProcessRunner(folder)
    return Judge(spec, runners[folder], config.option.device, config.getoption("seed"))


def _folder(config: pytest.Config, test_file: Path) -> Path:
    return Path(config.getoption("impl") or test_file.parent).resolve()


# -- which public checks this run knows of ---------------------------------------------------

def _remember(config: pytest.Config, items: Iterable[pytest.Item]) -> None:
    known = config.stash[_RUN].known
    for item in items:
        spec = spec_of(getattr(item, "function", None))
        if spec is not None and not spec.hidden:
            known[spec.id] = spec


def pytest_deselected(items: list[pytest.Item]) -> None:
    if items:
        _remember(items[0].config, items)


def pytest_collection_finish(session: pytest.Session) -> None:
    _remember(session.config, session.items)


# -- running a check -------------------------------------------------------------------------

@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """A check runs under the local time limit (``--timeout``)."""
    if spec_of(getattr(item, "function", None)) is None:
        return (yield)
    run = item.config.stash[_RUN]
    with time_limit(_limit(item.config)) as lift:
        run.lift = lift
        try:
            return (yield)
        finally:
            run.lift = lambda: None


def _limit(config: pytest.Config) -> float:
    """The time limit per check, in seconds (0: none)."""
    value = config.getoption("timeout", None)
    return TIME_LIMIT if value is None else float(value)


def pytest_enter_pdb(config: pytest.Config, pdb: Any) -> None:
    """A debugger opened (``breakpoint()``, ``--pdb``): time spent in it is the student's."""
    config.stash[_RUN].lift()


class _Feedback:
    """A failure shown as the check's feedback text instead of a traceback."""

    def __init__(self, lines: list[str], crash: str) -> None:
        self.text = "\n".join(lines)
        self.reprcrash = type("Crash", (), {"message": crash})()

    def toterminal(self, tw: Any) -> None:
        for line in self.text.splitlines():
            tw.line(line)

    def __str__(self) -> str:
        return self.text


class _Outcome(Protocol):
    """What pluggy sends back into a hook wrapper (``pluggy.Result``, not a dependency of the runtime)."""

    def get_result(self) -> pytest.TestReport: ...


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, _Outcome, None]:
    outcome = yield
    report = outcome.get_result()
    spec = spec_of(getattr(item, "function", None))
    if spec is None:
        return
    run = item.config.stash[_RUN]
    failure = call.excinfo.value if call.excinfo is not None else None
    if isinstance(failure, TimeLimitReached):  # ran out in the check's own code, between two probes
        failure = StudentError.from_exception(failure, spec.id, _folder(item.config, item.path))
    if isinstance(failure, (CheckFailed, StudentError)):
        # pytest duck-types a longrepr (toterminal, str); its annotation names only its own classes
        report.longrepr = _feedback(run, spec, failure, _limit(item.config))  # type: ignore[assignment]
    if not item.config.getoption("full_output"):
        report.sections = [(title, _tail(text) if title.startswith("Captured") else text)
                           for title, text in report.sections]
    if report.when == "call" or (report.when == "setup" and report.failed):
        run.passed[spec.id] = report.passed


def _feedback(run: _Run, spec: CheckSpec, failure: CheckFailed | StudentError, limit: float) -> _Feedback:
    """The failure's feedback; a structural problem once, then a line pointing to it."""
    if isinstance(failure, StudentError) and failure.kind in STRUCTURAL:
        key = (failure.kind, failure.what, failure.message, failure.found)
        run.problems.setdefault(key, _Problem(failure)).checks.append(spec.name)
        pointer = f"{failure.what.partition('.')[0]}.py → 见下方 see below, 模块问题 Broken modules"
        return _Feedback([pointer], pointer)
    lines = [failure.zh, failure.en, *failure.details]
    if isinstance(failure, StudentError) and failure.kind == "timeout":
        lines.append(f"本地时间限制 {limit:g} 秒（--timeout S 可改，0 为不限）/ local time limit {limit:g} s "
                     f"(--timeout S changes it, 0 for none)")
    return _Feedback(lines, failure.en)


def _tail(text: str) -> str:
    """The last :data:`SHOWN_OUTPUT` lines of ``text``, with a word on what was cut."""
    lines = text.splitlines()
    if len(lines) <= SHOWN_OUTPUT:
        return text
    cut = len(lines) - SHOWN_OUTPUT
    return "\n".join([f"… 省略了前 {cut} 行（--full-output 显示全部）/ … {cut} lines cut (--full-output shows all)",
                      *lines[-SHOWN_OUTPUT:]]) + "\n"


# -- the closing summary ---------------------------------------------------------------------

def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    tr = terminalreporter
    run = config.stash.get(_RUN, None)
    if run is not None and run.problems:
        tr.section("模块问题 Broken modules")
        for problem in run.problems.values():
            error = problem.error
            for line in [error.zh, error.en, *error.details]:
                tr.write_line(line)
            tr.write_line(f"  未通过的检查 checks it cost: {', '.join(problem.checks)}")
            tr.write_line("")
    if run is not None and run.known:
        _progress(tr, run, _hidden_points(config, run.known.values()), _practice(config))
    for hint in _stub_hints(config):
        tr.write_line(hint)


def _progress(tr: Any, run: _Run, hidden: dict[str, float] | None, practice: frozenset[str]) -> None:
    """Per exercise: public checks passed, public points, points left to hidden checks; the
    graded exercises, then the practice ones in a section of their own with their own total."""
    by_exercise: dict[str, list[CheckSpec]] = defaultdict(list)
    for spec in run.known.values():
        by_exercise[spec.exercise].append(spec)
    graded = {e: specs for e, specs in by_exercise.items() if e not in practice}
    apart = {e: specs for e, specs in by_exercise.items() if e in practice}
    unrun_any = False
    if graded:
        tr.section("公开检查 Public checks")
        got, worth, left, unrun_any = _block(tr, run, graded, hidden, "  合计 total")
        if hidden is not None:
            tr.write_line(f"公开 public {got:g}/{worth:g} · 本地检查 {worth + left:g} 分中的 {worth:g} 分，"
                          f"其余 {left:g} 分由评分时的隐藏检查评定 / {worth:g} of {worth + left:g} points checked "
                          f"here; {left:g} left to hidden checks at grading time")
        else:
            tr.write_line(f"公开 public {got:g}/{worth:g} · 评分时另有隐藏检查 / hidden checks add more points at "
                          "grading time")
    if apart:
        tr.section("练习题（不计入总分）Practice (not in the total)")
        got, worth, left, unrun = _block(tr, run, apart, hidden, "  练习合计 practice")
        unrun_any = unrun_any or unrun
        tr.write_line(f"练习 practice {got:g}/{worth:g} · 练习题的分数单独计算，不计入总分 / practice points are "
                      "counted apart, never in the total")
    if unrun_any:
        tr.write_line("○ 部分检查未运行（-k、单个文件、-x 或 --lf）/ some of its checks did not run "
                      "(-k, one file, -x or --lf)")


def _block(tr: Any, run: _Run, by_exercise: dict[str, list[CheckSpec]], hidden: dict[str, float] | None,
           label: str) -> tuple[float, float, float, bool]:
    """The table's header, a row per exercise and a total row labelled ``label``; the public
    points got, worth and left to hidden checks, and whether any check did not run."""
    tr.write_line(_row("  练习 exercise", "检查 checks", "公开分 public", "隐藏 hidden" if hidden is not None else ""))
    sums = [0.0, 0.0, 0.0, 0.0]
    unrun_any = False
    for exercise, specs in sorted(by_exercise.items()):
        ran = [s for s in specs if s.id in run.passed]
        passed = [s for s in ran if run.passed[s.id]]
        got, worth = sum(s.points for s in passed), sum(s.points for s in specs)
        left = hidden.get(exercise, 0.0) if hidden is not None else 0.0
        unrun = len(specs) - len(ran)
        unrun_any = unrun_any or bool(unrun)
        mark = "✗" if len(passed) < len(ran) else "○" if unrun else "✓"
        note = f"  {unrun} 未运行 not run" if unrun else ""
        tr.write_line(_row(f"{mark} {exercise}", f"{len(passed)}/{len(specs)}", f"{got:g}/{worth:g}",
                           f"{left:g}" if hidden is not None else "") + note)
        sums = [a + b for a, b in zip(sums, [len(passed), len(specs), got, worth], strict=True)]
    done, total, got, worth = sums
    left = sum(hidden.get(e, 0.0) for e in by_exercise) if hidden is not None else 0.0
    tr.write_line(_row(label, f"{done:g}/{total:g}", f"{got:g}/{worth:g}", f"{left:g}" if hidden is not None else ""))
    return got, worth, left, unrun_any


def _row(name: str, checks: str, points: str, hidden: str) -> str:
    """One line of the progress table, padded by display width (CJK is two cells wide)."""
    cells = [(checks, 12), (points, 16), *([(hidden, 14)] if hidden else [])]
    return name + " " * (24 - cell_len(name)) + "".join(" " * (width - cell_len(cell)) + cell for cell, width in cells)


def _hidden_points(config: pytest.Config, public: Iterable[CheckSpec]) -> dict[str, float] | None:
    """Exercise → points left to hidden checks: the hidden checks' own where the course's hidden
    files are at hand, else the exercise's points (``course.toml``, or the ``grader_points``
    ini lines of the release) less its public ones; None where neither is known."""
    course = _course(config.rootpath)
    worth: dict[str, float] = defaultdict(float)
    for spec in public:
        worth[spec.exercise] += spec.points
    if course is not None:
        from grader.judge.catalog import load_checks

        try:
            hidden = [spec for spec in map(spec_of, load_checks(course)) if spec is not None and spec.hidden]
        except Exception:  # noqa: BLE001 - a hidden file being edited: the manifest's points still say it
            hidden = []
        if hidden:
            found: dict[str, float] = defaultdict(float)
            for spec in hidden:
                found[spec.exercise] += spec.points
            return {exercise: found[exercise] for exercise in worth}
        totals = {exercise.id: exercise.points for exercise in course.exercises}
    else:
        totals = {}
        for line in config.getini("grader_points"):
            name, _, points = str(line).partition("=")
            try:
                totals[name.strip()] = float(points)
            except ValueError:
                raise _usage(f"grader_points 中无法读取的一行：{line!r}（应为 `练习 = 分数`）",
                             f"grader_points has a line it cannot read: {line!r} (expected `exercise = points`)") \
                    from None
    if not set(worth) <= set(totals):
        return None
    return {exercise: max(totals[exercise] - points, 0.0) for exercise, points in worth.items()}


def _practice(config: pytest.Config) -> frozenset[str]:
    """The practice exercises: the course's (``course.toml``), else the ``grader_practice`` ini
    lines of the release."""
    course = _course(config.rootpath)
    if course is not None:
        return course.practice
    return frozenset(str(line).strip() for line in config.getini("grader_practice"))


def _course(start: Path) -> Course | None:
    """The course whose ``course.toml`` is in ``start`` or a folder above it."""
    for folder in [start, *start.parents]:
        if (folder / MANIFEST).is_file():
            try:
                return Course.load(folder)
            except Exception:  # noqa: BLE001 - a manifest being edited: the table goes without it
                return None
    return None


def _stub_hints(config: pytest.Config) -> list[str]:
    """For each exercise module named on the command line (which holds no checks), where its checks are."""
    hints = []
    for arg in config.args:
        path = Path(str(arg).split("::")[0])
        checks = path.with_name(f"test_{path.name}")
        if path.suffix == ".py" and not path.name.startswith("test_") and (config.invocation_params.dir /
                                                                            checks).is_file():
            hints += [f"提示：{path.name} 是你写的代码，它的检查在 {checks.name} 中：请运行 `pytest {checks}`"
                      f"（或整个文件夹 `pytest {path.parent}`）。",
                      f"Hint: {path.name} is your code; its checks are in {checks.name}: run `pytest {checks}` "
                      f"(or the whole folder, `pytest {path.parent}`)."]
    return hints
