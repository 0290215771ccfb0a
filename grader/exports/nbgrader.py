"""The course as an nbgrader course folder: one source notebook per exercise.

``COURSE/source/<chapter>/<exercise>.ipynb`` holds the statement (the solution module's
docstring), the solution code with its ``### BEGIN SOLUTION`` regions (nbgrader's own
markers), a locked setup cell for the public checks, and one autograder test cell per
check: public checks in the open, hidden ones between ``### BEGIN HIDDEN TESTS`` and
``### END HIDDEN TESTS``. A practice exercise's notebook says so under its heading and in its
metadata (``grader.practice``). Each test cell defines its check and calls
:func:`grader.runners.notebook.run` on the notebook's own code, hidden ones with the export's seed,
so nbgrader's scores are those of ``grader grade --seed N``.

A region inside a module-level literal (``TABLE = {`` … ``}``) cannot become nbgrader's
``raise NotImplementedError()`` stub in place, so that statement gets a cell of its own:
the empty literal, then the whole literal again inside the solution region.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader.exports import ExportError
from grader.exports.stubs import BEGIN, END, make_stub
from grader.grading.store import atomic_write
from grader.judge.catalog import load_checks
from grader.judge.check import CheckFn, spec_of
from grader.manifest import Chapter, Course

RUNNER = "run"  # the name test cells call: grader.runners.notebook.run
HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"

CONFIG = '''\
"""nbgrader configuration of the {course} course (written by `grader export nbgrader`)."""

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.course_id = "{course}"
# an exercise may train a model inside the notebook: give every cell time to finish
c.Execute.timeout = 300
c.ClearSolutions.code_stub = {{"python": "# 在此填写你的代码 / YOUR CODE HERE\\nraise NotImplementedError()"}}
'''

CHECKS_INTRO = """\
## 检查 / Checks

运行下面的单元格检查你的代码；每个单元格是一项检查，未通过时给出期望与实际结果。评分时还会运行隐藏检查（随机形状与数值）。

Run the cells below to check your code; each cell is one check and, when it fails, says what was
expected and what came back. Grading also runs hidden checks (random shapes and values).
"""

PRACTICE_NOTE = "> **练习题，不计入总分 / Practice: not part of the grade.**\n\n"

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def grade_id(text: str) -> str:
    """``text`` as an nbgrader grade id (and cell id): letters, digits, ``_`` and ``-``."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", text)[:64]


def _cell(cell: NotebookNode, gid: str, *, solution: bool = False, grade: bool = False, locked: bool = False,
          points: float | None = None) -> NotebookNode:
    """``cell`` with nbgrader's metadata (schema 3) and ``gid`` as its grade id and cell id."""
    meta = {"grade": grade, "grade_id": gid, "locked": locked, "schema_version": 3, "solution": solution}
    if points is not None:
        meta["points"] = points
    cell.id = gid
    cell.metadata["nbgrader"] = meta
    return cell


def _source(lines: list[str]) -> str:
    return "".join(lines).strip("\n") + "\n"


def _without_docstring(tree: ast.Module, lines: list[str]) -> tuple[str | None, list[str]]:
    """The module docstring of ``tree`` (if any) and the source ``lines`` after it."""
    docstring = ast.get_docstring(tree, clean=True)
    if docstring is None:
        return None, lines
    return docstring, lines[tree.body[0].end_lineno:]


def statement_markdown(chapter: str, exercise: str, docstring: str, *, practice: bool = False) -> str:
    """The statement as Markdown: a heading (a practice exercise says so under it), then the docstring.

    A line followed by an indented line (a quiz question and its options) ends with a hard
    line break, so that Markdown keeps them on separate lines.
    """
    lines = docstring.splitlines()
    for i, line in enumerate(lines[:-1]):
        if line.strip() and lines[i + 1].startswith(" "):
            lines[i] = line + "  "
    return f"# {chapter} · {exercise}\n\n" + (PRACTICE_NOTE if practice else "") + "\n".join(lines) + "\n"


def solution_segments(source: str, module: str) -> list[str]:
    """The solution module's code, docstring removed, as the texts of consecutive code cells.

    A module-level statement with a solution region inside a literal gets a cell of its own,
    rewritten as its stub (the empty literal) followed by the whole statement between the
    solution markers, so that nbgrader's stub for that region is a statement.
    """
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    _, body = _without_docstring(tree, lines)
    offset = len(lines) - len(body)
    segments: list[list[str]] = []
    start: int | None = offset  # then the end of the last statement cut out (ast types it as optional)
    for node in tree.body:
        text = lines[node.lineno - 1:node.end_lineno]
        if not any(line.strip() == BEGIN for line in text):
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if _literal_region(text):
                raise ExportError(f"{module}.py:{node.lineno}：函数或类中的解答区域不能位于字面量内",
                                  f"{module}.py:{node.lineno}: a solution region inside a literal is only "
                                  "supported at module level")
            continue
        plain = [line for line in text if line.strip() not in (BEGIN, END)]
        segments += [lines[start:node.lineno - 1],
                     [make_stub("".join(text), module), f"{BEGIN}\n", *plain, f"{END}\n"]]
        start = node.end_lineno
    segments.append(lines[start:])
    return [_source(segment) for segment in segments if "".join(segment).strip()]


