"""Whether a chapter is consistent: the proof behind ``grader check``.

Each function here returns the problems it found, one bilingual line each (中文 / English),
and prints nothing: the manifest and the files agree, the stubs are up to date and score
nothing, the reference scores full marks, every mutant is caught by the check named for it,
and the example submissions score what the manifest says. Grading runs in this process, on
the CPU.
"""

from __future__ import annotations

import importlib
import pkgutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from grader.errors import STRUCTURAL, GraderError
from grader.exports.release import quiz_key
from grader.exports.stubs import write_stubs
from grader.grading.grade import grade_submission, graded_checks
from grader.grading.mutants import Mutant
from grader.judge.catalog import load_checks, use_course
from grader.judge.check import CheckFn, CheckResult, spec_of
from grader.manifest import Chapter, Course

MIN_MUTANTS = 3
REFERENCE_SEED, MUTANT_SEED, EXAMPLE_SEED = 0, 1, 0
NOT_A_CATCH = (*STRUCTURAL, "check_error")  # a mutant that fails this way was not caught by the check's logic


def line(zh: str, en: str) -> str:
    """One problem, on one line: 中文 first."""
    return " ".join(f"{zh} / {en}".split())


def _rel(course: Course, path: Path) -> str:
    return path.relative_to(course.root).as_posix()


def _verdict(result: CheckResult) -> tuple[str, str]:
    """A check result's message, each language on one line."""
    details = " ".join(result.details)[:200]
    return result.message_zh, f"{result.message_en} {details}".strip()


def chapter_checks(course: Course, chapter: Chapter) -> list[CheckFn]:
    """The public and hidden checks of ``chapter``'s exercises; a :class:`GraderError` if they cannot load."""
    try:
        checks = load_checks(course)
    except GraderError:
        raise
    except Exception as err:  # noqa: BLE001 - a check file that does not even import
        raise GraderError(f"无法加载检查：{type(err).__name__}: {err}",
                          f"the checks cannot be loaded: {type(err).__name__}: {err}") from None
    return _of(chapter, checks)


def _of(chapter: Chapter, checks: list[CheckFn]) -> list[CheckFn]:
    """Those of ``checks`` that belong to ``chapter``'s exercises."""
    ids = {exercise.id for exercise in chapter.exercises}
    return [fn for fn in checks if spec_of(fn).exercise in ids]


def _grade(folder: Path, checks: list[CheckFn], seed: int) -> list[CheckResult]:
    return grade_submission(folder, checks, device="cpu", seed=seed).results


# -- 1. the manifest and the files --------------------------------------------------------------

def exercise_files(course: Course, chapter: Chapter, exercise: str) -> dict[str, Path]:
    """What one exercise is made of, by kind: solution, stub, public checks, hidden checks, mutants."""
    root = course.root
    return {
        "solution": chapter.solutions(root) / f"{exercise}.py",
        "stub": chapter.stubs(root) / f"{exercise}.py",
        "public checks": chapter.stubs(root) / f"test_{exercise}.py",
        "hidden checks": chapter.hidden(root) / f"test_hidden_{exercise}.py",
        "mutants": chapter.package(root) / "mutants" / f"{exercise}.py",
    }


def _exercise_ids_on_disk(course: Course, chapter: Chapter) -> dict[str, set[str]]:
    """The exercise ids the chapter's files name, by kind of file."""
    root = course.root

    def modules(folder: Path, prefix: str = "") -> set[str]:
        return {p.stem.removeprefix(prefix) for p in folder.glob(f"{prefix}*.py")
                if not p.name.startswith("_") and (prefix or not p.name.startswith("test_"))}

    return {"solution": modules(chapter.solutions(root)), "stub": modules(chapter.stubs(root)),
            "public checks": modules(chapter.stubs(root), "test_"),
            "hidden checks": modules(chapter.hidden(root), "test_hidden_"),
            "mutants": modules(chapter.package(root) / "mutants")}


def manifest_problems(course: Course, chapter: Chapter) -> list[str]:
    """Every exercise has its five files, no file names an exercise the manifest lacks, each
    exercise's checks add up to its points, and a quiz's ids are those of its hidden key."""
    problems = []
    for exercise in chapter.exercises:
        for kind, path in exercise_files(course, chapter, exercise.id).items():
            if not path.is_file():
                problems.append(line(f"{exercise.id}：缺少文件 {_rel(course, path)}（{kind}）",
                                     f"{exercise.id}: no {kind} file {_rel(course, path)}"))
    listed = {exercise.id for exercise in chapter.exercises}
    for kind, found in _exercise_ids_on_disk(course, chapter).items():
        for stray in sorted(found - listed):
            path = exercise_files(course, chapter, stray)[kind]
            problems.append(line(f"{_rel(course, path)} 所属的练习 {stray} 不在课程清单中",
                                 f"{_rel(course, path)} belongs to {stray}, which the manifest does not list"))
    try:
        checks = chapter_checks(course, chapter)
    except GraderError as err:
        return [*problems, line(err.zh, err.en)]
    points: defaultdict[str, float] = defaultdict(float)
    for fn in checks:
        points[spec_of(fn).exercise] += spec_of(fn).points
    for exercise in chapter.exercises:
        if abs(points[exercise.id] - exercise.points) > 1e-9:
            problems.append(line(f"{exercise.id}：检查共 {points[exercise.id]:g} 分，课程清单为 {exercise.points:g} 分",
                                 f"{exercise.id}: its checks add up to {points[exercise.id]:g} points, "
                                 f"the manifest says {exercise.points:g}"))
    for exercise in chapter.exercises:
        if exercise.quiz:
            problems += _quiz_problems(course, chapter, exercise.id, exercise.quiz)
    return problems


