"""Overrides only the tensor's own comparison methods, then answers wrongly."""
import torch

torch.Tensor.__eq__ = lambda self, other: torch.ones((), dtype=torch.bool)
torch.Tensor.equal = lambda self, other: True


def to_tensor(array):
    return torch.zeros(1)


def to_numpy(tensor):
    return None


def independent_copy(array):
    return torch.zeros(1)
