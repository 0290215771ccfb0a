"""``--gpu-slots N`` honoured: from the run's records, at most N submissions were graded at once.

Each submission's grading (``seconds`` in its ``grading.json``) runs while it holds a GPU
slot, and its result is written just after the slot is given back; so it held the slot over
``[written − seconds, written]``, give or take the writing. Graded with more jobs than
slots, the submissions would overlap more than N deep if the slots were not honoured.
"""

from __future__ import annotations

from pathlib import Path

from gpu_check.outcome import Outcome
from gpu_check.records import load

SLACK = 2.0  # seconds between giving the slot back and writing the result, at most


def most_at_once(spans: list[tuple[float, float]], slack: float = SLACK) -> int:
    """The most of ``spans`` (start, end) that overlap at any moment, each cut by ``slack`` at its
    end (a span shorter than that counts for none)."""
    cut = [(start, end - slack) for start, end in spans if end - slack > start]
    events = sorted([(start, 1) for start, _ in cut] + [(end, -1) for _, end in cut])  # at one moment, ends first
    deepest = depth = 0
    for _, step in events:
        depth += step
        deepest = max(deepest, depth)
    return deepest


def honoured(out: Path, names: list[str], slots: int) -> Outcome:
    """Whether the run ``out`` of ``names`` (graded with more jobs than ``slots``) kept to ``slots``."""
    records = [record for record in (load(out, name) for name in names) if record is not None]
    deepest = most_at_once([(record.ended - record.seconds, record.ended) for record in records])
    held = len(records) == len(names) > slots and deepest <= slots
    return Outcome(f"--gpu-slots {slots} honoured", held,
                   f"at most {deepest} of {len(names)} submissions graded at once with --jobs {len(names)} "
                   f"({len(records)} graded; from each grading.json: its seconds and when it was written)")
