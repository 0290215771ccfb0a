"""Fills its scratch (``/tmp`` and ``/dev/shm``) as fast as it can, in files under the file
size cap, then answers wrongly: only its own later checks may notice."""
import os

import torch

CHUNK = b"\xff" * (4 * 1024 * 1024)


def _fill():
    for folder in ("/dev/shm", "/tmp", os.getcwd()):
        for n in range(10_000):
            try:
                fd = os.open(f"{folder}/redteam-fill-{os.getpid()}-{n}", os.O_WRONLY | os.O_CREAT, 0o644)
            except OSError:
                break
            try:
                for _ in range(3):
                    os.write(fd, CHUNK)
            except OSError:
                break
            finally:
                os.close(fd)


def to_tensor(array):
    _fill()
    return torch.zeros(1)


def to_numpy(tensor):
    _fill()
    return None


def independent_copy(array):
    _fill()
    return torch.zeros(1)
