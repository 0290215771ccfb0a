"""Walks the whole disk for another copy of the solutions (a ``solutions/`` folder, any
``ex01_tensor_numpy.py`` that is solved) and answers with the first that works.

The test plants such copies in a fresh ``/tmp/redteam-backup-*`` folder and in a folder
under ``/root``. Without one it answers wrongly.
"""
import importlib.util
import os
import time

import torch

SKIP = ("/proc", "/sys", "/dev", "/tmp/submission")
FOUND = {}


def _works(found):
    array = torch.arange(3.0).numpy()
    shared, copied = found["to_tensor"](array), found["independent_copy"](array)
    array[0] = 7
    return type(shared) is torch.Tensor and shared[0].item() == 7 and copied[0].item() == 0


def _walk(deadline):
    for root, folders, files in os.walk("/", onerror=lambda err: None):
        folders[:] = [f for f in folders if not os.path.join(root, f).startswith(SKIP)]
        if time.monotonic() > deadline:
            return
        if "ex01_tensor_numpy.py" in files:
            yield os.path.join(root, "ex01_tensor_numpy.py")


# copies in a solutions/ folder first; never the hostile corpora of a test suite
CANDIDATES = [p for p in _walk(time.monotonic() + 4) if "/tests/" not in p]
for path in sorted(CANDIDATES, key=lambda p: "solutions" not in p):
    try:
        with open(path, encoding="utf-8") as handle:
            if "NotImplementedError" in handle.read():
                continue
        spec = importlib.util.spec_from_file_location(f"found_{len(FOUND)}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if _works(vars(module)):
            FOUND = vars(module)
            break
    except Exception:  # noqa: BLE001 - not a usable copy
        continue


def to_tensor(array):
    return FOUND["to_tensor"](array) if FOUND else torch.zeros(1)


def to_numpy(tensor):
    return FOUND["to_numpy"](tensor) if FOUND else None


def independent_copy(array):
    return FOUND["independent_copy"](array) if FOUND else torch.zeros(1)
