"""Starts 120 busy children, each in a session of its own (``setsid``) that ignores hang-ups
and terminations, and answers wrongly: none may outlive its check."""
import os
import signal

import torch


def _spawn(count=120):
    for _ in range(count):
        try:
            pid = os.fork()
        except OSError:
            continue
        if pid == 0:
            os.setsid()
            for sig in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, signal.SIG_IGN)
            while True:
                pass


def to_tensor(array):
    _spawn()
    return torch.zeros(1)


def to_numpy(tensor):
    _spawn()
    return None


def independent_copy(array):
    _spawn()
    return torch.zeros(1)
