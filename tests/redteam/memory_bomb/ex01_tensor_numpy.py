"""Allocates without end."""
import torch

hog = []


def to_tensor(array):
    while True:
        hog.append(bytearray(256 * 1024 * 1024))


def to_numpy(tensor):
    return torch.empty(1 << 40).numpy()


def independent_copy(array):
    return to_tensor(array)
