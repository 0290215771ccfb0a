"""Which Python runs the GPU check: the repository's ``.venv`` when its torch sees CUDA, else
this machine's ``python3`` (a GPU machine brings its own, with torch); when neither sees
CUDA, the check stops, naming what each one has."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from gpu_check.outcome import CheckStopped

ROOT = Path(__file__).resolve().parents[1]

# printed by each candidate: its Python, its torch, and the GPU that torch sees
PROBE = """import json, sys
try:
    import torch
except ImportError:
    print(json.dumps({"python": sys.version.split()[0]}))
else:
    cuda = torch.cuda.is_available()
    print(json.dumps({"python": sys.version.split()[0], "torch": torch.__version__, "cuda": cuda,
                      "gpu": torch.cuda.get_device_name(0) if cuda else "",
                      "gpu_gib": torch.cuda.get_device_properties(0).total_memory / 2**30 if cuda else 0.0}))
"""


@dataclass(frozen=True)
class Interpreter:
    """A Python whose torch sees a GPU."""

    path: str
    python: str
    torch: str
    gpu: str
    gpu_gib: float


def candidates() -> list[tuple[str, str]]:
    """(shown name, path) of each Python to try, in order."""
    found = []
    venv = ROOT / ".venv" / "bin" / "python"
    if venv.exists():
        found.append((".venv/bin/python", str(venv)))
    system = shutil.which("python3")
    if system:
        found.append(("python3", system))
    return found


def probe(path: str) -> dict[str, object] | str:
    """What ``path`` reports (see ``PROBE``), or why it reported nothing."""
    try:
        done = subprocess.run([path, "-c", PROBE], capture_output=True, text=True, timeout=180)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"{type(err).__name__}"
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        said = done.stderr.strip().splitlines()
        return said[-1][:120] if said else f"exit code {done.returncode}"
    seen: dict[str, object] = json.loads(lines[-1])
    return seen


def choose() -> Interpreter:
    """The first candidate whose torch sees CUDA; :class:`CheckStopped` when none does."""
    said_zh, said_en = [], []
    for name, path in candidates():
        seen = probe(path)
        if isinstance(seen, str):
            said_zh.append(f"{name}：无法运行（{seen}）")
            said_en.append(f"{name}: could not run ({seen})")
        elif "torch" not in seen:
            said_zh.append(f"{name}：没有 torch")
            said_en.append(f"{name}: no torch")
        elif not seen["cuda"]:
            said_zh.append(f"{name}：torch {seen['torch']}，CUDA 不可用")
            said_en.append(f"{name}: torch {seen['torch']}, no CUDA")
        else:
            return Interpreter(path, str(seen["python"]), str(seen["torch"]), str(seen["gpu"]),
                               float(str(seen["gpu_gib"])))
    raise CheckStopped(f"本机没有可用的 CUDA，GPU 检查无法进行（{'；'.join(said_zh) or '找不到 Python'}）",
                       f"CUDA is not available on this machine, so the GPU check cannot run "
                       f"({'; '.join(said_en) or 'no Python found'})")
