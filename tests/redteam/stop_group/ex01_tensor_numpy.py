"""Stops its whole process group (``killpg(0, SIGSTOP)``) and answers wrongly: if the worker
shares its group with the master or with other submissions' templates, they all freeze."""
import os
import signal

import torch


def to_tensor(array):
    os.killpg(0, signal.SIGSTOP)
    return torch.zeros(1)


def to_numpy(tensor):
    os.killpg(0, signal.SIGSTOP)


def independent_copy(array):
    os.killpg(0, signal.SIGSTOP)
    return torch.zeros(1)
