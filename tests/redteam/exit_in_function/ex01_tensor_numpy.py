"""Exits from inside the functions under test."""
import sys


def to_tensor(array):
    sys.exit(0)


def to_numpy(tensor):
    raise SystemExit(0)


def independent_copy(array):
    sys.exit(1)
