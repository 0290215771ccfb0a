"""Hides every failure: replaces the traceback printers, then answers wrongly."""
import sys
import traceback

import torch

sys.excepthook = lambda *args: None
traceback.print_exception = lambda *args, **kwargs: None
traceback.format_exception = lambda *args, **kwargs: ["PASSED\n"]


def to_tensor(array):
    raise RuntimeError("hidden failure")


def to_numpy(tensor):
    raise RuntimeError("hidden failure")


def independent_copy(array):
    return torch.zeros(1)
