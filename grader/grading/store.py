"""What a grading run leaves on disk for the next one: each submission's finished result
(``grading.json``, written last and atomically) and the run's seed and device (``run.json``),
so that ``--resume`` redoes nothing and replays exactly."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from grader.errors import GraderError
from grader.grading.grade import SubmissionResult

DONE = "grading.json"  # a submission's full result, written last: its presence means finished


def finished(out: Path, name: str) -> SubmissionResult | None:
    """The result of submission ``name`` in the run folder ``out``, if its grading finished."""
    path = out / name / DONE
    if not path.exists():
        return None
    return SubmissionResult.from_json(json.loads(path.read_text(encoding="utf-8")))


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader sees the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    os.replace(tmp, path)


class ResumeMismatch(GraderError):
    """``--resume`` over a run made with another seed or device, or with and without practice."""


def start_run(out: Path, *, seed: int, device: str, resume: bool, practice: bool = False) -> None:
    """Record the run's seed, device and whether it grades the practice exercises; with
    ``resume``, insist they match the recorded ones."""
    run_file = out / "run.json"
    wanted = {"seed": seed, "device": device, "practice": practice}
    if resume and run_file.exists():
        recorded = {"practice": False, **json.loads(run_file.read_text(encoding="utf-8"))}  # older runs: none
        if recorded != wanted:
            hint_zh, hint_en = ("", "")
            if recorded["practice"] != practice:  # said plainly: the usual cause is --include practice
                did = recorded["practice"]
                hint_zh = f"（那次评分{'包含' if did else '不含'}练习题：--include practice 须与之一致）"
                hint_en = (f" (that run graded {'the' if did else 'no'} practice exercises: --include practice "
                           "must agree)")
            raise ResumeMismatch(f"--resume：{out} 的评分用的是 {recorded}，不是 {wanted}{hint_zh}",
                                 f"--resume: {out} was graded with {recorded}, not {wanted}{hint_en}")
    atomic_write(run_file, json.dumps(wanted))


def recorded_seed(out: Path) -> int | None:
    """The seed of the run recorded in ``out``, if any."""
    run_file = out / "run.json"
    return json.loads(run_file.read_text(encoding="utf-8"))["seed"] if run_file.exists() else None
