"""Functions with the wrong parameters."""
import torch


def to_tensor(array, dtype):
    return torch.from_numpy(array).to(dtype)


def to_numpy():
    return None


independent_copy = 42
