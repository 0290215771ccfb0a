"""``grader``: grade submissions, regenerate the student stubs."""

from __future__ import annotations

import argparse
import secrets
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from grader.catalog import load_checks
from grader.course import default_root
from grader.devices import checked_device
from grader.grading import SubmissionResult, grade_submission
from grader.report import print_gradebook, write_gradebook, write_submission
from grader.sync import sync


class UsageError(Exception):
    """Bad command-line input, reported in one line."""


def _submissions(paths: list[str]) -> list[Path]:
    folders = [Path(p) for p in paths]
    for folder in folders:
        if not folder.is_dir():
            raise UsageError(f"{folder}: 不是文件夹 / not a folder (each PATH is one submission folder)")
    names = [f.resolve().name for f in folders]
    if len(set(names)) != len(names):
        raise UsageError("两个提交同名 / two submissions share a folder name: "
                         + ", ".join(sorted({n for n in names if names.count(n) > 1})))
    return folders


def cmd_grade(args: argparse.Namespace, console: Console) -> int:
    folders = _submissions(args.paths)
    device = checked_device(args.device)
    seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
    checks = load_checks(Path(args.course))
    out = Path(args.out)
    results: list[SubmissionResult] = []
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=console, transient=True) as bar:
        task = bar.add_task("评分 grading", total=len(folders) * len(checks))
        for folder in folders:
            bar.update(task, description=f"评分 grading {folder.name}")
            result = grade_submission(folder, checks, device=device, seed=seed,
                                      on_check=lambda _: bar.advance(task))
            write_submission(result, out)
            results.append(result)
    write_gradebook(results, out / "gradebook.csv")
    print_gradebook(results, console)
    console.print(f"seed {seed} · device {device} · {out / 'gradebook.csv'}")
    return 0


def cmd_sync(args: argparse.Namespace, console: Console) -> int:
    changed = sync(Path(args.course), check_only=args.check)
    for path in changed:
        console.print(f"{'out of sync' if args.check else 'wrote'} {path}")
    if args.check and changed:
        console.print("存根与参考答案不同步，请运行 grader sync / stubs are out of sync: run `grader sync`")
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="grader", description="PyTorch 第三章练习评分 / chapter 3 grader")
    parser.add_argument("--course", default=str(default_root()), help="course repository (default: %(default)s)")
    sub = parser.add_subparsers(dest="command", required=True)

    grade = sub.add_parser("grade", help="grade submission folders / 批量评分")
    grade.add_argument("paths", nargs="+", metavar="PATH", help="one folder per submission")
    grade.add_argument("--out", required=True, help="output folder for gradebook and feedback")
    grade.add_argument("--seed", type=int, help="seed for hidden checks (default: random, recorded)")
    grade.add_argument("--device", help="cpu or cuda (default: cuda when available)")
    grade.set_defaults(run=cmd_grade)

    stubs = sub.add_parser("sync", help="regenerate exercises/ from solutions/ / 由参考答案生成存根")
    stubs.add_argument("--check", action="store_true", help="only report stubs that are out of sync")
    stubs.set_defaults(run=cmd_sync)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = Console()
    try:
        return args.run(args, console)
    except (UsageError, ValueError) as err:
        console.print(f"[red]grader {args.command}: {err}[/red]")
        return 2


if __name__ == "__main__":
    sys.exit(main())
