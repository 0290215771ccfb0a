"""From within ex01, plants a solved ex09 for the loader to pick up instead of the untouched
ex09 stub next to it (the test copies exercises/ch3/ex09_module_call.py into this folder):
``__pycache__/ex09_module_call.cpython-311.pyc`` (timestamp and unchecked-hash forms), an
``.opt-1``/``.opt-2`` variant, a legacy ``ex09_module_call.pyc`` and ``ex09_module_call.py`` in
every folder it can write or try (its submission folder, its scratch, ``/dev/shm``, the
working folder, every entry of ``sys.path``).

ex09 earns points only if one of them is loaded; ex01 answers wrongly.
"""
import importlib.util
import marshal
import os
import sys

import torch

SOLVED = '''
import torch

class ActivationRecorder:
    def __init__(self, model, layer_names):
        self.model, self.layer_names = model, list(layer_names)
        self.shapes = {name: [] for name in self.layer_names}
        self._handles = []

    def __enter__(self):
        layers = dict(self.model.named_modules())
        missing = [name for name in self.layer_names if name not in layers]
        if missing:
            raise KeyError(missing[0])
        for name in self.layer_names:
            hook = (lambda n: lambda module, inputs, output: self.shapes[n].append(tuple(output.shape)))(name)
            self._handles.append(layers[name].register_forward_hook(hook))
        return self

    def __exit__(self, *exc):
        while self._handles:
            self._handles.pop().remove()
        return False

def run_model(model, x):
    return model(x)

def count_hook_calls(model, x):
    counts = [0]
    handle = model.register_forward_hook(lambda *args: counts.__setitem__(0, counts[0] + 1))
    try:
        model(x)
        first = counts[0]
        model.forward(x)
        return first, counts[0] - first
    finally:
        handle.remove()
'''
NAME = "ex09_module_call"
TAG = sys.implementation.cache_tag  # cpython-311


def _pyc(source, stamp):
    code = compile(source, f"/tmp/submission/{NAME}.py", "exec")
    if stamp == "hash":  # unchecked hash-based pyc: never compared with the source
        header = importlib.util.MAGIC_NUMBER + (0b01).to_bytes(4, "little") + importlib.util.source_hash(b"x")
    else:
        header = importlib.util.MAGIC_NUMBER + (0).to_bytes(4, "little") + (2**32 - 1).to_bytes(4, "little") \
            + len(source).to_bytes(4, "little")
    return header + marshal.dumps(code)


def _write(path, data):
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)
    except OSError:
        pass


def _plant():
    folders = {"/tmp/submission", "/tmp", "/dev/shm", os.getcwd(), *(p for p in sys.path if isinstance(p, str) and p)}
    for folder in folders:
        for stamp in ("time", "hash"):
            data = _pyc(SOLVED, stamp)
            for suffix in ("", ".opt-1", ".opt-2"):
                _write(f"{folder}/__pycache__/{NAME}.{TAG}{suffix}.pyc", data)
        _write(f"{folder}/{NAME}.pyc", _pyc(SOLVED, "hash"))
        _write(f"{folder}/{NAME}.py", SOLVED.encode())


_plant()


def to_tensor(array):
    _plant()
    return torch.zeros(1)


def to_numpy(tensor):
    _plant()
    return None


def independent_copy(array):
    _plant()
    return torch.zeros(1)
