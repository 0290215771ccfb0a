"""基础 1 / Basics 1 — tensors and NumPy arrays (Alice's answer)."""

import numpy as np
import torch


def to_tensor(array: np.ndarray) -> torch.Tensor:
    """Zero-copy view of ``array`` as a tensor."""
    return torch.as_tensor(array)


def to_numpy(tensor: torch.Tensor) -> np.ndarray:
    """The values of ``tensor`` as an array (shares memory for CPU tensors without grad)."""
    if tensor.requires_grad:
        tensor = tensor.detach()
    if tensor.device.type != "cpu":
        tensor = tensor.to("cpu")
    return tensor.numpy()


def independent_copy(array: np.ndarray) -> torch.Tensor:
    """A tensor that owns its own copy of the data."""
    return torch.from_numpy(np.array(array, copy=True))
