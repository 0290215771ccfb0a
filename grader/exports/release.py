"""The student release, and a scan proving that nothing secret went into it.

``write_release`` writes exactly what students get, chosen by folder: for each chapter the
stubs and public checks of ``exercises/<chapter>``; under ``src/`` the runtime (every folder
of ``grader`` but the instructor's: the judge's checks, the student side, the runners, and
the shared modules) and each chapter's public parts (``chapters/<chapter>/probes`` and
``judging``, never its mutants, and a copy of its public checks in ``checks``, which an
installed release needs for ``check()`` in a notebook); a ``pyproject.toml`` (with a
``grader`` command that only watches) and a README that states the grading environment:
the packages installed and the default limits. It then
runs ``find_leaks`` over what it wrote, which looks at every file as text, inside archives
(zip, wheel, tar, gzip, bz2, xz, recursively) and as bytes, for solution code (source lines
and the bytecode of solved functions), hidden checks (file names, check names, source,
bytecode) and the quiz key.
"""

from __future__ import annotations

import ast
import bz2
import gzip
import importlib.metadata
import io
import json
import lzma
import re
import shutil
import sys
import tarfile
import tomllib
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType
from typing import Any

from grader.errors import GraderError
from grader.exports.stubs import BEGIN, END, make_stub, stub_pairs, write_stubs
from grader.judge.catalog import load_checks
from grader.judge.check import spec_of
from grader.manifest import Course
from grader.runners.pytest_plugin import SHOWN_OUTPUT, TIME_LIMIT
from grader.sandbox.limits import Limits

PACKAGE = "grader"
CHAPTERS = "chapters"
INSTRUCTOR_ONLY = ("cli.py", "sandbox", "grading", "reports", "exports")  # what of ``grader`` never ships
CHAPTER_PUBLIC = ("probes", "judging")  # what of ``chapters/<chapter>`` ships
CHECKS = "checks"  # ``chapters/<chapter>/checks``: the public checks again, inside the installed package
WATCH = "grader.runners.watch:main"  # the release's ``grader`` command: ``grader watch``
MIN_LINE = 12  # a source line shorter than this (stripped) is too generic to fingerprint
MIN_CODE = 24  # bytecode shorter than this (bytes) is too generic to fingerprint
MAX_DEPTH = 8  # archives nested deeper than this are reported, not opened
# imports that need a distribution other than the one their top-level name comes from
IMPLIED = {"torch.utils.tensorboard": "tensorboard"}
_COMPRESSED = ((b"\x1f\x8b", gzip.decompress), (b"BZh", bz2.decompress), (b"\xfd7zXZ\x00", lzma.decompress))


class ReleaseError(GraderError):
    """The release cannot be written, or what was written leaks."""


def write_release(course: Course, out: Path) -> list[Path]:
    """Write the student release of ``course`` into ``out`` (absent or empty); the files written."""
    root = course.root
    existed = out.exists()
    if existed and (not out.is_dir() or any(out.iterdir())):
        raise ReleaseError(f"{out} 已存在且不是空文件夹", f"{out} exists and is not an empty folder")
    stale = write_stubs(course, check_only=True)
    if stale:
        names = ", ".join(p.name for p in stale)
        raise ReleaseError(f"存根与参考答案不同步，请先运行 grader stubs：{names}",
                           f"stubs are out of sync, run `grader stubs` first: {names}")
    runtime = runtime_modules(course)
    exercises = [p for chapter in course.chapters for p in sorted(chapter.stubs(root).glob("*.py"))]
    copies = {p.relative_to(root): p for p in exercises}
    copies |= {Path("src") / p: root / p for p in runtime}
    requirements = _requirements(course, exercises + [root / p for p in runtime])
    texts = {Path("pyproject.toml"): _pyproject(course, requirements), Path("README.md"): _readme(course, requirements)}
    for chapter in course.chapters:
        checks = Path("src") / chapter.package(root).relative_to(root) / CHECKS
        copies |= {checks / p.name: p for p in sorted(chapter.stubs(root).glob("test_*.py"))}
        texts[checks / "__init__.py"] = f'"""The public checks of {chapter.id}, for ``check()`` in a notebook."""\n'
    written = []
    for rel, source in copies.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, out / rel)
        written.append(out / rel)
    for rel, text in texts.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text, encoding="utf-8")
        written.append(out / rel)
    leaks = find_leaks(course, out)
    if leaks:
        shutil.rmtree(out)  # it held nothing before: all of it is what was just written
        if existed:
            out.mkdir()
        said = "; ".join(leaks)
        raise ReleaseError(f"发布版泄露了不可公开的内容，已删除：{said}",
                           f"the release leaked what must stay private and was removed: {said}")
    return written


