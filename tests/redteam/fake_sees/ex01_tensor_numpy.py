"""Copies in to_tensor, and replaces the probe's ``chapters.ch3.probes.ex01._sees`` with a fake that
says every write was seen, and puts the original back as soon as it is called: the copy
would pass for shared memory, and nothing would look changed afterwards.

Its twin ``fake_sees_twin`` is the same code without the fake: this may score no more."""
import chapters.ch3.probes.ex01 as probes
import torch

ORIGINAL = probes._sees


def _fake(a, b, index, calls=[]):
    calls.append(1)
    if len(calls) % 2 == 0:  # the second question of the pair: leave no trace
        probes._sees = ORIGINAL
    ORIGINAL(a, b, index)
    return True


def to_tensor(array):
    probes._sees = _fake
    return torch.tensor(array)


def to_numpy(tensor):
    return tensor.detach().cpu().numpy()


def independent_copy(array):
    return torch.tensor(array)
