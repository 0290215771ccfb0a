"""``grader watch [FOLDER]``: each time an exercise is saved, its public checks run again.

The screen shows every exercise of ``FOLDER`` (an ``exercises/<chapter>`` folder) as ✓ (its
public checks all pass), ✗ (some fail), or · (not started, or not checked yet), with its
points, and below it the feedback of the last run. Each run is a fresh
``pytest FOLDER/test_<exercise>.py`` in a child process (:func:`run_child`), so the saved
module is imported anew and a check fails as it does under ``pytest``; the child writes each
check's verdict to a JSON file for the screen.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from rich.console import Console, Group
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from grader.errors import GraderError, StudentError

if TYPE_CHECKING:
    import watchfiles

TESTS = "test_"
MARKS = {"passed": "[green]✓[/green]", "failed": "[red]✗[/red]", "not_started": "[dim]·[/dim]"}


class WatchError(GraderError):
    """A folder that cannot be watched."""


# -- in the pytest child: each check's verdict, to a JSON file ----------------------------------

def run_child(report: str, args: list[str]) -> int:
    """``pytest args``, then each check's verdict written to the JSON file ``report`` (this runs in
    the child: pytest and torch are imported there, not by the watcher)."""
    import pytest

    from grader.judge.check import NOT_ATTEMPTED, CheckSpec, spec_of

    class _Outcome(Protocol):
        def get_result(self) -> pytest.TestReport: ...

    class Verdicts:
        """Each check's spec, report and whether the student's code for it was there."""

        def __init__(self) -> None:
            self.seen: list[tuple[CheckSpec, pytest.TestReport, bool]] = []

        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_makereport(self, item: pytest.Item,
                                      call: pytest.CallInfo[None]) -> Generator[None, _Outcome, None]:
            report = (yield).get_result()
            spec = spec_of(getattr(item, "function", None))
            if spec is not None and (report.when == "call" or (report.when == "setup" and not report.passed)):
                error = call.excinfo.value if call.excinfo is not None else None
                self.seen.append((spec, report, not (isinstance(error, StudentError) and error.kind in NOT_ATTEMPTED)))

        def pytest_sessionfinish(self) -> None:
            # the feedback is read only now: the grader plugin has replaced each traceback with it
            verdicts = [{"exercise": spec.exercise, "name": spec.name, "title_zh": spec.title_zh,
                         "title_en": spec.title_en, "points": spec.points, "passed": report.passed,
                         "started": started, "feedback": "" if report.passed else report.longreprtext}
                        for spec, report, started in self.seen]
            Path(report).write_text(json.dumps(verdicts, ensure_ascii=False), encoding="utf-8")

    return int(pytest.main(args, plugins=[Verdicts()]))


CHILD = "import sys; from grader.runners.watch import run_child; sys.exit(run_child(sys.argv[1], sys.argv[2:]))"


# -- the watcher -----------------------------------------------------------------------------

@dataclass
class Verdict:
    """One check's last result."""

    name: str
    title: str
    points: float
    passed: bool
    started: bool
    feedback: str


@dataclass
class Run:
    """The last run of one exercise's checks: their verdicts, or why there are none."""

    exercise: str
    verdicts: list[Verdict] = field(default_factory=list)
    seconds: float = 0.0
    trouble: str = ""  # what pytest said when it wrote no verdicts (a broken check file, a bad option)

    @property
    def checked(self) -> bool:
        return bool(self.verdicts or self.trouble)

    @property
    def state(self) -> str:
        if self.verdicts and all(v.passed for v in self.verdicts):
            return "passed"
        if self.trouble or any(v.started for v in self.verdicts):
            return "failed"
        return "not_started"


def exercises_in(folder: Path) -> list[str]:
    """The exercises of ``folder``: one per public check file ``test_<exercise>.py``."""
    return sorted(p.stem.removeprefix(TESTS) for p in folder.glob(f"{TESTS}*.py"))


def default_folder(root: Path) -> Path:
    """The one ``exercises/<chapter>`` folder under ``root`` that holds public checks."""
    chapters = sorted({p.parent for p in (root / "exercises").glob(f"*/{TESTS}*.py")})
    if len(chapters) != 1:
        names = ", ".join(str(p) for p in chapters) or "none"
        raise WatchError(f"请指明要监视的文件夹（{root / 'exercises'} 下有练习的文件夹：{names}）",
                         f"name the folder to watch (folders with exercises under {root / 'exercises'}: {names})")
    return chapters[0]


def run_checks(folder: Path, exercises: Iterable[str], device: str | None = None) -> dict[str, Run]:
    """Run the public checks of ``exercises`` in a fresh pytest process; each exercise's run."""
    names = list(exercises)
    with tempfile.TemporaryDirectory(prefix="grader-watch-") as scratch:
        report = Path(scratch) / "verdicts.json"
        command = [sys.executable, "-c", CHILD, str(report), *(str(folder / f"{TESTS}{name}.py") for name in names),
                   "-q", "-p", "no:cacheprovider", *(["--device", device] if device else [])]
        start = time.perf_counter()
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as child:
            try:
                said, _ = child.communicate()
            except BaseException:  # Ctrl-C: the checks stop with the watcher
                child.kill()
                raise
        seconds = time.perf_counter() - start
        verdicts = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else []
    runs = {name: Run(name, seconds=seconds) for name in names}
    for v in (v for v in verdicts if v["exercise"] in runs):
        runs[v["exercise"]].verdicts.append(Verdict(v["name"], f"{v['title_zh']} / {v['title_en']}", v["points"],
                                                    v["passed"], v["started"], v["feedback"]))
    for run in runs.values():
        if not run.verdicts:
            run.trouble = "\n".join(said.strip().splitlines()[-20:])
    return runs