# -- what ships -------------------------------------------------------------------------------

def runtime_modules(course: Course) -> list[Path]:
    """Paths (relative to the course root) of what runs the public checks: every Python file of
    ``grader`` outside :data:`INSTRUCTOR_ONLY`, and each chapter's :data:`CHAPTER_PUBLIC` folders
    (with the package files above them)."""
    root = course.root
    package = root / PACKAGE
    shipped = [p for p in package.rglob("*.py")
               if p.relative_to(package).parts[0] not in INSTRUCTOR_ONLY and "__pycache__" not in p.parts]
    shipped.append(root / CHAPTERS / "__init__.py")
    for chapter in course.chapters:
        shipped.append(chapter.package(root) / "__init__.py")
        for part in CHAPTER_PUBLIC:
            shipped += [p for p in (chapter.package(root) / part).rglob("*.py") if "__pycache__" not in p.parts]
    return sorted(p.relative_to(root) for p in shipped if p.is_file())


def _imports(path: Path) -> Iterator[str]:
    """The name of every module ``path`` imports (``from`` lines: the module, and each name as a
    possible submodule)."""
    for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                raise ReleaseError(f"{path.name}:{node.lineno}：请用绝对导入",
                                   f"{path.name}:{node.lineno}: write absolute imports, relative ones are not followed")
            yield node.module or ""


def _requirements(course: Course, files: list[Path]) -> list[str]:
    """The course's dependency entries for the distributions that ``files`` import."""
    local = {p.stem for chapter in course.chapters for p in chapter.stubs(course.root).glob("*.py")}
    providers = importlib.metadata.packages_distributions()
    wanted: dict[str, str] = {}  # canonical distribution name -> the file that needs it
    for path in files:
        for name in _imports(path):
            top = name.split(".")[0]
            if top in sys.stdlib_module_names or top in local or top in (PACKAGE, CHAPTERS, "__future__"):
                continue
            if top not in providers:
                raise ReleaseError(f"{path.name}：找不到提供 {top} 的发行包",
                                   f"{path.name}: no installed distribution provides {top}")
            for dist in providers[top]:
                wanted.setdefault(_canonical(dist), path.name)
            for prefix, dist in IMPLIED.items():
                if name == prefix or name.startswith(prefix + "."):
                    wanted.setdefault(_canonical(dist), path.name)
    listed = {_canonical(_requirement_name(req)): req for req in _course_project(course)["project"]["dependencies"]}
    missing = ", ".join(f"{d} (needed by {wanted[d]})" for d in sorted(set(wanted) - set(listed)))
    if missing:
        raise ReleaseError(f"课程的 pyproject.toml 缺少依赖：{missing}",
                           f"the course pyproject.toml does not list {missing}")
    return [req for name, req in listed.items() if name in wanted]


def _requirement_name(requirement: str) -> str:
    """The distribution a requirement of the course's pyproject.toml names (``torch>=2.4``: torch)."""
    found = re.match(r"[A-Za-z0-9._-]+", requirement)
    if found is None:
        raise ReleaseError(f"课程的 pyproject.toml 中有无法识别的依赖：{requirement!r}",
                           f"the course pyproject.toml lists a dependency without a name: {requirement!r}")
    return found.group()


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _course_project(course: Course) -> dict[str, Any]:
    return tomllib.loads((course.root / "pyproject.toml").read_text(encoding="utf-8"))


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def _items(values: list[str]) -> str:
    return "[" + ", ".join(_quote(v) for v in values) + "]"


