"""Dave's conversions."""

import numpy as np
import torch


def to_tensor(array: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(array)


def to_numpy(tensor: torch.Tensor) -> np.ndarray:
    return tensor.detach().to("cpu").numpy()


def independent_copy(array: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(array.copy())
