"""Probes for ex23_csv_missing: the judge's CSV text written into a scratch folder, then loaded.

The text crosses the boundary as a string; the probe writes it, byte for byte (UTF-8), to
``<scratch>/<name>`` and hands the student's ``load_csv`` that path, as a str or a Path.
"""

from __future__ import annotations

from pathlib import Path

from grader.probing.observe import ResultObservation, describe, scratch_dir
from grader.probing.registry import probe
from grader.probing.submission import Submission

MODULE = "ex23_csv_missing"


@probe("ch3.ex23.load")
def load(sub: Submission, device: str, text: str, name: str = "data.csv", as_path: bool = False) -> ResultObservation:
    """``load_csv(path)`` for a file holding ``text`` (path a Path with ``as_path``, else a str)."""
    with scratch_dir() as scratch:
        path = Path(scratch) / name
        path.write_bytes(text.encode("utf-8"))
        return {"result": describe(sub.call(sub.module(MODULE).load_csv, path if as_path else str(path)))}