def view(folder: Path, runs: dict[str, Run], last: list[str], height: int) -> Group:
    """The screen: every exercise's mark, checks and points, then the feedback of ``last``."""
    table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
    for title, justify in (("  练习 exercise", "left"), ("检查 checks", "right"), ("分数 points", "right")):
        table.add_column(title, justify=justify)  # type: ignore[arg-type]
    for run in runs.values():
        table.add_row(f"{MARKS[run.state]} {run.exercise}", *_counts(run.verdicts) if run.checked else ("", ""))
    table.add_row("  合计 total", *_counts([v for run in runs.values() for v in run.verdicts]), style="bold")
    parts: list[Any] = [Text(f"grader watch · {folder}", style="bold"), table]
    room = max(6, height - len(runs) - 10)  # the feedback gets what the table leaves of the screen
    upcoming = next((run.exercise for run in runs.values() if run.state != "passed"), None)
    for name in last:
        parts += _feedback(runs[name], room, upcoming)
    parts.append(Text(f"监视中：保存练习文件即重新检查，Ctrl-C 退出 / watching {folder}: save an exercise to check it "
                      "again, Ctrl-C to quit", style="dim"))
    return Group(*parts)


def _counts(verdicts: list[Verdict]) -> tuple[str, str]:
    """Checks passed and points earned, each out of all."""
    got = sum(v.points for v in verdicts if v.passed)
    return f"{sum(v.passed for v in verdicts)}/{len(verdicts)}", f"{got:g}/{sum(v.points for v in verdicts):g}"


def _feedback(run: Run, room: int, upcoming: str | None) -> list[Any]:
    """The last run of one exercise: the first failure in full (cut to ``room`` lines), the others by
    title; when all pass, the next exercise not done yet."""
    parts: list[Any] = [Rule(f"{run.exercise} ({run.seconds:.1f} s)", align="left")]
    failed = [v for v in run.verdicts if not v.passed]
    if run.trouble:
        parts.append(Text("pytest 没有运行这些检查 / pytest did not run the checks:\n" + run.trouble))
    elif not failed:
        parts.append(Text(f"全部 {len(run.verdicts)} 项公开检查通过 / all {len(run.verdicts)} public checks pass"
                          + (f" · 下一个 next: {upcoming}" if upcoming else ""), style="green"))
    for i, verdict in enumerate(failed):
        parts.append(Text(f"✗ {verdict.title} ({verdict.points:g})", style="red", no_wrap=i > 0, overflow="ellipsis"))
        if i == 0:
            lines = [line for line in verdict.feedback.splitlines() if line.strip("_ ")]
            cut = lines[:room] + ([f"… ({len(lines) - room} more lines: pytest {run.exercise})"]
                                  if len(lines) > room else [])
            parts.append(Text("\n".join(cut)))
    return parts


def _changed(folder: Path, exercises: list[str], changes: set[tuple[watchfiles.Change, str]]) -> list[str]:
    """The exercises whose module or public check file is among ``changes``."""
    names = set()
    for _, path in changes:
        changed = Path(path)
        if changed.parent == folder and changed.suffix == ".py":
            name = changed.stem.removeprefix(TESTS)
            if name in exercises:
                names.add(name)
    return sorted(names)


def watch(folder: Path, console: Console, device: str | None = None) -> int:
    """Check every exercise of ``folder`` once, then each one again whenever it is saved, until Ctrl-C."""
    import watchfiles  # imported here: `grader grade` imports this module for its arguments only

    folder = folder.resolve()
    exercises = exercises_in(folder)
    if not exercises:
        raise WatchError(f"{folder} 中没有公开检查文件 {TESTS}*.py", f"{folder} holds no public check file {TESTS}*.py")
    runs = {name: Run(name) for name in exercises}

    def show(last: list[str]) -> None:
        console.clear()
        console.print(view(folder, runs, last, console.height), highlight=False)
        console.file.flush()

    try:
        # the first yield comes once the watcher is set up: a save during the first run is not lost
        for changes in watchfiles.watch(folder, yield_on_timeout=True, rust_timeout=200, debounce=200):
            todo = _changed(folder, exercises, changes) if any(r.checked for r in runs.values()) else exercises
            if todo:
                with console.status(f"检查 checking {', '.join(todo)} …"):
                    runs |= run_checks(folder, todo, device)
                show(todo if len(todo) == 1 else [next((n for n in todo if runs[n].state != "passed"), todo[0])])
    except KeyboardInterrupt:
        console.print("再见 bye")
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``grader watch``'s arguments."""
    parser.add_argument("folder", nargs="?", metavar="FOLDER",
                        help="the exercises to watch (default: the one exercises/<chapter> folder here)")
    parser.add_argument("--device", help="cpu or cuda (default: cuda when available)")


def main(argv: list[str] | None = None) -> int:
    """The ``grader`` command of the student release: only ``grader watch``."""
    parser = argparse.ArgumentParser(prog="grader", description="练习检查 / exercise checks")
    sub = parser.add_subparsers(dest="command", required=True)
    add_arguments(sub.add_parser("watch", help="re-check each exercise when it is saved / 保存即重新检查"))
    args = parser.parse_args(argv)
    console = Console()
    try:
        return watch(Path(args.folder) if args.folder else default_folder(Path.cwd()), console, args.device)
    except GraderError as err:
        console.print(f"[red]grader watch: {err.zh}\ngrader watch: {err.en}[/red]", highlight=False)
        return 2


if __name__ == "__main__":
    sys.exit(main())
