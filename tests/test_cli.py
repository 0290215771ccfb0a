"""``grader grade`` and ``grader stubs`` as an instructor runs them."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from grader.cli import main
from tests.conftest import COURSE, EXERCISES, copy_course, validate_gradescope


def test_gradebook_has_one_row_per_submission(graded: Path) -> None:
    rows = list(csv.DictReader((graded / "gradebook.csv").open(encoding="utf-8")))
    assert [r["submission"] for r in rows] == ["ref", "stub", "broken", "snoop"]
    graded = [e for e in EXERCISES if e not in COURSE.practice]  # practice ones only with --include practice
    assert list(rows[0])[:len(graded) + 3] == ["submission", *graded, "total", "max"]
    ref, stub, broken, _ = rows
    assert ref["total"] == ref["max"] and float(stub["total"]) == 0
    assert broken["ex01_tensor_numpy"] == "0" and broken["ex02_linear"] == "0"
    assert broken["ex03_autograd"] == ref["ex03_autograd"] != "0"


def test_results_json_follows_gradescope_schema(graded: Path) -> None:
    data = json.loads((graded / "broken" / "results.json").read_text(encoding="utf-8"))
    validate_gradescope(data)
    for test in data["tests"]:
        assert 0 <= test["score"] <= test["max_score"]
    assert data["score"] == sum(t["score"] for t in data["tests"])
    assert {t["visibility"] for t in data["tests"]} == {"visible", "after_published"}
    syntax = [t for t in data["tests"] if t["name"].startswith("ex01_tensor_numpy.")]
    assert all("Could not import the module ex01_tensor_numpy" in t["output"] for t in syntax)
    assert all("SyntaxError" in t["output"] for t in syntax)


def test_feedback_names_failures_and_seed(graded: Path) -> None:
    text = (graded / "stub" / "feedback.md").read_text(encoding="utf-8")
    assert "`7`" in text and "Not implemented yet" in text and "尚未实现" in text
    assert "ex05_lenet5" in text


def test_bad_paths_are_refused_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["grade", str(tmp_path / "missing"), "--out", str(tmp_path / "o")]) == 2
    assert "not a folder" in capsys.readouterr().out
    assert not (tmp_path / "o").exists()


def test_stubs_check_reports_a_stale_stub(tmp_path: Path) -> None:
    copy_course(tmp_path)
    stub = tmp_path / "exercises" / "ch3" / "ex01_tensor_numpy.py"
    stub.write_text(stub.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert main(["--course", str(tmp_path), "stubs", "--check"]) == 1
    assert main(["--course", str(tmp_path), "stubs"]) == 0
    assert main(["--course", str(tmp_path), "stubs", "--check"]) == 0


def test_workers_forked_by_the_cli_hold_no_hidden_check(graded: Path) -> None:
    """The master is a fresh interpreter that never loads a check: nothing to find in memory."""
    data = json.loads((graded / "snoop" / "results.json").read_text(encoding="utf-8"))
    first = next(t for t in data["tests"] if t["name"].startswith("ex01_tensor_numpy.to_tensor_values"))
    assert "shape (1,)" in first["output"]
