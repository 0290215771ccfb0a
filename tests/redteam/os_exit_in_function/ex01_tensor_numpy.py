"""Ends its process from inside the functions under test."""
import os


def to_tensor(array):
    os._exit(0)


def to_numpy(tensor):
    os._exit(3)


def independent_copy(array):
    os._exit(0)
