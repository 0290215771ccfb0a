"""What a ``grader grade`` run left on disk for one submission, as the check reads it:
its ``grading.json`` (every check's verdict, the grading's seconds, the isolation measures)
and when that file was written (the end of its grading)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Record:
    """One submission's graded result."""

    name: str
    passed: dict[str, bool]  # check id → passed, graded exercises only
    points: dict[str, float]  # check id → its worth
    seconds: float  # grading it took, from its first check to its last
    ended: float  # when its result was written (seconds since the epoch)
    isolation: list[str]
    results: list[dict[str, Any]]

    @property
    def score(self) -> float:
        return sum(self.points[check] for check, ok in self.passed.items() if ok)

    @property
    def max_score(self) -> float:
        return sum(self.points.values())


def load(out: Path, name: str) -> Record | None:
    """The record of ``name`` in the run folder ``out``; None when its grading never finished."""
    path = out / name / "grading.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    graded = [r for r in data["results"] if r["spec"]["exercise"] not in data.get("practice", [])]
    ids = [f"{r['spec']['exercise']}.{r['spec']['name']}" for r in graded]
    return Record(name, {i: r["passed"] for i, r in zip(ids, graded, strict=True)},
                  {i: r["spec"]["points"] for i, r in zip(ids, graded, strict=True)},
                  data["seconds"], path.stat().st_mtime, data["isolation"], data["results"])
