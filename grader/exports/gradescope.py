"""Gradescope: the autograder zip, and the grading it runs for each submission.

``build_autograder`` writes the zip: ``setup.sh`` and ``run_autograder`` at its root, the
``grader`` package, ``pyproject.toml``, the public and hidden checks and ``gradescope.json``
(the visibilities and the seed); never the solutions, the kit's tests or the examples.
Gradescope unpacks it into ``/autograder/source``, runs ``setup.sh`` once, then
``run_autograder`` per submission, which runs ``python -m grader.exports.gradescope /autograder``:
the isolated grader on the submission, ``results/results.json`` in Gradescope's format. A
submission without exercise files, or a grader that fails, still gets a valid
``results.json`` (score 0, the reason in 中文 and English). The practice exercises are graded
too, as tests worth nothing (``max_score`` 0, tagged ``practice``): the student sees their
feedback, and the score is the graded exercises' alone.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import tempfile
import traceback
import zipfile
from pathlib import Path
from typing import Any

import grader
from grader.exports import ExportError
from grader.manifest import MANIFEST, Course
from grader.sandbox.limits import Limits

VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
CONFIG = "gradescope.json"

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Python 3.11 or newer: Ubuntu 24.04's python3 (3.12); on 22.04 (python3 is 3.10), python3.11
if python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    apt-get install -y -qq python3-venv; PY=python3
else
    apt-get install -y -qq python3.11 python3.11-venv; PY=python3.11
fi
# the kit in its own environment (Ubuntu's system Python refuses pip installs, PEP 668);
# torch's CPU build first: Gradescope's machines have no GPU, and the CUDA build is gigabytes
"$PY" -m venv /autograder/venv
/autograder/venv/bin/pip install -q --index-url https://download.pytorch.org/whl/cpu torch torchvision
/autograder/venv/bin/pip install -q /autograder/source
# the fence: bubblewrap and libseccomp (where the container refuses namespaces, the grader falls
# back and says so in each result); then compile what the fenced, read-only master imports
apt-get install -y -qq bubblewrap libseccomp2 || true
(cd /autograder/source && /autograder/venv/bin/python -c "from grader.sandbox.master import warm_runtime; warm_runtime()")
"""  # noqa: E501 - the script exactly as it goes into the zip: its command lines stay whole

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for each submission: grade submission/, write results/results.json.
# AUTOGRADER_ROOT and AUTOGRADER_PYTHON replace /autograder and its Python (to try it locally).
root="${AUTOGRADER_ROOT:-/autograder}"
python="${AUTOGRADER_PYTHON:-$root/venv/bin/python}"
results="$root/results/results.json"
mkdir -p "$root/results"
rm -f "$results"
# the hidden checks and the results are root's alone (a fallback worker runs as nobody)
chmod 700 "$root/source" "$root/results"
# run from the unpacked source, so that its grader package is the one imported
(cd "$root/source" && "$python" -m grader.exports.gradescope "$root")
status=$?
echo "grader.exports.gradescope exit status $status"
if [ ! -s "$results" ]; then  # the grader could not even start: still tell the student
    cat > "$results" <<'EOF'
{"score": 0, "output": "自动评分程序未能启动，本次记 0 分；请告知教师。\\nThe autograder could not start, so this submission scores 0 for now; please tell your instructor.", "output_format": "text", "visibility": "visible", "stdout_visibility": "hidden", "tests": []}
EOF
fi
"""  # noqa: E501 - the script exactly as it goes into the zip: the fallback results.json is one line


def _packed_files(course: Course) -> list[Path]:
    """The course files the autograder needs, relative to the course root; no caches, no mutants."""
    root = course.root
    wanted = [root / "grader", root / "pyproject.toml", root / MANIFEST, root / "chapters" / "__init__.py"]
    for chapter in course.chapters:
        package = chapter.package(root)
        wanted += [chapter.stubs(root), chapter.hidden(root), package / "__init__.py", package / "probes",
                   package / "judging"]
    missing = ", ".join(str(p.relative_to(root)) for p in wanted if not p.exists())
    if missing:
        raise ExportError(f"课程仓库缺少 {missing}", f"{root} is not a course repository: {missing} missing")
    files = []
    for part in wanted:
        for path in sorted(part.rglob("*")) if part.is_dir() else [part]:
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                files.append(path.relative_to(root))
    return files


def _entry(zf: zipfile.ZipFile, name: str, data: bytes, mode: int) -> None:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))  # the same course gives the same zip
    info.external_attr = (0o100000 | mode) << 16  # a regular file and its permission bits
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data)


def build_autograder(course: Course, out: Path, *, public: str = "visible", hidden: str = "after_published",
                     seed: int | None = None, limits: Limits = Limits()) -> list[str]:
    """Write Gradescope's autograder zip for ``course`` to ``out``; the names it holds.

    ``public`` and ``hidden`` are the Gradescope visibility of public and hidden checks;
    ``seed`` fixes the hidden checks' seed (default: a random one per submission); ``limits``
    are the workers' resource limits there.
    """
    for level in (public, hidden):
        if level not in VISIBILITIES:
            raise ExportError(f"未知的可见性 {level!r}", f"unknown visibility {level!r}: use one of "
                              f"{', '.join(VISIBILITIES)}")
    files = _packed_files(course)
    config = {"public": public, "hidden": hidden, "seed": seed, "limits": limits.to_json()}
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.")
    try:
        with os.fdopen(fd, "wb") as handle, zipfile.ZipFile(handle, "w") as zf:
            _entry(zf, "setup.sh", SETUP_SH.encode(), 0o755)
            _entry(zf, "run_autograder", RUN_AUTOGRADER.encode(), 0o755)
            _entry(zf, CONFIG, json.dumps(config, indent=2).encode(), 0o644)
            for path in files:
                _entry(zf, path.as_posix(), (course.root / path).read_bytes(), 0o644)
            names = zf.namelist()
        os.replace(tmp, out)
    except BaseException:
        os.unlink(tmp)
        raise
    return names


def expected(course: Course) -> list[str]:
    """The file names of the course's exercise modules."""
    return [f"{exercise.id}.py" for exercise in course.exercises]


