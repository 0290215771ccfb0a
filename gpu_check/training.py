"""ex05's training, timed on the GPU against the CPU: the reference's ``train`` as the hidden
check runs it (LeNet5, the default lr, 10 epochs, batches of 32, 1,400 digits), each run to
the accuracy it must reach on the held-out digits.

``python -m gpu_check.training`` measures and prints one JSON line; :func:`outcome` reads it.
"""

from __future__ import annotations

import importlib.util
import json
import time
from typing import Any

from gpu_check.interpreter import ROOT
from gpu_check.jobs import Finished
from gpu_check.outcome import Outcome

EPOCHS, BATCH_SIZE, THRESHOLD = 10, 32, 0.85


def measure(device: str) -> dict[str, float]:
    """Seconds to train the reference LeNet5 on ``device``, and its held-out accuracy."""
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    from chapters.ch3.judging.data import load_split

    spec = importlib.util.spec_from_file_location("ex05_lenet5", ROOT / "solutions" / "ch3" / "ex05_lenet5.py")
    assert spec is not None and spec.loader is not None
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    split = load_split(0)
    torch.manual_seed(0)
    model = reference.LeNet5()
    train = DataLoader(TensorDataset(split.train_x, split.train_y), batch_size=BATCH_SIZE, shuffle=True,
                       generator=torch.Generator().manual_seed(0))
    val = DataLoader(TensorDataset(split.val_x, split.val_y), batch_size=BATCH_SIZE)
    if device == "cuda":  # CUDA's start and cuDNN's first kernels are not training time
        warm = reference.LeNet5().to(device)
        warm(torch.zeros(BATCH_SIZE, 1, 28, 28, device=device)).sum().backward()
        torch.cuda.synchronize()
    start = time.perf_counter()
    reference.train(model, train, val, epochs=EPOCHS, device=device)
    if device == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    test = DataLoader(TensorDataset(split.test_x, split.test_y), batch_size=256)
    return {"seconds": seconds, "accuracy": reference.evaluate(model, test, device)}


def outcome(finished: Finished) -> Outcome:
    """The figures that ``python -m gpu_check.training`` printed, or why there are none."""
    name = f"ex05 training ({EPOCHS} epochs, batches of {BATCH_SIZE}) on the GPU against the CPU"
    lines = finished.output.strip().splitlines()
    if finished.returncode != 0 or not lines or not lines[-1].startswith("{"):
        late = " (stopped at its time limit)" if finished.returncode is None else ""
        return Outcome(name, False, f"did not finish{late}: {finished.tail(3)}")
    seen: dict[str, Any] = json.loads(lines[-1])
    cpu, gpu = seen["cpu"], seen["cuda"]
    held = min(cpu["accuracy"], gpu["accuracy"]) >= THRESHOLD
    return Outcome(name, held, f"GPU {gpu['seconds']:.2f} s, CPU {cpu['seconds']:.2f} s "
                               f"(the GPU {cpu['seconds'] / gpu['seconds']:.2f}× as fast); held-out accuracy "
                               f"{gpu['accuracy']:.3f} on the GPU, {cpu['accuracy']:.3f} on the CPU "
                               f"(at least {THRESHOLD:.2f})")


if __name__ == "__main__":
    print(json.dumps({device: measure(device) for device in ("cpu", "cuda")}))
