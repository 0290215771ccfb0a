"""Principle 5: stubs are derived from the solutions, in sync, and leak no solution text."""

from __future__ import annotations

import pytest

from grader.course import EXERCISES
from grader.sync import BEGIN, END, MarkerError, make_stub, stub_pairs, sync
from tests.conftest import ROOT


def _split(source: str) -> tuple[set[str], set[str]]:
    """(stripped lines inside solution regions, stripped lines outside them)."""
    regions: tuple[set[str], set[str]] = (set(), set())
    inside = False
    for line in source.splitlines():
        if line.strip() in (BEGIN, END):
            inside = line.strip() == BEGIN
        elif line.strip():
            regions[0 if inside else 1].add(line.strip())
    return regions


def test_every_exercise_has_a_solution_and_a_stub() -> None:
    assert sorted(s.stem for s, _ in stub_pairs(ROOT)) == sorted(EXERCISES)
    assert all(stub.exists() for _, stub in stub_pairs(ROOT))


def test_stubs_are_in_sync() -> None:
    assert sync(ROOT, check_only=True) == [], "run `grader sync`"


@pytest.mark.parametrize("pair", stub_pairs(ROOT), ids=lambda p: p[0].stem)
def test_no_solution_text_in_stub(pair: tuple) -> None:
    solution, stub = pair
    source, stub_text = solution.read_text(encoding="utf-8"), stub.read_text(encoding="utf-8")
    answers, outside = _split(source)
    assert answers, f"{solution.name} has no solution region"
    stub_lines = {line.strip() for line in stub_text.splitlines()}
    # a solution line may appear in a stub only where it also stands outside the regions
    assert sorted((answers - outside) & stub_lines) == []
    assert BEGIN not in stub_text and END not in stub_text


def test_stub_generation_names_the_function() -> None:
    source = f"class A:\n    def f(\n        self,\n    ) -> int:\n        {BEGIN}\n        return 1\n        {END}\n"
    assert 'raise NotImplementedError("m.A.f: ' in make_stub(source, "m")
    literal = f"X = {{\n    {BEGIN}\n    'a': 1,\n    {END}\n}}\n"
    assert make_stub(literal, "m") == "X = {\n    # 在此填写 / fill in here\n}\n"


@pytest.mark.parametrize("source", [f"{BEGIN}\n", f"{END}\n", f"{BEGIN}\n{BEGIN}\n"])
def test_unbalanced_markers_are_refused(source: str) -> None:
    with pytest.raises(MarkerError):
        make_stub(source, "m")