def _pyproject(course: Course, requirements: list[str]) -> str:
    """The release's pyproject.toml: the runtime package, its pytest plugin and ``grader watch``."""
    project = _course_project(course)
    deps = "".join(f"    {_quote(req)},\n" for req in requirements)
    return f"""[build-system]
requires = {_items(project["build-system"]["requires"])}
build-backend = {_quote(project["build-system"]["build-backend"])}

[project]
name = {_quote(course.id + "-exercises")}
version = {_quote(project["project"]["version"])}
description = {_quote(course.title)}
readme = "README.md"
requires-python = {_quote(project["project"]["requires-python"])}
dependencies = [
{deps}]

[project.scripts]
{PACKAGE} = "{WATCH}"

[project.entry-points.pytest11]
{PACKAGE} = "{PACKAGE}.runners.pytest_plugin"

[tool.setuptools.packages.find]
where = ["src"]

[tool.pytest.ini_options]
testpaths = {_items([f"exercises/{chapter.id}" for chapter in course.chapters])}
# each exercise's points, so that the closing table can say what is left to hidden checks
grader_points = {_items([f"{e.id} = {e.points:g}" for chapter in course.chapters for e in chapter.exercises])}
# the practice exercises, which the table shows apart from the graded total
grader_practice = {_items(sorted(course.practice))}
"""


def _titles(path: Path) -> tuple[str, str]:
    """The first sentence of a stub's module docstring, in Chinese and in English."""
    paragraphs = (ast.get_docstring(ast.parse(path.read_bytes())) or "").split("\n\n")
    english = next((p for p in paragraphs if p[:1].isascii() and p[:1].isalpha()), "")
    zh = "".join(line.strip() for line in paragraphs[0].splitlines()).split("。")[0] + "。"
    en = " ".join(english.split()).split(". ")[0].removesuffix(".") + "."
    return zh, en


def _limits() -> str:
    """The default grading limits (``grader grade``'s), as the README's bilingual list."""
    limits = Limits()
    return "\n".join([
        f"- 每次调用你的代码最多 {limits.probe_seconds:g} 秒（墙上时间）；"
        f"每项检查最多 {limits.cpu_seconds} 秒 CPU 时间。"
        f"<br>At most {limits.probe_seconds:g} s (wall clock) per call into your code, and {limits.cpu_seconds} s"
        " of CPU time per check.",
        f"- 内存：每项检查在 PyTorch 之外最多 {limits.memory_mb} MiB；GPU 上最多 {limits.gpu_memory:.0%} 的显存。"
        f"<br>Memory: at most {limits.memory_mb} MiB per check beyond PyTorch itself; on a GPU, at most"
        f" {limits.gpu_memory:.0%} of its memory.",
        f"- 最多 {limits.processes} 个进程和线程；"
        f"写入的文件最大 {limits.file_mb} MiB，临时空间共 {limits.disk_mb} MiB。"
        f"<br>At most {limits.processes} processes and threads; files written up to {limits.file_mb} MiB, "
        f"{limits.disk_mb} MiB of scratch space in all.",
        f"- 同一练习中超时或崩溃 {limits.strikes} 次后，它的其余检查不再运行。"
        f"<br>After {limits.strikes} time-outs or crashes in one exercise, its remaining checks are not run.",
    ])


def _readme(course: Course, requirements: list[str]) -> str:
    rows = "\n".join(f"| `{stub.name}` | {zh}<br>{en} |" for stub in (s for _, s in stub_pairs(course))
                     for zh, en in [_titles(stub)])
    python = _course_project(course)["project"]["requires-python"]
    chapter, first = course.chapters[0], course.chapters[0].exercises[0].id
    packages = "\n".join(f"- `{req}`" for req in requirements)
    template = (Path(__file__).parent / "templates" / "release_README.md").read_text(encoding="utf-8")
    for key, value in (("{TITLE}", course.title), ("{CH}", chapter.id), ("{FIRST}", first), ("{ROWS}", rows),
                       ("{PYTHON}", python), ("{PACKAGES}", packages), ("{LIMITS}", _limits()),
                       ("{TIME_LIMIT}", f"{TIME_LIMIT:g}"), ("{SHOWN_OUTPUT}", str(SHOWN_OUTPUT)),
                       ("{PROJECT}", course.id + "-exercises")):
        template = template.replace(key, value)
    return template


# -- the leak scan ------------------------------------------------------------------------------

