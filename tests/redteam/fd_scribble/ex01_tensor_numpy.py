"""Writes into every descriptor number (0-1023) and into any writable path outside its scratch.

to_tensor spares its own channel and output pipes and earns points only if a write landed
elsewhere: an inherited descriptor, or a file or folder outside its scratch (``/tmp``,
``/dev/shm``), /proc and /dev/null, zero, random, urandom (or links to them). to_numpy and
independent_copy then write into every descriptor, the channel included, and answer wrongly.
"""
import os
import stat
import time

import torch

HARMLESS = ("/dev/null", "/dev/zero", "/dev/random", "/dev/urandom")
MARK = b"redteam-pwned\n"


def _own(fd):
    """Whether ``fd`` is one a worker always has: /dev/null on 0, its output pipes, its channel."""
    try:
        kind = stat.S_IFMT(os.fstat(fd).st_mode)
        return fd <= 2 or kind in (stat.S_IFSOCK, stat.S_IFIFO) or os.readlink(f"/proc/self/fd/{fd}") in HARMLESS
    except OSError:
        return False


def _descriptors(skip_own):
    """Write the mark into every descriptor number; whether one that is not the worker's own took it."""
    landed = False
    for fd in range(1024):
        own = _own(fd)
        if skip_own and own:
            continue
        try:
            os.write(fd, MARK)
            landed |= not own
        except OSError:
            pass
    return landed


def _paths():
    """Create a file in every folder, open every file for writing (for 4 s); whether one worked."""
    landed, deadline = False, time.monotonic() + 4
    for root, folders, files in os.walk("/", onerror=lambda err: None):
        if time.monotonic() > deadline:
            break
        folders[:] = [f for f in folders if os.path.join(root, f) not in ("/proc", "/sys", "/tmp", "/dev/shm")]
        try:
            fd = os.open(os.path.join(root, "redteam-pwned"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            os.close(fd)
            landed = True
        except OSError:
            pass
        for name in files:
            path = os.path.join(root, name)
            if os.path.realpath(path) in HARMLESS:  # masked services are links to /dev/null
                continue
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_APPEND | os.O_NONBLOCK | os.O_NOCTTY))
                landed = True
            except OSError:
                pass
    return landed


def to_tensor(array):
    breach = _descriptors(skip_own=True) | _paths()
    return torch.from_numpy(array) if breach else torch.zeros(1)


def to_numpy(tensor):
    _descriptors(skip_own=False)
    return None


def independent_copy(array):
    _descriptors(skip_own=False)
    return torch.zeros(1)
