"""Bob's basics 1: the conversions, done in a hurry."""

import numpy as np
import torch


def to_tensor(array: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(array)


def to_numpy(tensor: torch.Tensor) -> np.ndarray:
    # works on the CPU; forgot tensors that require grad
    return tensor.cpu().numpy()


def independent_copy(array: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(array).clone()