def _literal_region(lines: list[str]) -> bool:
    """Whether a solution region in ``lines`` opens right after ``{``, ``[`` or ``(``."""
    previous = ""
    for line in lines:
        if line.strip() == BEGIN and previous.rstrip().endswith(("{", "[", "(")):
            return True
        if line.strip():
            previous = line
    return False


def _bound_names(node: ast.stmt) -> set[str]:
    """The module-level names a top-level statement binds."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
    return {n.id for t in targets if t is not None for n in ast.walk(t) if isinstance(n, ast.Name)}


def _imported(module: str, name: str | None) -> Any:
    """``module`` (its top package without ``name``) or ``module.name``; a fresh object if it fails."""
    try:
        found = importlib.import_module(module)
        return found if name is None else getattr(found, name)
    except (ImportError, AttributeError):
        return object()


def _bound_values(body: list[ast.stmt]) -> dict[str, Any]:
    """Module-level name → the object it is bound to where that is known without running the
    module (an import, a literal); anything else is bound to a fresh object, equal to nothing."""
    values: dict[str, Any] = {}
    for node in body:
        if isinstance(node, ast.Import):
            values.update({alias.asname or alias.name.split(".")[0]:
                           _imported(alias.name if alias.asname else alias.name.split(".")[0], None)
                           for alias in node.names})
        elif isinstance(node, ast.ImportFrom):
            values.update({alias.asname or alias.name: _imported(node.module or "", alias.name)
                           for alias in node.names})
        else:
            value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None  # None: `x: int` too
            try:
                literal = ast.literal_eval(value) if value is not None else object()
            except (ValueError, TypeError, SyntaxError):
                literal = object()
            values.update(dict.fromkeys(_bound_names(node), literal))
    return values


def _same(a: Any, b: Any) -> bool:
    try:
        return a is b or (type(a) is type(b) and bool(a == b))
    except Exception:  # noqa: BLE001 - values without a plain equality are not the same
        return False


def _used_names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _segment(lines: list[str], node: ast.stmt) -> str:
    """The source of a top-level statement, decorators included."""
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    return _source(lines[first - 1:node.end_lineno])


def _joined(lines: list[str], nodes: list[ast.stmt]) -> str:
    """The sources of top-level statements, spaced as PEP 8 spaces them."""
    text, previous = "", None
    for node in nodes:
        if previous is not None:
            imports = (ast.Import, ast.ImportFrom)
            defs = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
            text += "" if isinstance(node, imports) and isinstance(previous, imports) else \
                "\n\n" if isinstance(node, defs) or isinstance(previous, defs) else "\n"
        text += _segment(lines, node)
        previous = node
    return text


class CheckFile:
    """One check file, parsed: its checks' sources and what each needs from the module level."""

    def __init__(self, path: Path) -> None:
        self.path = path
        text = path.read_text(encoding="utf-8")
        self.lines = text.splitlines(keepends=True)
        tree = ast.parse(text)
        self.body = tree.body[1:] if ast.get_docstring(tree) is not None else tree.body
        self.defs = {node.name: node for node in self.body if isinstance(node, ast.FunctionDef)}

    def imports(self) -> list[ast.stmt]:
        return [node for node in self.body if isinstance(node, (ast.Import, ast.ImportFrom))]

    def setup(self, checks: set[str]) -> str:
        """Everything but the checks ``checks`` (by function name): imports and helpers."""
        return _joined(self.lines, [node for node in self.body
                                    if not (isinstance(node, ast.FunctionDef) and node.name in checks)])

    def check_source(self, name: str) -> str | None:
        """The source of check ``name`` with its decorator, if a top-level ``def`` defines it."""
        node = self.defs.get(name)
        return _segment(self.lines, node) if node else None

    def standalone(self, name: str) -> str:
        """Imports, the module-level helpers check ``name`` needs (transitively), then the check.

        A check made at run time (no top-level ``def``) gets the whole file.
        """
        node = self.defs.get(name)
        if node is None:
            return _joined(self.lines, self.body)
        helpers = [n for n in self.body if n is not node and not isinstance(n, (ast.Import, ast.ImportFrom))]
        needed, todo = set(), _used_names(node)
        while todo:
            needed |= todo
            todo = set().union(*(_used_names(n) for n in helpers if _bound_names(n) & todo)) - needed
        chosen = self.imports() + [n for n in helpers if _bound_names(n) & needed] + [node]
        chosen.sort(key=lambda n: n.lineno)
        return _joined(self.lines, chosen)

    def bound_values(self) -> dict[str, Any]:
        return _bound_values(self.body)


