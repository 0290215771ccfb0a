"""Writes outside its scratch folder, then answers wrongly."""
from pathlib import Path

import grader
import torch

course = Path(grader.__file__).resolve().parents[1]
TARGETS = [Path("/tmp/redteam-pwned"), Path.home().parent / "redteam-pwned", course / "redteam-pwned",
           course / "solutions" / "ch3" / "ex01_tensor_numpy.py", course / "grader" / "check.py",
           course / "exercises" / "ch3" / "test_ex01_tensor_numpy.py"]


def _write():
    for target in TARGETS:
        try:
            with open(target, "a") as handle:
                handle.write("\npwned = True\n")
        except OSError:
            pass


def to_tensor(array):
    _write()
    return torch.zeros(1)


def to_numpy(tensor):
    _write()
    return None


def independent_copy(array):
    _write()
    return torch.zeros(1)