@dataclass
class LeakScanner:
    """What must not reach students: exact byte strings and patterns, each with a label."""

    needles: dict[bytes, tuple[str, str]] = field(default_factory=dict)  # bytes -> (kind, example)
    patterns: list[tuple[re.Pattern[bytes], str, str]] = field(default_factory=list)
    key_pairs: list[list[re.Pattern[bytes]]] = field(default_factory=list)  # per quiz: "id: letter" patterns
    key_orders: list[re.Pattern[bytes]] = field(default_factory=list)  # per quiz of 6+ questions: its letters in order

    def find(self, target: Path) -> list[str]:
        """What leaks in ``target``, a file or a folder: one line per file (or archive member) and kind."""
        if target.is_file():
            return self.scan(target.name, target.read_bytes())
        files = sorted(p for p in target.rglob("*") if p.is_file())
        return [leak for p in files for leak in self.scan(p.relative_to(target).as_posix(), p.read_bytes())]

    def scan(self, name: str, data: bytes, depth: int = 0) -> list[str]:
        """What leaks in the file ``name`` (``archive!member`` inside archives) holding ``data``."""
        blob = name.rsplit("!", 1)[-1].encode() + b"\n" + data  # a file's name leaks as much as its content
        found: dict[str, list[str]] = {}
        for needle, (kind, example) in self.needles.items():
            if needle in blob:
                found.setdefault(kind, []).append(example)
        for pattern, kind, example in self.patterns:
            if pattern.search(blob):
                found.setdefault(kind, []).append(example)
        for pairs in self.key_pairs:
            answers = sum(1 for p in pairs if p.search(blob))
            if answers >= max(2, (len(pairs) + 1) // 2):
                found.setdefault("quiz key", []).append(f"{answers} of {len(pairs)} answers next to their question")
        if "quiz key" not in found and any(order.search(blob) for order in self.key_orders):
            found["quiz key"] = ["the answer letters in question order"]
        leaks = [f"{name}: {kind} ({len(ex)}, e.g. {ex[0]})" for kind, ex in found.items()]
        try:
            for member, content in _members(data):
                if depth >= MAX_DEPTH:
                    return [*leaks, f"{name}: archive nested too deeply to scan"]
                leaks += self.scan(f"{name}!{member}", content, depth + 1)
        except (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError, lzma.LZMAError, zlib.error) as err:
            leaks.append(f"{name}: archive that cannot be opened to scan ({err})")
        return leaks


def find_leaks(course: Course, target: Path) -> list[str]:
    """What in ``target`` (a file or a folder, archives and compiled files included) leaks
    solutions, hidden checks or the quiz key of ``course``: one line per file and kind."""
    return leak_scanner(course).find(target)


def leak_scanner(course: Course) -> LeakScanner:
    """The fingerprints of what ``course`` keeps private (its solutions, hidden checks, quiz key).

    A source line or a function's bytecode counts only when it is not trivial and does not
    also occur in the public material (stubs, public checks, the shipped runtime).
    """
    root = course.root
    solutions = [(solution, solution.read_text(encoding="utf-8")) for solution, _ in stub_pairs(course)]
    hidden = [(path, path.read_text(encoding="utf-8")) for chapter in course.chapters
              for path in sorted(chapter.hidden(root).glob("*.py"))]
    public = [make_stub(text, path.stem) for path, text in solutions]
    public += [p.read_text(encoding="utf-8") for chapter in course.chapters for p in chapter.stubs(root).glob("*.py")]
    public += [(root / p).read_text(encoding="utf-8") for p in runtime_modules(course)]
    public_text = "\n".join(public)
    public_code = [code.co_code for text in public for code in _compiled(text, "<public>")]
    prints = LeakScanner()

    def add_line(line: str, kind: str, where: str) -> None:
        line = line.strip()
        if len(line) >= MIN_LINE and line not in public_text:
            prints.needles.setdefault(line.encode(), (kind, f"{where} `{line[:60]}`"))

    def add_code(code: CodeType, kind: str, where: str) -> None:
        if len(code.co_code) >= MIN_CODE and not any(code.co_code in p for p in public_code):
            prints.needles.setdefault(code.co_code, (kind, where))

    for path, text in solutions:
        regions = _region_lines(text)
        for number, line in enumerate(text.splitlines(), start=1):
            if number in regions:
                add_line(line, "solution code", f"{path.name}:{number}")
        for code in _compiled(text, str(path)):
            if _own_lines(code) & regions:
                add_code(code, "compiled solution", f"{path.stem}.{code.co_qualname}")
    for path, text in hidden:
        for number, line in enumerate(text.splitlines(), start=1):
            add_line(line, "hidden check code", f"{path.name}:{number}")
        for code in _compiled(text, str(path)):
            add_code(code, "compiled hidden check", f"{path.name}:{code.co_qualname}")
    prints.needles[b"test_hidden_"] = ("hidden check file name", "test_hidden_")
    for name in _hidden_check_names(course):
        word = name.encode()
        length = re.escape(bytes([len(word) % 256]))  # a marshalled (.pyc) string follows its length byte
        prints.patterns.append((re.compile(rb"(?:(?<!\w)|(?<=" + length + rb"))" + re.escape(word) + rb"(?!\w)"),
                                "hidden check name", name))
    between = rb"""['"]?\s*[:=,]\s*[(\[{]?\s*['"]?"""  # an id and its letter, as code or data writes them
    for key in quiz_keys(hidden):
        prints.key_pairs.append([re.compile(rb"(?<!\w)" + re.escape(q.encode()) + between + re.escape(a.encode())
                                            + rb"(?!\w)") for q, a in key.items()])
        if len(key) >= 6:  # the letters in order, however separated, are specific enough from six on
            letters = rb"\W{0,8}".join(re.escape(a.encode()) for a in key.values())
            prints.key_orders.append(re.compile(rb"(?<!\w)" + letters + rb"(?!\w)"))
    return prints


def _region_lines(text: str) -> set[int]:
    """Numbers of the lines inside solution regions (markers excluded)."""
    inside, lines = False, set()
    for number, line in enumerate(text.splitlines(), start=1):
        marker = line.strip()
        if marker in (BEGIN, END):
            inside = marker == BEGIN
        elif inside:
            lines.add(number)
    return lines


def _compiled(text: str, filename: str) -> Iterator[CodeType]:
    """Every code object of ``text`` compiled by this Python, as plain and as ``-OO`` (no asserts)."""
    for optimize in (0, 2):
        yield from _codes(compile(text, filename, "exec", optimize=optimize))


def _codes(code: CodeType) -> Iterator[CodeType]:
    yield code
    for const in code.co_consts:
        if isinstance(const, CodeType):
            yield from _codes(const)


def _own_lines(code: CodeType) -> set[int]:
    return {line for *_, line in code.co_lines() if line is not None}


def _hidden_check_names(course: Course) -> list[str]:
    """Function names of hidden checks that no public check shares."""
    specs = [spec_of(fn) for fn in load_checks(course)]
    public = {s.name for s in specs if not s.hidden}
    return sorted({f"test_{s.name}" for s in specs if s.hidden and s.name not in public})


def quiz_keys(hidden: list[tuple[Path, str]]) -> list[dict[str, str]]:
    """Each quiz's key, question id -> correct letter: the module-level ``KEY = {...}`` of each
    hidden check file that holds one (a course may have several quizzes, or none)."""
    return [key for _path, text in hidden if (key := quiz_key(text))]


def quiz_key(text: str) -> dict[str, str]:
    """Question id -> correct letter, from the module-level ``KEY = {...}`` of one hidden check
    file's ``text`` (empty when it holds none)."""
    for node in ast.parse(text).body:
        target: ast.expr
        value: ast.expr | None
        if isinstance(node, ast.Assign):
            target, value = node.targets[0], node.value
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id == "KEY" and value is not None:
            key = ast.literal_eval(value)
            return {q: v if isinstance(v, str) else v[0] for q, v in key.items()}
    return {}


def _members(data: bytes) -> Iterator[tuple[str, bytes]]:
    """The files inside ``data`` when it is an archive or compressed; nothing otherwise."""
    for magic, decompress in _COMPRESSED:
        if data.startswith(magic):
            yield "(decompressed)", decompress(data)
            return
    if len(data) >= 512 and tarfile.is_tarfile(io.BytesIO(data)):  # before zip: a tar may hold a whole zip
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            for member in archive.getmembers():
                handle = archive.extractfile(member) if member.isfile() else None
                if handle is not None:
                    yield member.name, handle.read()
    elif zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    yield info.filename, archive.read(info)
