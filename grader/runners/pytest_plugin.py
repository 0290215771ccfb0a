"""The student loop: ``pytest exercises/<chapter> [--impl DIR] [--device D]``.

Each check in a test file asks for the ``judge`` fixture; it runs its probes in this
process against the modules in ``--impl`` (default: the test file's own folder). A failed
check prints its bilingual feedback, not a traceback, and a closing table shows the public
checks passed and the points earned per exercise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Generator
from pathlib import Path
from typing import Any, Protocol

import pytest
from rich.cells import cell_len

from grader.devices import DeviceError, checked_device
from grader.errors import CheckFailed, StudentError
from grader.judge.check import CheckSpec, Judge, spec_of
from grader.runners.in_process import InProcessRunner

_RUNNERS = pytest.StashKey[dict[Path, InProcessRunner]]()
_OUTCOMES = pytest.StashKey[list[tuple[CheckSpec, bool]]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("grader", "练习检查 exercise checks")
    group.addoption("--impl", metavar="DIR", help="检查此文件夹中的模块 / check the modules in DIR "
                    "(default: the test file's folder)")
    group.addoption("--device", metavar="D", help="运行设备 / device for student code: cpu, cuda "
                    "(default: cuda when available)")
    group.addoption("--seed", type=int, default=0, help="隐藏检查的种子 / seed for hidden checks")


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
    config.stash[_RUNNERS] = {}
    config.stash[_OUTCOMES] = []


@pytest.fixture
def judge(request: pytest.FixtureRequest) -> Judge:
    """The judge of the check being run."""
    spec = spec_of(request.function)
    if spec is None:
        raise _usage(f"{request.node.nodeid} 使用了 `judge`，却不是 @check 检查",
                     f"{request.node.nodeid} asks for `judge` but is not a @check")
    config = request.config
    folder = Path(config.getoption("impl") or request.path.parent).resolve()
    runners = config.stash[_RUNNERS]
    if folder not in runners:
        runners[folder] = InProcessRunner(folder)
    return Judge(spec, runners[folder], config.option.device, config.getoption("seed"))


class _Feedback:
    """A failure shown as the check's feedback text instead of a traceback."""

    def __init__(self, failure: CheckFailed | StudentError) -> None:
        self.text = "\n".join([failure.zh, failure.en, *failure.details])
        self.reprcrash = type("Crash", (), {"message": failure.en})()

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
    if call.excinfo is not None and isinstance(call.excinfo.value, (CheckFailed, StudentError)):
        # pytest duck-types a longrepr (toterminal, str); its annotation names only its own classes
        report.longrepr = _Feedback(call.excinfo.value)  # type: ignore[assignment]
    if report.when == "call" or (report.when == "setup" and report.failed):
        item.config.stash[_OUTCOMES].append((spec, report.passed))


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    outcomes = config.stash.get(_OUTCOMES, [])
    if not outcomes:
        return
    rows: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0, 0.0])
    for spec, passed in outcomes:
        row = rows[spec.exercise]
        row[0] += passed
        row[1] += 1
        row[2] += spec.points if passed else 0.0
        row[3] += spec.points
    tr = terminalreporter
    tr.section("练习进度 Progress")
    tr.write_line(_row("  练习 exercise", "检查 checks", "分数 points"))
    totals = [0.0, 0.0, 0.0, 0.0]
    for exercise in sorted(rows):
        done, total, got, worth = rows[exercise]
        totals = [a + b for a, b in zip(totals, rows[exercise], strict=True)]
        mark = "✓" if done == total else "·"
        tr.write_line(_row(f"{mark} {exercise}", f"{done:g}/{total:g}", f"{got:g}/{worth:g}"))
    done, total, got, worth = totals
    tr.write_line(_row("  合计 total", f"{done:g}/{total:g}", f"{got:g}/{worth:g}"))


def _row(name: str, checks: str, points: str) -> str:
    """One line of the progress table, padded by display width (CJK is two cells wide)."""
    return name + " " * (24 - cell_len(name)) + " " * (14 - cell_len(checks)) + checks \
        + " " * (14 - cell_len(points)) + points
