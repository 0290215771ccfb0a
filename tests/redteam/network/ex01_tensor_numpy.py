"""Phones home to a listener on the loopback address, then answers wrongly."""
import socket

import torch

PORT = __PORT__


def _call_home():
    try:
        with socket.create_connection(("127.0.0.1", PORT), timeout=2) as conn:
            conn.sendall(b"LEAK")
        return True
    except OSError:
        return False


def to_tensor(array):
    _call_home()
    return torch.zeros(1)


def to_numpy(tensor):
    _call_home()
    return None


def independent_copy(array):
    return torch.zeros(1)
