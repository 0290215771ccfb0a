"""Honest twin of ``fake_sees`` and ``fake_sees_late``: to_tensor copies the array (so it
shares no memory: the sharing checks fail), the other two functions are right."""
import torch


def to_tensor(array):
    return torch.tensor(array)


def to_numpy(tensor):
    return tensor.detach().cpu().numpy()


def independent_copy(array):
    return torch.tensor(array)