def find_modules(submission: Path, course: Course) -> Path | None:
    """The folder in ``submission`` (itself or a sub-folder) holding most exercise modules, if any."""
    best, found, wanted = None, 0, set(expected(course))
    for here, folders, files in os.walk(submission):
        folders[:] = sorted(f for f in folders if not f.startswith((".", "__")))  # .git, __MACOSX
        count = len(wanted & set(files))
        if count > found:
            best, found = Path(here), count
    return best


def _summary(output: str) -> dict[str, Any]:
    """A results.json scoring 0 with no tests: the submission could not be graded."""
    return {"score": 0, "output": output, "output_format": "text", "visibility": "visible",
            "stdout_visibility": "hidden", "tests": []}


def nothing_to_grade(submission: Path, course: Course) -> dict[str, Any]:
    """Score 0: no exercise module anywhere in the submission; say which files were expected."""
    received = sorted(p.name for p in submission.iterdir())[:20] if submission.is_dir() else []
    names = ", ".join(expected(course))
    return _summary(f"未找到任何练习文件，本次记 0 分。请提交 {names}（放在提交的顶层或同一个文件夹中）。\n"
                    f"No exercise file found, so this submission scores 0. Submit {names} "
                    f"(at the top of your submission or together in one folder).\n"
                    f"收到 received: {', '.join(received) or '(nothing / 空)'}")


def grader_failed(exc: BaseException) -> dict[str, Any]:
    """Score 0: the grader itself failed (the traceback goes to the instructor's stdout)."""
    return _summary("评分程序内部出错，本次暂记 0 分；请告知教师，修复后会重新评分。\n"
                    "The grader itself failed, so this submission scores 0 for now; please tell your "
                    f"instructor, who will regrade it once it is fixed.\n({type(exc).__name__})")


def _config(source: Path) -> dict[str, Any]:
    config: dict[str, Any] = json.loads((source / CONFIG).read_text(encoding="utf-8"))
    if config["public"] not in VISIBILITIES or config["hidden"] not in VISIBILITIES:
        raise ExportError(f"{CONFIG}：可见性未知 {config}", f"{CONFIG}: unknown visibility in {config}")
    return config


def grade(root: Path) -> dict[str, Any]:
    """Grade ``root/submission`` with the course in ``root/source``; Gradescope's results."""
    from grader.devices import checked_device
    from grader.grading.batch import BatchOptions, grade_batch
    from grader.reports.files import results_json
    from grader.sandbox.master import Master

    course = Course.load(root / "source")
    config = _config(course.root)
    folder = find_modules(root / "submission", course)
    if folder is None:
        return nothing_to_grade(root / "submission", course)
    seed = config["seed"] if config["seed"] is not None else secrets.randbelow(2**31)
    device = checked_device(None)
    with Master(course, device) as master:  # started before the checks are loaded
        from grader.judge.catalog import load_checks

        checks = load_checks(course)
        with tempfile.TemporaryDirectory(prefix="grader-gradescope-") as out:
            options = BatchOptions(out=Path(out), device=device, seed=seed,  # practice: run, worth nothing
                                   limits=Limits(**config.get("limits", {})), course=course, practice=True)
            [result] = grade_batch([folder], checks, options, master=master)
    data = results_json(result, public=config["public"], hidden=config["hidden"])
    where = folder.relative_to(root / "submission").as_posix()
    if where != ".":
        data["output"] = f"在文件夹 {where} 中找到练习文件 / exercise files found in folder {where}\n{data['output']}"
    fixed = config["seed"] is not None
    data["output"] += ("\n种子由教师固定 / the seed is fixed by the instructor" if fixed
                       else "\n种子为本次提交随机抽取 / the seed was drawn at random for this submission")
    data["extra_data"].update({"seed_fixed": fixed, "folder": where,
                               "grader": str(Path(grader.__file__).resolve().parent)})
    return {**data, "output_format": "text", "test_output_format": "text", "test_name_format": "text",
            "visibility": "visible", "stdout_visibility": "hidden"}


def main(argv: list[str] | None = None) -> int:
    """``python -m grader.exports.gradescope [ROOT]``: grade ``ROOT/submission`` into ``ROOT/results``."""
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0] if args else "/autograder")
    try:
        data = grade(root)
    except Exception as exc:  # noqa: BLE001 - whatever failed, the student still gets a results.json
        traceback.print_exc(file=sys.stdout)  # Gradescope shows stdout to instructors only
        data = grader_failed(exc)
    from grader.grading.store import atomic_write

    atomic_write(root / "results" / "results.json", json.dumps(data, ensure_ascii=False, indent=2))
    print(f"score {data['score']:g}; {root / 'results' / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
