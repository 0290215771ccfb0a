"""``grader``: grade submissions, regenerate the student stubs.

Only light modules are imported up front: ``grader grade`` starts the master (a fresh,
fenced interpreter that imports torch for the workers) first, so that it starts while this
process imports torch and loads the checks.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import secrets
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from grader.errors import GraderError
from grader.exports.stubs import write_stubs
from grader.manifest import Course, default_root
from grader.runners.watch import add_arguments as add_watch_arguments
from grader.sandbox.limits import Limits
from grader.sandbox.master import Master, TemplateFailed

if TYPE_CHECKING:
    from grader.grading.batch import Grading


class UsageError(GraderError):
    """Bad command-line input."""


def _course(args: argparse.Namespace) -> Course:
    return Course.load(Path(args.course))


def _submissions(paths: list[str]) -> list[Path]:
    folders = [Path(p) for p in paths]
    for folder in folders:
        if not folder.is_dir():
            raise UsageError(f"{folder} 不是文件夹（每个 PATH 是一个提交的文件夹）",
                             f"{folder} is not a folder (each PATH is one submission folder)")
    names = [f.resolve().name for f in folders]
    twice = ", ".join(sorted({n for n in names if names.count(n) > 1}))
    if twice:
        raise UsageError(f"两个提交同名：{twice}", f"two submissions share a folder name: {twice}")
    return folders


def cmd_grade(args: argparse.Namespace, console: Console) -> int:
    folders = _submissions(args.paths)
    course = _course(args)
    if args.cluster:
        from grader.grading.cluster import ClusterGrading

        if args.in_process:
            raise UsageError("--cluster 与 --in-process 不能同时使用", "--cluster and --in-process do not go together")
        cluster = ClusterGrading(args.cluster, cpus=args.cpus_per_submission, gpus=args.gpus_per_submission)
        return _grade(args, console, course, folders, None, cluster)
    with contextlib.nullcontext() if args.in_process else _start_master(course, args.device) as master:
        return _grade(args, console, course, folders, master)


def _start_master(course: Course, device: str | None) -> Master:
    """The master, started before the checks are loaded; CUDA's devices when it may grade on them."""
    return Master(course, "cuda" if device is None or device.startswith("cuda") else "cpu")


def _grade(args: argparse.Namespace, console: Console, course: Course, folders: list[Path],
           master: Master | None, cluster: Grading | None = None) -> int:
    from grader.devices import checked_device
    from grader.grading.batch import BatchOptions, grade_batch
    from grader.grading.grade import graded_checks
    from grader.grading.store import finished, recorded_seed
    from grader.judge.catalog import load_checks
    from grader.reports.files import print_gradebook

    try:  # a cluster's nodes, not this machine, have the device: the grading on each node checks it
        device = (args.device or ("cuda" if args.gpus_per_submission else "cpu")) if cluster \
            else checked_device(args.device)
    except ValueError as err:
        raise UsageError(f"设备不可用：{err}", str(err)) from None
    out = Path(args.out)
    seed = args.seed
    if seed is None and args.resume:
        seed = recorded_seed(out)
    if seed is None:
        seed = secrets.randbelow(2**31)
    practice = "practice" in args.include or course.grade_practice
    options = BatchOptions(out=out, device=device, seed=seed, limits=_limits(args), course=course, jobs=args.jobs,
                           resume=args.resume, isolated=master is not None or cluster is not None,
                           gpu_slots=args.gpu_slots,
                           practice=practice)
    checks = graded_checks(course, load_checks(course), practice=practice)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=console, transient=True) as bar:
        todo = [f for f in folders if not (args.resume and finished(out, f.resolve().name))]
        where = f"on the cluster {args.cluster}" if cluster else f"{args.jobs} at a time"
        task = bar.add_task(f"评分 grading ({where})", total=len(todo) * len(checks))
        results = grade_batch(folders, checks, options, on_check=lambda _: bar.advance(task),
                              on_submission=lambda r: console.print(f"  {r.name}: {r.score:g}/{r.max_score:g}"),
                              master=master, grading=cluster)
    print_gradebook(results, console)
    console.print(f"seed {seed} · device {device} · {out}/: gradebook.csv lms.csv junit.xml, "
                  "<submission>/feedback.html · `grader report` for the class summary")
    if course.practice:
        console.print("练习题另计，不计入总分 / practice exercises graded apart from the total" if practice else
                      "练习题未评分（--include practice 可评）/ practice exercises not graded (--include practice "
                      "grades them)")
    if options.isolated:
        console.print("隔离措施 isolation in force:")
        for measure in results[0].isolation if results else []:
            console.print(f"  · {measure}")
    return 0


