"""A GPU memory bomb, graded beside the example class: it must be refused at its worker's cap.

Its ``to_tensor`` takes the GPU's memory a GiB at a time until the allocator refuses, holds
what it got for a moment (while its neighbours grade on the same GPU), then raises, saying
how far it got. Contained means: refused at no more than ``--gpu-memory`` of the GPU (and
not far below it, which would mean the GPU failed it for another reason), its grading
finished, and its neighbours kept their scores (:mod:`gpu_check.scores`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from gpu_check.outcome import Outcome
from gpu_check.records import load

NAME = "gpu_bomb"
SOURCE = '''import time

import torch


def to_tensor(array):  # a GiB of GPU memory at a time until refused; hold it; say how far it got
    held, gib = [], 2**30
    total = torch.cuda.get_device_properties(0).total_memory / gib
    try:
        while True:
            held.append(torch.empty(gib, dtype=torch.uint8, device="cuda"))
    except torch.cuda.OutOfMemoryError:
        time.sleep(3)
        raise RuntimeError(f"gpu bomb refused at {len(held)} GiB of {total:.1f} GiB") from None
'''
REFUSED = re.compile(r"gpu bomb refused at (\d+) GiB of ([\d.]+) GiB")


def write(folder: Path) -> Path:
    """The bomb's submission folder, made under ``folder``."""
    bomb = folder / NAME
    bomb.mkdir(parents=True)
    (bomb / "ex01_tensor_numpy.py").write_text(SOURCE, encoding="utf-8")
    return bomb


def contained(out: Path, share: float) -> Outcome:
    """Whether the bomb graded in ``out`` was refused at its cap, ``share`` of the GPU."""
    name = f"GPU memory bomb held to --gpu-memory {share:g}"
    record = load(out, NAME)
    if record is None:
        return Outcome(name, False, "its grading never finished")
    found = [REFUSED.search(json.dumps(result, ensure_ascii=False)) for result in record.results]
    refusals = [(int(m[1]), float(m[2])) for m in found if m]
    if not refusals:
        first = next((r for r in record.results if r["spec"]["exercise"] == "ex01_tensor_numpy"), {})
        said = " ".join(str(first.get(key, "")) for key in ("outcome", "message_en", "details"))
        return Outcome(name, False, f"never refused: {said[:300]}")
    got, total = max(refusals)
    held = share * total / 2 <= got <= share * total
    return Outcome(name, held, f"refused at {got} GiB of {total:.0f} GiB (cap {share:.0%}: {share * total:.1f} GiB) "
                               f"in {len(refusals)} checks; its grading finished")
