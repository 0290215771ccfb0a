"""The benchmark's own parts still run against the engine (``make bench`` is not in the suite)."""

from __future__ import annotations

from bench.__main__ import worker_figures


def test_worker_figures_are_measured() -> None:
    starts, trips = worker_figures(1)
    assert len(starts) == len(trips) == 10
    assert all(0 < t < 30 for t in starts + trips)