def _files(checks: list[CheckFn]) -> dict[Path, CheckFile]:
    paths = sorted({Path(fn.__code__.co_filename) for fn in checks})
    return {path: CheckFile(path) for path in paths}


def _check_names_free(module: str, solution: dict[str, Any], files: list[CheckFile]) -> None:
    """Refuse an export where a test cell would rebind a name of the student's code to
    something else (the same import, or a constant of equal value, is harmless)."""
    tests = {RUNNER: object()}
    for file in files:
        tests.update(file.bound_values())
    taken = sorted(name for name in set(tests) & set(solution) if not _same(tests[name], solution[name]))
    if taken:
        raise ExportError(f"{module}：检查代码会覆盖解答中的名字 {', '.join(taken)}",
                          f"{module}: the checks would rebind {', '.join(taken)} of the solution; "
                          "rename them in the checks")


def _test_cells(exercise: str, checks: list[CheckFn], files: dict[Path, CheckFile], seed: int) -> list[NotebookNode]:
    """The locked setup cell of the public checks, then one autograder test cell per check."""
    runner_import = f"from grader.runners.notebook import {RUNNER}\n"  # after the file's own (``__future__`` first)
    public = [fn for fn in checks if not spec_of(fn).hidden]
    cells = []
    if public:
        file = files[Path(public[0].__code__.co_filename)]
        setup = f"{file.setup({fn.__name__ for fn in public})}\n{runner_import}"
        cells.append(_cell(new_code_cell(setup), f"{exercise}-checks-setup", locked=True))
    for fn in checks:
        spec = spec_of(fn)
        file = files[Path(fn.__code__.co_filename)]
        if spec.hidden:
            body = (f"{HIDDEN_BEGIN}\n{file.standalone(fn.__name__)}\n\n{runner_import}"
                    f"{RUNNER}({fn.__name__}, globals(), seed={seed})\n{HIDDEN_END}")
        else:
            found = file.check_source(fn.__name__)
            if found is None:
                raise ExportError(f"{file.path}：公开检查 {fn.__name__} 必须是顶层函数",
                                  f"{file.path}: the public check {fn.__name__} must be a top-level def")
            body = f"{found}\n{RUNNER}({fn.__name__}, globals())"
        cells.append(_cell(new_code_cell(body), grade_id(spec.id), grade=True, locked=True, points=spec.points))
    return cells


def exercise_notebook(course: Course, chapter: Chapter, exercise: str, checks: list[CheckFn],
                      seed: int) -> NotebookNode:
    """The nbgrader source notebook of ``exercise`` with ``checks`` (its public and hidden ones)."""
    path = chapter.solutions(course.root) / f"{exercise}.py"
    if not path.is_file():
        raise ExportError(f"找不到参考答案 {path}", f"no reference solution at {path}")
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    docstring, _ = _without_docstring(tree, source.splitlines(keepends=True))
    if not docstring:
        raise ExportError(f"{path}：缺少题目说明（模块文档字符串）",
                          f"{path}: the module has no docstring (the statement)")
    files = _files(checks)
    _check_names_free(exercise, _bound_values(tree.body), list(files.values()))

    practice = course.exercise(exercise).practice
    cells = [_cell(new_markdown_cell(statement_markdown(chapter.id, exercise, docstring, practice=practice)),
                   f"{exercise}-statement", locked=True)]
    for i, text in enumerate(solution_segments(source, exercise), start=1):
        if BEGIN in text:
            cells.append(_cell(new_code_cell(text), f"{exercise}-solution-{i}", solution=True))
        else:  # imports and the like: the student's to edit, nothing to grade
            cells.append(new_code_cell(text, id=f"{exercise}-code-{i}"))
    cells.append(_cell(new_markdown_cell(CHECKS_INTRO), f"{exercise}-checks-intro", locked=True))
    cells += _test_cells(exercise, checks, files, seed)
    for cell in cells:
        cell.source = cell.source.rstrip("\n")
    notebook: NotebookNode = new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC,
                                                                 "language_info": {"name": "python"},
                                                                 "grader": {"exercise": exercise,
                                                                            "practice": practice}})
    nbformat.validate(notebook)
    return notebook


def export_course(course: Course, out: Path, seed: int) -> list[Path]:
    """Write the nbgrader course for ``course`` into ``out`` (one assignment per chapter, one
    notebook per exercise); the notebooks written."""
    checks = load_checks(course)
    notebooks = {(chapter.id, exercise.id): exercise_notebook(
        course, chapter, exercise.id, [fn for fn in checks if spec_of(fn).exercise == exercise.id], seed)
        for chapter in course.chapters for exercise in chapter.exercises}  # all built before any is written
    written = []
    for (chapter, exercise), notebook in notebooks.items():
        path = out / "source" / chapter / f"{exercise}.ipynb"
        atomic_write(path, nbformat.writes(notebook) + "\n")
        written.append(path)
    atomic_write(out / "nbgrader_config.py", CONFIG.format(course=course.id))
    return written
