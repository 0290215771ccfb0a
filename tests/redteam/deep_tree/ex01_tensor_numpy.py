"""Builds a directory tree 3,000 levels deep in its scratch (deeper than any path may be
written), leaves it there for whoever cleans up, and answers wrongly."""
import os

import torch


def _deep_tree(levels=3000):
    start = os.open(".", os.O_RDONLY)
    try:
        os.makedirs("redteam-deep", exist_ok=True)
        os.chdir("redteam-deep")
        for _ in range(levels):
            try:
                os.mkdir("d")
            except FileExistsError:
                pass
            os.chdir("d")
    finally:
        os.fchdir(start)
        os.close(start)


def to_tensor(array):
    _deep_tree()
    return torch.zeros(1)


def to_numpy(tensor):
    _deep_tree()
    return None


def independent_copy(array):
    _deep_tree()
    return torch.zeros(1)
