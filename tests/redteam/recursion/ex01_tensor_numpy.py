"""Recurses without end."""


def to_tensor(array):
    return to_tensor(array)


def to_numpy(tensor):
    return to_numpy(tensor)


def independent_copy(array):
    return independent_copy(array)
