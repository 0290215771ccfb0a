"""Reaches into the other processes it can see (its template, the spare worker waiting for
the next check): opens their memory (``/proc/PID/mem``) for writing, their descriptors
(``/proc/PID/fd/*``: the template's control socket to the judge), their root and working
folders, and makes itself dumpable again so that nothing of its own is protected.

Its own earlier workers (which ran its code, and made themselves dumpable) may still be
ending when a check starts; each worker notes its process id in the scratch, and those are
left out. It earns points only if it got hold of the memory, descriptors or folders of a
process that never ran its code; else it answers wrongly.
"""
import ctypes
import os

import torch

PR_SET_DUMPABLE = 4


KIN = "/tmp/redteam-kin"


def _others():
    """Processes that never ran this code: the template, the spare worker."""
    with open(KIN, "a") as kin:
        kin.write(f"{os.getpid()}\n")
    with open(KIN) as kin:
        mine = {int(line) for line in kin if line.strip()}
    return [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in mine]


def _breach():
    ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
    got = False
    for pid in _others():
        for path, flags in ((f"/proc/{pid}/mem", os.O_RDWR), (f"/proc/{pid}/environ", os.O_RDONLY)):
            try:
                os.close(os.open(path, flags))
                got = True
            except OSError:
                pass
        try:
            for name in os.listdir(f"/proc/{pid}/fd"):
                os.close(os.open(f"/proc/{pid}/fd/{name}", os.O_RDWR))
                got = True
        except OSError:
            pass
        for link in ("root", "cwd"):
            try:
                os.listdir(f"/proc/{pid}/{link}")
                got = True
            except OSError:
                pass
    return got


def to_tensor(array):
    return torch.from_numpy(array) if _breach() else torch.zeros(1)


def to_numpy(tensor):
    return tensor.detach().cpu().numpy() if _breach() else None


def independent_copy(array):
    return torch.tensor(array) if _breach() else torch.zeros(1)
