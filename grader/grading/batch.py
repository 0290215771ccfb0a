"""Grading a whole class: in parallel, each result written the moment it is known.

Every submission's files are written atomically, ``grading.json`` last, so an interrupted
run (even ``kill -9``) leaves each submission either finished or untouched; ``resume``
skips the finished ones, and the gradebook is always rebuilt from the ``grading.json`` of
exactly the submissions asked for: no row lost, none twice.

Where the submissions are graded is a :data:`Grading`: :func:`grade_here` (this machine's
master, ``jobs`` at a time) unless another is given, such as a cluster's
(:mod:`grader.grading.cluster`); what is written, and when, is the same for every one.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from grader.grading.grade import SubmissionResult, grade_submission, graded_checks, judge_failed
from grader.grading.store import DONE, atomic_write, finished, start_run
from grader.judge.check import CheckFn, CheckResult
from grader.manifest import Course
from grader.reports.files import write_class_files, write_submission
from grader.sandbox.limits import Limits
from grader.sandbox.master import Master, TemplateFailed
from grader.sandbox.runner import SandboxRunner


@dataclass
class BatchOptions:
    out: Path
    device: str
    seed: int
    limits: Limits
    course: Course
    jobs: int = 1
    resume: bool = False
    isolated: bool = True
    gpu_slots: int = 2
    practice: bool = False  # grade the practice exercises too (apart from the total)


OnCheck = Callable[[CheckResult], None]
# Grades the folders still to do with the checks, yielding each result as it is known, in any order.
Grading = Callable[[list[Path], list[CheckFn], BatchOptions, OnCheck], Iterator[SubmissionResult]]


def grade_batch(
    folders: list[Path], checks: list[CheckFn], options: BatchOptions,
    on_check: OnCheck | None = None,
    on_submission: Callable[[SubmissionResult], None] | None = None,
    master: Master | None = None,
    grading: Grading | None = None,
) -> list[SubmissionResult]:
    """Grade ``folders`` through ``grading`` (by default :func:`grade_here` with ``master``);
    the results in the order given.

    The practice exercises' checks among ``checks`` run only with ``options.practice``.
    """
    options.out.mkdir(parents=True, exist_ok=True)
    start_run(options.out, seed=options.seed, device=options.device, resume=options.resume,
              practice=options.practice)
    checks = graded_checks(options.course, checks, practice=options.practice)
    results: dict[str, SubmissionResult] = {}
    todo = []
    for folder in folders:
        done = finished(options.out, folder.resolve().name) if options.resume else None
        if done:
            results[done.name] = done
        else:
            todo.append(folder)
    grading = grading or partial(grade_here, master=master)
    for result in grading(todo, checks, options, on_check or (lambda _: None)):
        write_submission(result, options.out)
        atomic_write(options.out / result.name / DONE, json.dumps(result.to_json(), ensure_ascii=False))
        results[result.name] = result
        if on_submission:
            on_submission(result)
    ordered = [results[folder.resolve().name] for folder in folders]
    write_class_files(ordered, options.out)
    return ordered


def grade_here(todo: list[Path], checks: list[CheckFn], options: BatchOptions, on_check: OnCheck,
               master: Master | None = None) -> Iterator[SubmissionResult]:
    """Grade ``todo`` on this machine, ``options.jobs`` at a time; isolated grading uses ``master``
    if given (started early by the caller), else starts one."""
    # the cores shared out among the submissions graded at once
    at_once = max(1, min(options.jobs, len(todo)))
    threads = max(1, (os.cpu_count() or 1) // at_once)
    cpus = options.limits.cpus or (os.cpu_count() or 1) / at_once
    gpu_slots = threading.BoundedSemaphore(max(1, options.gpu_slots))
    with contextlib.ExitStack() as stack:
        if master is None and options.isolated and todo:
            master = stack.enter_context(Master(options.course, options.device))
        one = partial(grade_one, checks=checks, options=options, master=master, threads=threads, cpus=cpus,
                      gpu_slots=gpu_slots, on_check=on_check)
        # in-process grading shares torch's global state (seeds, threads): one at a time
        with ThreadPoolExecutor(max_workers=max(1, options.jobs) if master else 1) as pool:
            for future in as_completed([pool.submit(one, folder) for folder in todo]):
                yield future.result()


def grade_one(folder: Path, *, checks: list[CheckFn], options: BatchOptions, master: Master | None, threads: int,
              cpus: float, gpu_slots: threading.BoundedSemaphore, on_check: OnCheck) -> SubmissionResult:
    """One submission's result: isolated through ``master`` (in-process without one), with
    ``threads`` and ``cpus`` for it, holding one of ``gpu_slots`` while on a GPU."""
    start, reported = time.perf_counter(), []

    def counted(result: CheckResult) -> None:
        reported.append(result)
        on_check(result)

    practice = options.course.practice
    try:
        with contextlib.ExitStack() as held:
            runner = None
            if master:
                runner = SandboxRunner(folder, master, options.limits, threads=threads, cpus=cpus)
                held.callback(runner.close)
            held.enter_context(gpu_slots if options.device.startswith("cuda") else contextlib.nullcontext())
            return grade_submission(
                folder, checks, device=options.device, seed=options.seed, runner=runner,
                isolation=runner.measures(options.device, options.gpu_slots) if runner else None,
                on_check=counted, practice=practice)
    except Exception as exc:  # the judge's own failure costs this submission, never the batch
        if isinstance(exc, TemplateFailed) and master and not master.ready:
            raise  # the master never started: this machine's problem, not a submission's
        result = judge_failed(folder, checks, exc, device=options.device, seed=options.seed,
                              seconds=time.perf_counter() - start, practice=practice)
        for check_result in result.results[len(reported):]:
            counted(check_result)
        return result
