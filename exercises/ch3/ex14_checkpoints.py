"""练习 14：保存与加载模型：state_dict、torch.load(weights_only=True)、safetensors、map_location 与断点续训。

模型的可训练参数（权重与偏置）存放在称为 `state_dict` 的字典中：它把每一层映射到该层的参数张量
（以及批归一化的统计量等缓冲区）。通常推荐只保存 `state_dict`：`torch.save(model.state_dict(),
path)`，加载时先建一个结构相同的模型，再 `model.load_state_dict(...)`。用 `torch.save(model,
path)` 保存整个模型依赖 Python 的 pickle，而 pickle 在加载时可以执行任意代码，存在安全风险；
因此加载时要用 `torch.load(path, weights_only=True)`，它只接受张量与普通容器，遇到整个模型这样
的文件会拒绝（抛出 `pickle.UnpicklingError`），而不会执行其中的代码。safetensors 是一种更安全、
加载更快的张量存储格式（`safetensors.torch.save_file` / `load_file`），不允许执行任意代码。
`map_location="cpu"` 让在 GPU 上保存的张量加载到 CPU 上。断点续训的检查点是一个字典，同时保存
模型与优化器的状态（如动量）以及 epoch，恢复后训练与从未中断时完全相同。

Exercise 14: saving and loading models: state_dict, torch.load(weights_only=True),
safetensors, map_location, and resuming from a checkpoint.

A model's trainable parameters (weights and biases) live in a dict called its `state_dict`,
which maps every layer to its parameter tensors (and buffers such as batch-norm statistics).
Saving only the `state_dict` is the recommended way: `torch.save(model.state_dict(), path)`;
to load, build a model of the same architecture, then `model.load_state_dict(...)`. Saving the
whole model with `torch.save(model, path)` relies on Python's pickle, which can run arbitrary
code while loading, a security risk; so load with `torch.load(path, weights_only=True)`, which
accepts only tensors and plain containers and refuses a file such as a whole pickled model
(raising `pickle.UnpicklingError`) instead of running its code. safetensors is a safer and
faster format for tensors (`safetensors.torch.save_file` / `load_file`) that cannot run
code. `map_location="cpu"` loads tensors saved on a GPU onto the CPU. A checkpoint for
resuming is one dict holding the model's and the optimizer's states (momentum, say) and the
epoch, so that training resumed from it goes exactly as if it had never stopped.
"""

from __future__ import annotations

import torch
from safetensors.torch import load_file, save_file
from torch import nn


def save_state(model: nn.Module, path: str) -> None:
    """Write ``model.state_dict()`` (parameters and buffers) to ``path`` with ``torch.save``.

    The file holds tensors and plain containers only: no pickled class of the model.
    """
    raise NotImplementedError("ex14_checkpoints.save_state: 尚未实现 / not implemented yet")


def load_state(path: str) -> dict[str, torch.Tensor]:
    """The state_dict in a file written by ``torch.save``, every tensor on the CPU.

    Read with ``torch.load(path, map_location="cpu", weights_only=True)``: tensors saved from
    a GPU come back on the CPU (also on a machine without one), and a file holding anything
    but tensors and plain containers (a whole model saved with ``torch.save(model)``, any
    pickled object) is refused with ``pickle.UnpicklingError``; nothing in it is run.

    Args:
        path: the file.
    Returns:
        name → tensor (the saved dtypes and values), each on the CPU.
    """
    raise NotImplementedError("ex14_checkpoints.load_state: 尚未实现 / not implemented yet")


def save_safetensors(model: nn.Module, path: str) -> None:
    """Write ``model.state_dict()`` to ``path`` in the safetensors format (``save_file``)."""
    raise NotImplementedError("ex14_checkpoints.save_safetensors: 尚未实现 / not implemented yet")


def load_safetensors(path: str) -> dict[str, torch.Tensor]:
    """The tensors of a safetensors file (``load_file``), name → tensor, each on the CPU."""
    raise NotImplementedError("ex14_checkpoints.load_safetensors: 尚未实现 / not implemented yet")


def save_checkpoint(path: str, model: nn.Module, optimizer: torch.optim.Optimizer, epoch: int) -> None:
    """Write ``{"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch}``
    to ``path`` with ``torch.save`` (tensors and plain containers only).

    Args:
        path: the file.
        model: the model being trained.
        optimizer: its optimizer (its state holds e.g. SGD's momentum buffers, Adam's moments).
        epoch: the last epoch finished (a Python int).
    """
    raise NotImplementedError("ex14_checkpoints.save_checkpoint: 尚未实现 / not implemented yet")


def load_checkpoint(path: str, model: nn.Module, optimizer: torch.optim.Optimizer) -> int:
    """Restore ``model`` and ``optimizer`` (built as when the checkpoint was saved, on any
    device) from a file written by ``save_checkpoint``, so that training continues exactly as
    if it had never stopped.

    Read like ``load_state``: ``map_location="cpu"``, ``weights_only=True`` (a file with
    pickled objects is refused with ``pickle.UnpicklingError``); ``load_state_dict`` then moves
    each value to where the model's and the optimizer's tensors are.

    Returns:
        The saved epoch, a Python int.
    """
    raise NotImplementedError("ex14_checkpoints.load_checkpoint: 尚未实现 / not implemented yet")
