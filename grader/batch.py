"""Grading a whole class: in parallel, each result written the moment it is known.

Every submission's files are written atomically, ``grading.json`` last, so an interrupted
run (even ``kill -9``) leaves each submission either finished or untouched; ``resume``
skips the finished ones, and the gradebook is always rebuilt from the ``grading.json`` of
exactly the submissions asked for: no row lost, none twice.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from grader.check import CheckFn, CheckResult
from grader.course import default_root, hidden_dir, solutions_dir
from grader.grading import SubmissionResult, grade_submission
from grader.isolated import WorkerRunner
from grader.limits import Limits
from grader.master import Master
from grader.report import DONE, atomic_write, finished, write_class_files, write_submission
from grader.sandbox import Sandbox


class ResumeMismatch(ValueError):
    """``--resume`` over a run made with another seed or device."""


@dataclass
class BatchOptions:
    out: Path
    device: str
    seed: int
    limits: Limits
    jobs: int = 1
    resume: bool = False
    isolated: bool = True
    gpu_slots: int = 2
    course: Path = default_root()


def start_run(options: BatchOptions) -> None:
    """Record the run's seed and device; with ``resume``, insist they match the recorded ones."""
    run_file = options.out / "run.json"
    wanted = {"seed": options.seed, "device": options.device}
    if options.resume and run_file.exists():
        recorded = json.loads(run_file.read_text(encoding="utf-8"))
        if recorded != wanted:
            raise ResumeMismatch(f"--resume: {options.out} was graded with {recorded}, not {wanted}")
    atomic_write(run_file, json.dumps(wanted))


def recorded_seed(out: Path) -> int | None:
    """The seed of the run recorded in ``out``, if any."""
    run_file = out / "run.json"
    return json.loads(run_file.read_text(encoding="utf-8"))["seed"] if run_file.exists() else None


def make_sandbox(options: BatchOptions, folders: list[Path], scratch_root: Path) -> Sandbox:
    """A sandbox hiding hidden checks, solutions, the output folder and every submission."""
    keep = [options.course.resolve(), scratch_root]
    hide = [hidden_dir(options.course), solutions_dir(options.course), options.out]
    for folder in folders:
        parent = folder.resolve().parent
        # hide the folder holding the submissions, unless the course itself lives inside it
        hide.append(folder.resolve() if any(k.is_relative_to(parent) for k in keep) else parent)
    return Sandbox(hide=sorted({p.resolve() for p in hide}), scratch_root=scratch_root)


def grade_batch(
    folders: list[Path], checks: list[CheckFn], options: BatchOptions,
    on_check: Callable[[CheckResult], None] | None = None,
    on_submission: Callable[[SubmissionResult], None] | None = None,
    master: Master | None = None,
) -> list[SubmissionResult]:
    """Grade ``folders`` (``options.jobs`` at a time); the results in the order given.

    Isolated grading uses ``master`` if given (started early by the caller), else starts one.
    """
    options.out.mkdir(parents=True, exist_ok=True)
    start_run(options)
    results: dict[str, SubmissionResult] = {}
    todo = []
    for folder in folders:
        done = finished(options.out, folder.resolve().name) if options.resume else None
        if done:
            results[done.name] = done
        else:
            todo.append(folder)
    gpu = options.device.startswith("cuda")
    gpu_slots = threading.BoundedSemaphore(max(1, options.gpu_slots))
    # the cores shared out among the submissions graded at once
    threads = max(1, (os.cpu_count() or 1) // max(1, min(options.jobs, len(todo))))
    with contextlib.ExitStack() as stack:
        if master is None and options.isolated and todo:
            master = Master()
            stack.callback(master.close)
        sandbox = make_sandbox(options, folders, master.scratch_root) if master else None

        def grade_one(folder: Path) -> SubmissionResult:
            runner = WorkerRunner(folder, master, sandbox, options.limits, threads=threads) if master else None
            try:
                with gpu_slots if gpu else contextlib.nullcontext():
                    result = grade_submission(
                        folder, checks, device=options.device, seed=options.seed, runner=runner,
                        isolation=sandbox.measures(options.limits, options.device, options.gpu_slots) if runner else None, on_check=on_check)
            finally:
                if runner:
                    runner.close()
            write_submission(result, options.out)
            atomic_write(options.out / result.name / DONE, json.dumps(result.to_json(), ensure_ascii=False))
            if on_submission:
                on_submission(result)
            return result

        # in-process grading shares torch's global state (seeds, threads): one at a time
        with ThreadPoolExecutor(max_workers=max(1, options.jobs) if master else 1) as pool:
            for result in pool.map(grade_one, todo):
                results[result.name] = result
    ordered = [results[folder.resolve().name] for folder in folders]
    write_class_files(ordered, options.out)
    return ordered
