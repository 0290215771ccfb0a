"""Carol's conversions."""

import numpy as np
import torch


def to_tensor(array: np.ndarray) -> torch.Tensor:
    return torch.tensor(array)  # slip: copies instead of sharing memory


def to_numpy(tensor: torch.Tensor) -> np.ndarray:
    return tensor.detach().cpu().numpy()


def independent_copy(array: np.ndarray) -> torch.Tensor:
    return torch.tensor(array)
