"""Leaves a thread behind that keeps writing files and burning CPU after the call returns."""
import threading
import time

import torch


def _spin():
    while True:
        try:
            with open("/tmp/redteam-thread", "a") as handle:
                handle.write("x")
        except OSError:
            time.sleep(0.01)


def to_tensor(array):
    threading.Thread(target=_spin, daemon=True).start()
    return torch.zeros(1)


def to_numpy(tensor):
    return None


def independent_copy(array):
    return torch.zeros(1)