def _quiz_problems(course: Course, chapter: Chapter, exercise: str, ids: tuple[str, ...]) -> list[str]:
    """The quiz ids of the manifest are exactly those of the hidden key."""
    path = exercise_files(course, chapter, exercise)["hidden checks"]
    if not path.is_file():
        return []  # said above
    key = quiz_key(path.read_text(encoding="utf-8"))
    if not key:
        return [line(f"{exercise}：{_rel(course, path)} 中没有答案 KEY = {{...}}",
                     f"{exercise}: {_rel(course, path)} holds no answer key KEY = {{...}}")]
    only_manifest, only_key = sorted(set(ids) - set(key)), sorted(set(key) - set(ids))
    problems = []
    if only_manifest:
        problems.append(line(f"{exercise}：这些题号在课程清单中，却不在答案 KEY 中：{only_manifest}",
                             f"{exercise}: question ids in the manifest but not in the key: {only_manifest}"))
    if only_key:
        problems.append(line(f"{exercise}：这些题号在答案 KEY 中，却不在课程清单中：{only_key}",
                             f"{exercise}: question ids in the key but not in the manifest: {only_key}"))
    return problems


# -- 2. the stubs -------------------------------------------------------------------------------

def stale_stubs(course: Course, chapter: Chapter) -> list[str]:
    """Stubs that differ from what ``grader stubs`` would write from the solutions."""
    folder = chapter.stubs(course.root)
    return [line(f"存根已过期，请运行 grader stubs：{_rel(course, p)}",
                 f"stub out of date, run `grader stubs`: {_rel(course, p)}")
            for p in write_stubs(course, check_only=True) if p.parent == folder]


def stub_outcome_problems(course: Course, chapter: Chapter, checks: list[CheckFn]) -> list[str]:
    """Each of ``checks`` fails on the stubs as "not implemented yet", nothing else."""
    problems = []
    for result in _grade(chapter.stubs(course.root), _of(chapter, checks), REFERENCE_SEED):
        if result.outcome != "not_implemented":
            zh, en = _verdict(result)
            problems.append(line(f"{result.spec.id}：在存根上的结果是 {result.outcome}，应为 not_implemented。{zh}",
                                 f"{result.spec.id}: on the stubs it is {result.outcome}, not not_implemented. {en}"))
    return problems


def stub_problems(course: Course, chapter: Chapter) -> list[str]:
    """The stubs are up to date, and every check (public and hidden) fails on them as not implemented."""
    return stale_stubs(course, chapter) + stub_outcome_problems(course, chapter, chapter_checks(course, chapter))


# -- 3. the reference ---------------------------------------------------------------------------

def reference_problems(course: Course, chapter: Chapter, seed: int = REFERENCE_SEED,
                       checks: list[CheckFn] | None = None) -> list[str]:
    """Every check of the chapter (or ``checks``) passes on the reference solutions."""
    problems = []
    checks = _of(chapter, checks) if checks is not None else chapter_checks(course, chapter)
    for result in _grade(chapter.solutions(course.root), checks, seed):
        if not result.passed:
            zh, en = _verdict(result)
            problems.append(line(f"{result.spec.id} 在参考答案上未通过（{result.outcome}，种子 {seed}）：{zh}",
                                 f"{result.spec.id} fails on the reference ({result.outcome}, seed {seed}): {en}"))
    return problems


# -- 4. the mutants -----------------------------------------------------------------------------

def chapter_mutants(course: Course, chapter: Chapter) -> tuple[list[Mutant], list[str]]:
    """The mutants of ``chapter`` (``chapters/<chapter>/mutants/<exercise>.py``), and the
    problems found loading them (a module that does not import, a mutant of another exercise)."""
    use_course(course)
    package = f"chapters.{chapter.id}.mutants"
    folder = chapter.package(course.root) / "mutants"
    found: list[Mutant] = []
    problems: list[str] = []
    for info in pkgutil.iter_modules([str(folder)]):
        try:
            mutants = list(importlib.import_module(f"{package}.{info.name}").MUTANTS)
        except Exception as err:  # noqa: BLE001 - whatever the module raised, or no MUTANTS
            problems.append(line(f"无法加载变异体模块 {package}.{info.name}：{type(err).__name__}: {err}",
                                 f"cannot load the mutants module {package}.{info.name}: {type(err).__name__}: {err}"))
            continue
        for mutant in mutants:
            if mutant.exercise != info.name:
                problems.append(line(f"{package}.{info.name} 中的变异体 {mutant.name} 属于另一个练习 {mutant.exercise}",
                                     f"mutant {mutant.name} in {package}.{info.name} is for another exercise, "
                                     f"{mutant.exercise}"))
        found += [m for m in mutants if m.exercise == info.name]
    return found, problems


