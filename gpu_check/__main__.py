"""``python -m gpu_check`` (``make gpu-check``): prove the CUDA path on this machine, or say why not.

Exit status 0 when every proof held, 1 when one did not or when the check could not run
(no CUDA, a module missing that this repository does not carry), with the reason in one
bilingual line. The run folders are kept when a proof failed, and named.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from gpu_check import bomb, carried, interpreter, scores, slots, suite, training
from gpu_check.interpreter import ROOT
from gpu_check.jobs import Job
from gpu_check.outcome import CheckStopped, Outcome
from gpu_check.records import load

BUDGET = 300.0  # seconds the whole check should take on a GPU machine
GPU_SLOTS, GPU_MEMORY, SEED = 2, 0.45, 0
EXAMPLES = sorted(p for p in (ROOT / "examples" / "submissions").iterdir() if p.is_dir())


def grade(python: str, device: str, folders: list[Path], out: Path) -> list[str]:
    """``grader grade`` of ``folders`` on ``device``, all at once (up to the GPU's slots)."""
    return [python, "-m", "grader.cli", "grade", *map(str, folders), "--out", str(out), "--seed", str(SEED),
            "--device", device, "--jobs", str(len(folders)), "--gpu-slots", str(GPU_SLOTS),
            "--gpu-memory", str(GPU_MEMORY)]


def run(python: str, work: Path, started: float) -> list[Outcome]:
    """Every proof, the long ones side by side, then ex05's timing alone on a quiet machine."""
    names = [folder.name for folder in EXAMPLES]
    cuda, cpu = work / "cuda", work / "cpu"
    beside = [*EXAMPLES, bomb.write(work / "class")]
    jobs = [Job("public suite", [python, *suite.ARGS], work / "suite.log", suite.ENV),
            Job("class on CUDA, beside the bomb", grade(python, "cuda", beside, cuda), work / "cuda.log"),
            Job("class on the CPU", grade(python, "cpu", EXAMPLES, cpu), work / "cpu.log")]
    finished = [job.wait(started + BUDGET - 60 - time.perf_counter()) for job in jobs]
    outcomes = [suite.outcome(finished[0])]
    for label, done in zip(("CUDA", "CPU"), finished[1:], strict=True):
        if done.returncode != 0:
            late = "stopped at its time limit" if done.returncode is None else f"exit code {done.returncode}"
            outcomes.append(Outcome(f"grader grade on {label}", False, f"{late}\n{done.tail()}"))
    outcomes += [scores.compare(cuda, cpu, names), bomb.contained(cuda, GPU_MEMORY),
                 slots.honoured(cuda, [*names, bomb.NAME], GPU_SLOTS)]
    timing = Job("ex05 training on the GPU and the CPU", [python, "-m", "gpu_check.training"], work / "ex05.log")
    outcomes.append(training.outcome(timing.wait(120)))
    return outcomes


def measures(out: Path, name: str) -> list[str]:
    """The isolation measures the CUDA run reported for ``name``."""
    record = load(out, name)
    return record.isolation if record else ["(no record: its grading never finished)"]


def main() -> int:
    started = time.perf_counter()
    print("GPU 检查 GPU check", flush=True)
    try:
        chosen = interpreter.choose()
        installed = carried.prepare(chosen.path)
    except CheckStopped as stopped:
        print(stopped.line(), file=sys.stderr)
        return 1
    print(f"  {chosen.path}: Python {chosen.python}, torch {chosen.torch}, {chosen.gpu} ({chosen.gpu_gib:.0f} GiB); "
          f"installed from this repository: {', '.join(installed) or 'nothing needed'}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="gpu-check-"))
    outcomes = run(chosen.path, work, started)
    seconds = time.perf_counter() - started
    outcomes.append(Outcome("whole check within its budget", seconds <= BUDGET,
                            f"{seconds:.0f} s (target under {BUDGET:.0f} s)"))
    said = measures(work / "cuda", EXAMPLES[0].name)
    held = [measure for measure in said if "NOT" not in measure]
    print(f"隔离措施 isolation measures on this machine, {len(held)} of {len(said)} in force "
          "(the CUDA run's report; NOT: not in force):")
    for measure in said:
        print(f"  · {measure}")
    print("结果 summary:")
    for outcome in outcomes:
        print(f"  {outcome.line()}")
    failed = [outcome.name for outcome in outcomes if not outcome.held]
    if failed:
        print(f"gpu-check: {len(failed)} 项未通过 / {len(failed)} not proven: {'; '.join(failed)} "
              f"(logs and run folders: {work})", file=sys.stderr)
        return 1
    shutil.rmtree(work, ignore_errors=True)
    print("gpu-check: CUDA 路径已验证 / the CUDA path is proven on this machine")
    return 0


if __name__ == "__main__":
    sys.exit(main())
