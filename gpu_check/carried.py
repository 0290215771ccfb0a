"""Making the grader importable in the chosen Python without a network.

The grader's master runs ``python -I`` from ``/`` with an empty environment, so it sees
site-packages only: ``PYTHONPATH`` cannot reach it. So what is missing is installed into
that Python, from this repository alone: the ``grader`` package itself (editable, as
``make`` installs it) and the few pure-Python packages a GPU machine lacks, carried here as
wheels in ``gpu_check/wheels/``. Anything else missing stops the check, by name.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from gpu_check.interpreter import ROOT
from gpu_check.outcome import CheckStopped

# imported by the grader, the course or its checks, and brought by a GPU machine's Python
BROUGHT = ("torch", "torchvision", "numpy", "PIL", "pytest", "rich", "jinja2", "safetensors", "tensorboard",
           "sklearn")
# module → its distribution, carried as gpu_check/wheels/<distribution>-<version>-py3-none-any.whl
CARRIED = {"torchsummary": "torchsummary", "junitparser": "junitparser", "pyseccomp": "pyseccomp"}
WHEELS = Path(__file__).resolve().parent / "wheels"
PIP_CODE = re.compile(r"error: [a-z]+(-[a-z]+)+\s*$")  # pip's own summary (metadata-generation-failed), not the cause

# run as the master runs: isolated, from /; which modules it finds, and where ``grader`` lies
FIND = """import importlib.util, json, sys
found = {name: importlib.util.find_spec(name) is not None for name in json.loads(sys.argv[1])}
grader = importlib.util.find_spec("grader")
print(json.dumps({"found": found, "grader": list(grader.submodule_search_locations or []) if grader else []}))
"""


def wheel(module: str) -> Path:
    """The carried wheel that provides ``module``."""
    found = sorted(WHEELS.glob(f"{CARRIED[module]}-*-py3-none-any.whl"))
    if len(found) != 1:
        raise CheckStopped(f"gpu_check/wheels/ 中应有且只有一个 {CARRIED[module]} 的 wheel，找到 {len(found)} 个",
                           f"gpu_check/wheels/ should hold exactly one wheel of {CARRIED[module]}, "
                           f"found {len(found)}")
    return found[0]


def missing(python: str) -> tuple[list[str], bool]:
    """The modules ``python`` lacks as the master sees it, and whether its ``grader`` is this repository's."""
    names = [*BROUGHT, *CARRIED]
    done = subprocess.run([python, "-I", "-c", FIND, json.dumps(names)], capture_output=True, text=True,
                          cwd="/", timeout=120)
    if done.returncode != 0:
        raise CheckStopped(f"{python} 无法查看已安装的模块：{done.stderr.strip()[-200:]}",
                           f"{python} could not look up its modules: {done.stderr.strip()[-200:]}")
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    ours = any(Path(path).resolve() == ROOT / "grader" for path in seen["grader"])
    return [name for name in names if not seen["found"][name]], ours


def prepare(python: str) -> list[str]:
    """Install into ``python`` what it lacks, from this repository; what was installed."""
    lacking, ours = missing(python)
    absent = [name for name in lacking if name not in CARRIED]
    if absent:
        raise CheckStopped(f"{python} 缺少 {', '.join(absent)}，本仓库不附带它们，请先安装",
                           f"{python} lacks {', '.join(absent)}, which this repository does not carry: "
                           "install them first")
    wanted = [str(wheel(name)) for name in lacking]
    installed = [*([] if ours else ["grader (editable)"]), *lacking]
    if not installed:
        return []
    done = subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-index",
                           "--no-deps", "--no-build-isolation", "--no-compile",
                           *([] if ours else ["--editable", str(ROOT)]), *wanted],
                          capture_output=True, text=True, timeout=300)
    still, ours = missing(python)
    if done.returncode != 0 or still or not ours:
        lines = f"{done.stderr}\n{done.stdout}".strip().splitlines()
        told = [line.strip() for line in lines if "error:" in line.lower() and not PIP_CODE.search(line)]
        said = ((told or lines)[0] if done.returncode else f"still missing: {', '.join(still) or 'grader'}")[:200]
        raise CheckStopped(f"无法离线安装 {', '.join(installed)}（pip 需要 setuptools>=68）：{said}",
                           f"could not install {', '.join(installed)} offline (pip needs setuptools>=68 there): "
                           f"{said}")
    return installed
