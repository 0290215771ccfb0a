"""基础 1：张量与 NumPy 数组之间的转换。

`torch.from_numpy()` 得到的张量与原数组共享内存；`.numpy()` 反过来也共享内存，但 GPU
张量要先 `.cpu()`，需要梯度的张量要先 `.detach()`。若要一份互不影响的副本，就要复制数据。
实现下面三个函数，并说明何时共享内存、何时不共享。

Basics 1: converting between tensors and NumPy arrays.

`torch.from_numpy()` gives a tensor that shares memory with the array; `.numpy()` shares
memory the other way, but a GPU tensor must first go through `.cpu()` and a tensor that
requires grad through `.detach()`. An independent copy means copying the data. Implement
the three functions below and know when memory is shared and when it is not.
"""

import numpy as np
import torch


def to_tensor(array: np.ndarray) -> torch.Tensor:
    """A tensor that shares memory with ``array``: t = from_numpy(array).

    Args:
        array: any shape (...), any numeric dtype NumPy and torch share.
    Returns:
        Tensor of the same shape (...) and dtype; a write through either is seen by the other.
    """
    ### BEGIN SOLUTION
    return torch.from_numpy(array)
    ### END SOLUTION


def to_numpy(tensor: torch.Tensor) -> np.ndarray:
    """The tensor's values as a NumPy array: a = tensor.detach().cpu().numpy().

    Args:
        tensor: any shape (...), on CPU or CUDA, requiring grad or not.
    Returns:
        ndarray of the same shape (...) and dtype. For a CPU tensor that does not require
        grad, the array shares memory with the tensor. ``tensor`` itself is left as it was
        (its values and its ``requires_grad``).
    """
    ### BEGIN SOLUTION
    return tensor.detach().cpu().numpy()
    ### END SOLUTION


def independent_copy(array: np.ndarray) -> torch.Tensor:
    """A tensor with the values of ``array`` that shares no memory with it.

    Args:
        array: any shape (...), any numeric dtype.
    Returns:
        Tensor of the same shape (...) and dtype; writing to one never changes the other.
    """
    ### BEGIN SOLUTION
    return torch.tensor(array)
    ### END SOLUTION
