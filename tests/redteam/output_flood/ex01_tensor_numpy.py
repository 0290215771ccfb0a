"""Correct, but prints a flood on every call: the output cap drops it, nothing else changes."""
import sys

import numpy as np
import torch

CHUNK = "x" * (1 << 20)


def _flood():
    for _ in range(16):
        sys.stdout.write(CHUNK)
        sys.stderr.write(CHUNK)


def to_tensor(array: np.ndarray) -> torch.Tensor:
    _flood()
    return torch.from_numpy(array)


def to_numpy(tensor: torch.Tensor) -> np.ndarray:
    _flood()
    return tensor.detach().cpu().numpy()


def independent_copy(array: np.ndarray) -> torch.Tensor:
    _flood()
    return torch.tensor(array)
