"""Crashes the interpreter."""
import ctypes


def to_tensor(array):
    return ctypes.string_at(0)


def to_numpy(tensor):
    return ctypes.string_at(0)


def independent_copy(array):
    return ctypes.string_at(0)