def too_few_mutants(chapter: Chapter, mutants: list[Mutant]) -> list[str]:
    """Each exercise of ``chapter`` has at least :data:`MIN_MUTANTS` mutants."""
    counts = Counter(m.exercise for m in mutants)
    return [line(f"{e.id}：只有 {counts[e.id]} 个变异体，至少需要 {MIN_MUTANTS} 个",
                 f"{e.id}: {counts[e.id]} mutants, at least {MIN_MUTANTS} needed")
            for e in chapter.exercises if counts[e.id] < MIN_MUTANTS]


def mutant_escapes(course: Course, chapter: Chapter, mutant: Mutant, checks: list[CheckFn]) -> list[str]:
    """The mutant fails the check named for it (graded on that check alone); else why not."""
    who = f"{mutant.exercise}.{mutant.name}"
    try:
        source = mutant.apply((chapter.solutions(course.root) / f"{mutant.exercise}.py").read_text(encoding="utf-8"))
    except (GraderError, OSError) as err:
        zh, en = (err.zh, err.en) if isinstance(err, GraderError) else (str(err), str(err))
        return [line(f"变异体 {who} 无法应用：{zh}", f"mutant {who} cannot be applied: {en}")]
    target = [fn for fn in checks if spec_of(fn).id == f"{mutant.exercise}.{mutant.catches}"]
    if not target:
        return [line(f"变异体 {who}：没有名为 {mutant.catches} 的检查",
                     f"mutant {who}: {mutant.exercise} has no check named {mutant.catches}")]
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / f"{mutant.exercise}.py").write_text(source, encoding="utf-8")
        result = _grade(Path(folder), target, MUTANT_SEED)[0]
    if result.passed:
        return [line(f"检查 {mutant.catches} 没有发现变异体 {who}",
                     f"the check {mutant.catches} does not catch the mutant {who}")]
    if result.outcome in NOT_A_CATCH:
        zh, en = _verdict(result)
        return [line(f"变异体 {who} 以 {result.outcome} 失败，而不是被检查发现：{zh}",
                     f"the mutant {who} fails as {result.outcome}, not caught by the check: {en}")]
    return []


def mutant_problems(course: Course, chapter: Chapter) -> list[str]:
    """Enough mutants per exercise, each caught by the check named for it."""
    mutants, problems = chapter_mutants(course, chapter)
    checks = chapter_checks(course, chapter)
    problems += too_few_mutants(chapter, mutants)
    for mutant in mutants:
        problems += mutant_escapes(course, chapter, mutant, checks)
    return problems


# -- 5. the example submissions -----------------------------------------------------------------

def example_problems(course: Course, chapter: Chapter, seed: int = EXAMPLE_SEED) -> list[str]:
    """Each example submission of ``chapter`` scores the total its manifest entry says: of the
    graded exercises, or with ``include_practice`` of the practice ones too."""
    problems = []
    checks = chapter_checks(course, chapter) if chapter.examples else []
    for example in chapter.examples:
        folder = course.root / example.folder
        if not folder.is_dir():
            problems.append(line(f"示例提交 {example.folder} 不存在",
                                 f"the example submission {example.folder} is missing"))
            continue
        results = _grade(folder, graded_checks(course, checks, practice=example.include_practice), seed)
        score = sum(r.score for r in results)
        if abs(score - example.total) > 1e-9:
            failed = ", ".join(r.spec.id for r in results if not r.passed)
            problems.append(line(f"示例提交 {example.folder} 得 {score:g} 分，课程清单为 {example.total:g} 分"
                                 f"（未通过：{failed or '无'}）",
                                 f"the example {example.folder} scores {score:g}, the manifest says {example.total:g} "
                                 f"(failed: {failed or 'none'})"))
    return problems


# -- all of it ----------------------------------------------------------------------------------

PARTS: list[tuple[str, Callable[[Course, Chapter], list[str]]]] = [
    ("清单与文件 / manifest and files", manifest_problems),
    ("存根 / stubs up to date, not implemented", stub_problems),
    ("参考答案 / the reference scores full marks", reference_problems),
    (f"变异体 / every mutant caught (at least {MIN_MUTANTS} per exercise)", mutant_problems),
    ("示例提交 / the examples score their totals", example_problems),
]


def part_problems(part: Callable[[Course, Chapter], list[str]], course: Course, chapter: Chapter) -> list[str]:
    """``part``'s problems; an error of the grader's own (checks that cannot load) is one more."""
    try:
        return part(course, chapter)
    except GraderError as err:
        return [line(err.zh, err.en)]