def cmd_stubs(args: argparse.Namespace, console: Console) -> int:
    changed = write_stubs(_course(args), check_only=args.check)
    for path in changed:
        console.print(f"{'out of date' if args.check else 'wrote'} {path}")
    if args.check and changed:
        console.print("存根与参考答案不一致，请运行 grader stubs / stubs differ from the solutions: run `grader stubs`")
        return 1
    return 0


def cmd_check(args: argparse.Namespace, console: Console) -> int:
    """Prove each chapter (or the one named) consistent, part by part; 1 when anything does not hold."""
    from grader.grading.consistency import PARTS, part_problems

    course = _course(args)
    chapters = [course.chapter(args.chapter)] if args.chapter else list(course.chapters)
    found = 0
    for chapter in chapters:
        console.print(f"[bold]{chapter.id}[/bold] · {chapter.title} · {len(chapter.exercises)} exercises",
                      highlight=False)
        for title, part in PARTS:
            start = time.perf_counter()
            printed = io.StringIO()  # what student and check code print: not part of the report
            with console.status(f"  {title} …"), contextlib.redirect_stdout(printed), \
                    contextlib.redirect_stderr(printed):
                problems = part_problems(part, course, chapter)
            seconds = time.perf_counter() - start
            mark = "[green]✓[/green]" if not problems else f"[red]✗ {len(problems)}[/red]"
            console.print(f"  {mark} {title} [dim]({seconds:.1f} s)[/dim]", highlight=False)
            for problem in problems:
                console.print(f"      · {problem}", markup=False, highlight=False, soft_wrap=True)
            found += len(problems)
    if found:
        console.print(f"[red]不一致 not consistent: {found} problem(s)[/red]", highlight=False)
        return 1
    console.print("[green]一致 consistent: every part holds[/green]", highlight=False)
    return 0


def cmd_release(args: argparse.Namespace, console: Console) -> int:
    from grader.exports.release import write_release

    written = write_release(_course(args), Path(args.out))
    console.print(f"学生发布版 student release: {len(written)} files in {args.out}")
    return 0


def cmd_export_nbgrader(args: argparse.Namespace, console: Console) -> int:
    from grader.exports.nbgrader import export_course

    course = _course(args)
    written = export_course(course, Path(args.out), seed=args.seed)
    chapters = " / ".join(f"nbgrader generate_assignment {c.id}" for c in course.chapters)
    console.print(f"nbgrader course: {len(written)} notebooks in {args.out} (hidden checks seed {args.seed}); "
                  f"then, in {args.out}: {chapters}")
    return 0


def cmd_export_gradescope(args: argparse.Namespace, console: Console) -> int:
    from grader.exports.gradescope import build_autograder

    names = build_autograder(_course(args), Path(args.out), public=args.public_visibility,
                             hidden=args.hidden_visibility, seed=args.seed, limits=_limits(args))
    console.print(f"Gradescope autograder: {len(names)} files in {args.out} "
                  f"(public checks {args.public_visibility}, hidden checks {args.hidden_visibility}, "
                  f"seed {'random per submission' if args.seed is None else args.seed})")
    return 0


