"""``check("<exercise>")`` in a real notebook, run by a Jupyter kernel of this environment: the
exercise's public checks run on the functions the notebook defined, and their bilingual feedback
renders inline as HTML and as plain text."""

from __future__ import annotations

import html
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from grader.grading.mutants import all_mutants
from grader.judge.catalog import load_checks
from grader.judge.check import spec_of
from tests.conftest import COURSE, SOLUTIONS

PASSING, FAILING = "ex01_tensor_numpy", "ex03_autograd"


def _public(exercise: str) -> list:
    return [spec_of(fn) for fn in load_checks(COURSE, hidden=False) if spec_of(fn).exercise == exercise]


def test_check_in_a_notebook_renders_the_feedback_inline(tmp_path: Path) -> None:
    mutant = next(m for m in all_mutants(COURSE) if m.exercise == FAILING)
    broken = mutant.apply((SOLUTIONS / f"{FAILING}.py").read_text(encoding="utf-8"))
    notebook = new_notebook(cells=[
        new_code_cell("from grader.runners.notebook import check"),
        new_code_cell((SOLUTIONS / f"{PASSING}.py").read_text(encoding="utf-8")),
        new_code_cell(f'check("{PASSING}")'),
        new_code_cell(broken),
        new_code_cell(f'result = check("{FAILING}")\nprint(result.passed, f\"{{result.score:g}}\")\nresult'),
        new_code_cell('check("ex99_nothing")'),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    path = tmp_path / "work.ipynb"
    nbformat.write(notebook, path)
    NotebookClient(notebook, timeout=600, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [cell.outputs for cell in notebook.cells]

    (shown,) = [o for o in outputs[2] if o.output_type == "execute_result"]
    passing = _public(PASSING)
    worth = sum(spec.points for spec in passing)
    summary = f"{PASSING}: {len(passing)}/{len(passing)} public checks pass, {worth:g}/{worth:g} points"
    assert summary in shown.data["text/plain"] and "✗" not in shown.data["text/plain"]
    assert shown.data["text/plain"].count("✓") == len(passing)
    assert html.escape(summary) in shown.data["text/html"] and shown.data["text/html"].count("✓") == len(passing)
    assert f"{PASSING}：公开检查通过" in shown.data["text/html"]  # 中文 first

    failing = _public(FAILING)
    caught = next(spec for spec in failing if spec.name == mutant.catches)
    printed = "".join(o.text for o in outputs[4] if o.output_type == "stream")
    (shown,) = [o for o in outputs[4] if o.output_type == "execute_result"]
    assert printed.split()[0] == "False"
    assert float(printed.split()[1]) <= sum(spec.points for spec in failing) - caught.points
    text, page = shown.data["text/plain"], shown.data["text/html"]
    title = f"{caught.title_zh} / {caught.title_en} ({caught.points:g})"
    assert f"✗ {title}" in text and 1 <= text.count("✗") == page.count("✗") < len(failing), text
    feedback = text.split(f"✗ {title}\n")[1].split("\n✓")[0].split("\n✗")[0].splitlines()
    assert len(feedback) >= 2 and all(line.startswith("    ") for line in feedback), text  # 中文, English, …
    assert html.escape(title) in page and "<pre" in page
    assert html.escape("\n".join(line[4:] for line in feedback)) in page

    (error,) = outputs[5]
    assert error.output_type == "error" and error.ename == "UnknownExercise"
    assert "no exercise named 'ex99_nothing'" in error.evalue and PASSING in error.evalue
    assert "没有名为" in error.evalue