def cmd_report(args: argparse.Namespace, console: Console) -> int:
    from grader.reports.summary import report_class

    report_class(Path(args.dir), console)
    return 0


def cmd_watch(args: argparse.Namespace, console: Console) -> int:
    from grader.runners.watch import default_folder, watch

    return watch(Path(args.folder) if args.folder else default_folder(_course(args).root), console, args.device)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text}: must be at least 1")
    return value


def _share(text: str) -> float:
    value = float(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{text}: must be in (0, 1]")
    return value


def _add_limits(parser: argparse.ArgumentParser) -> None:
    """The per-worker resource limits, as flags (see :class:`grader.sandbox.limits.Limits`)."""
    default = Limits()
    parser.add_argument("--timeout", type=float, default=default.probe_seconds, help="seconds per probe (%(default)s)")
    parser.add_argument("--cpu-seconds", type=_positive, default=default.cpu_seconds,
                        help="CPU seconds per worker (%(default)s)")
    parser.add_argument("--memory-mb", type=_positive, default=default.memory_mb,
                        help="memory per worker (%(default)s)")
    parser.add_argument("--processes", type=_positive, default=default.processes,
                        help="processes and threads per submission (%(default)s)")
    parser.add_argument("--file-mb", type=_positive, default=default.file_mb, help="largest file written (%(default)s)")
    parser.add_argument("--disk-mb", type=_positive, default=default.disk_mb,
                        help="scratch space per submission, a tmpfs (%(default)s)")
    parser.add_argument("--answer-mb", type=_positive, default=default.answer_mb,
                        help="largest answer a worker may send (%(default)s)")
    parser.add_argument("--cpus", type=_cores, default=default.cpus,
                        help="CPU cores per submission (default: this machine's cores ÷ --jobs)")


def _cores(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text}: must be more than 0")
    return value


def _gpus(text: str) -> float:
    value = float(text)
    if value < 0 or (value > 1 and not value.is_integer()):
        raise argparse.ArgumentTypeError(f"{text}: a share of one GPU (0 to 1) or a whole number of GPUs")
    return value


def _limits(args: argparse.Namespace) -> Limits:
    return Limits(probe_seconds=args.timeout, cpu_seconds=args.cpu_seconds, memory_mb=args.memory_mb,
                  processes=args.processes, file_mb=args.file_mb, disk_mb=args.disk_mb, answer_mb=args.answer_mb,
                  cpus=args.cpus, gpu_memory=getattr(args, "gpu_memory", Limits().gpu_memory))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="grader", description="练习与自动评分 / exercises and their autograder")
    parser.add_argument("--course", default=str(default_root()),
                        help="the course: a folder holding course.toml (default: %(default)s)")
    sub = parser.add_subparsers(dest="command", required=True)

    grade = sub.add_parser("grade", help="grade submission folders / 批量评分")
    grade.add_argument("paths", nargs="+", metavar="PATH", help="one folder per submission")
    grade.add_argument("--out", required=True, help="output folder for gradebook and feedback")
    grade.add_argument("--seed", type=int, help="seed for hidden checks (default: random, recorded)")
    grade.add_argument("--device", help="cpu or cuda (default: cuda when available)")
    grade.add_argument("--jobs", type=_positive, default=os.cpu_count() or 1,
                       help="submissions graded at once (default: one per core, %(default)s)")
    grade.add_argument("--resume", action="store_true", help="skip submissions already graded in --out")
    grade.add_argument("--include", action="append", choices=["practice"], default=[],
                       help="also grade the practice exercises, apart from the total (default: the course's "
                            "grade_practice, else only the graded exercises)")
    grade.add_argument("--in-process", action="store_true",
                       help="run student code in this process, without isolation (trusted code only)")
    _add_limits(grade)
    grade.add_argument("--gpu-memory", type=_share, default=Limits().gpu_memory,
                       help="share of GPU memory per worker (%(default)s)")
    grade.add_argument("--gpu-slots", type=_positive, default=2, help="submissions on the GPU at once (%(default)s)")
    grade.add_argument("--cluster", metavar="ADDRESS",
                       help="grade on a Ray cluster: auto, HOST:PORT or ray://HOST:10001 (needs the cluster extra)")
    grade.add_argument("--cpus-per-submission", type=_cores, default=1.0,
                       help="with --cluster: CPUs each submission holds on its node (%(default)s)")
    grade.add_argument("--gpus-per-submission", type=_gpus, default=0.0,
                       help="with --cluster: GPUs (a share, e.g. 0.25) each submission holds (%(default)s)")
    grade.set_defaults(run=cmd_grade)

    stubs = sub.add_parser("stubs", help="regenerate the stubs in exercises/ from solutions/ / 由参考答案生成存根")
    stubs.add_argument("--check", action="store_true", help="only report stubs that differ from their solution")
    stubs.set_defaults(run=cmd_stubs)

    check = sub.add_parser("check", help="prove a chapter consistent / 检查章节是否一致",
                           description="manifest and files agree, stubs are up to date and score nothing, the "
                                       "reference scores full marks, every mutant is caught, the examples score "
                                       "their totals; exit 1 when anything does not hold")
    check.add_argument("chapter", nargs="?", metavar="CHAPTER", help="one chapter (default: every chapter)")
    check.set_defaults(run=cmd_check)

    release = sub.add_parser("release", help="write the student release / 生成学生发布版")
    release.add_argument("--out", required=True, help="folder to write (must not exist or be empty)")
    release.set_defaults(run=cmd_release)

    export = sub.add_parser("export", help="export to nbgrader or Gradescope / 导出")
    targets = export.add_subparsers(dest="target", required=True)
    nbgrader = targets.add_parser("nbgrader", help="an nbgrader course folder, one notebook per exercise")
    nbgrader.add_argument("--out", required=True, help="course folder to write")
    nbgrader.add_argument("--seed", type=int, default=0, help="seed the hidden checks use (%(default)s)")
    nbgrader.set_defaults(run=cmd_export_nbgrader)
    gradescope = targets.add_parser("gradescope", help="a Gradescope autograder zip")
    gradescope.add_argument("--out", required=True, help="the zip file to write, e.g. autograder.zip")
    levels = ["hidden", "after_due_date", "after_published", "visible"]
    gradescope.add_argument("--public-visibility", choices=levels, default="visible",
                            help="visibility of public checks (%(default)s)")
    gradescope.add_argument("--hidden-visibility", choices=levels, default="after_published",
                            help="visibility of hidden checks (%(default)s)")
    gradescope.add_argument("--seed", type=int, help="fixed seed for hidden checks (default: random per submission)")
    _add_limits(gradescope)
    gradescope.set_defaults(run=cmd_export_gradescope)

    report = sub.add_parser("report", help="class summary of a grading run / 全班概况")
    report.add_argument("dir", metavar="DIR", help="the --out folder of `grader grade`")
    report.set_defaults(run=cmd_report)

    watch = sub.add_parser("watch", help="re-check each exercise when it is saved / 保存即重新检查",
                           description="check every exercise of FOLDER, then each one again whenever its file is "
                                       "saved, on one screen; Ctrl-C quits")
    add_watch_arguments(watch)
    watch.set_defaults(run=cmd_watch)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # bound to the real stdout: judge-side captures of printed text never swallow progress lines
    console = Console(file=sys.stdout) if sys.stdout.isatty() else Console(file=sys.stdout, width=120)
    try:
        code: int = args.run(args, console)  # the cmd_* function its subcommand set
        return code
    except GraderError as err:  # the one place where the grader's own errors are reported
        console.print(f"[red]grader {args.command}: {escape(err.zh)}\ngrader {args.command}: {escape(err.en)}[/red]",
                      markup=True, highlight=False)
        return 3 if isinstance(err, TemplateFailed) else 2


if __name__ == "__main__":
    sys.exit(main())
