"""应用 5：用 nn.Module 实现 LeNet-5，用 torchsummary 查看结构与参数量，训练并用 TensorBoard 记录。

使用 `nn.Module` 实现一个简单的 CNN 模型（LeNet-5），并使用 `torchsummary` 检查模型的结构和
参数数量（共 61,706 个参数）。然后编写训练与评估代码：用交叉熵损失训练模型，每个 epoch 结束后
在验证集上计算准确率，并用 `SummaryWriter` 的 `add_scalar()` 把训练损失与验证准确率写入
TensorBoard。数据是 28×28 的手写数字图像（评分时使用 scikit-learn 自带的手写数字，放大到
28×28；有 MNIST 文件时使用 MNIST），训练好的模型要在从未见过的图像上达到一定的准确率。

约定（题目未写明之处）：
- `evaluate` 在 eval 模式、不建计算图的情况下计算准确率，返回 Python float；调用结束后模型的
  `training` 标志恢复为调用前的值。模型应已在 `device` 上，`evaluate` 只把每个批次移到 `device`。
- `train` 先把模型移到 `device`，原地训练；每个 epoch 开始时切换到训练模式。`train_loss` 是该
  epoch 中每个样本损失的平均值；`val_accuracy` 是该 epoch 训练结束后 `evaluate` 在验证集上的结果。
  TensorBoard 标量的 step 为 epoch 编号 0..epochs−1，写完后关闭 writer。

Applications 5: LeNet-5 with nn.Module, its structure and parameter count with torchsummary,
training, and TensorBoard logging.

Implement a simple CNN (LeNet-5) as an `nn.Module` and check its structure and number of
parameters (61,706) with `torchsummary`. Then write the training and evaluation code: train
with cross-entropy, compute the validation accuracy after every epoch, and log the training
loss and validation accuracy to TensorBoard with `SummaryWriter.add_scalar()`. The data are
28×28 handwritten digits (for grading: scikit-learn's bundled digits resized to 28×28, or
MNIST where its files are present); the trained model must reach an accuracy threshold on
images it never saw.

Decisions (where the problem is silent):
- `evaluate` computes accuracy in eval mode without building a graph and returns a Python
  float; afterwards the model's `training` flag is what it was before the call. The model is
  expected on `device` already; `evaluate` moves each batch there.
- `train` moves the model to `device` and trains it in place, switching to training mode at
  the start of every epoch. `train_loss` is the mean per-sample loss over the epoch;
  `val_accuracy` is `evaluate` on the validation loader after the epoch's training. The
  TensorBoard scalars use the epoch number 0..epochs−1 as step; the writer is closed at the
  end.
"""

from __future__ import annotations

import contextlib
import io

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torch.utils.tensorboard import SummaryWriter
from torchsummary import summary


class LeNet5(nn.Module):
    """The chapter's LeNet-5 for 28×28 grey images, 61,706 parameters.

    Layers: ``conv1`` Conv2d(1, 6, 5, padding=2), ReLU, AvgPool2d(2); ``conv2`` Conv2d(6,
    16, 5), ReLU, AvgPool2d(2); flatten (16·5·5 = 400); ``fc1`` Linear(400, 120), ReLU;
    ``fc2`` Linear(120, 84), ReLU; ``fc3`` Linear(84, 10).
    """

    def __init__(self) -> None:
        super().__init__()
        raise NotImplementedError("ex05_lenet5.LeNet5.__init__: 尚未实现 / not implemented yet")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits for a batch of images.

        Args:
            x: (N, 1, 28, 28) float32.
        Returns:
            (N, 10) float32 logits (no softmax), on x's device.
        """
        raise NotImplementedError("ex05_lenet5.LeNet5.forward: 尚未实现 / not implemented yet")


def count_parameters(model: nn.Module) -> int:
    """The number of trainable scalar parameters: Σ p.numel() over parameters with requires_grad.

    Frozen parameters (requires_grad=False) and buffers (batch-norm statistics) are not
    counted; a parameter shared by two layers counts once. 61,706 for LeNet5().
    """
    raise NotImplementedError("ex05_lenet5.count_parameters: 尚未实现 / not implemented yet")


def summarize(model: nn.Module, input_size: tuple[int, ...] = (1, 28, 28), device: str = "cpu") -> str:
    """The layer table that ``torchsummary.summary`` prints for ``model``, returned as text.

    Args:
        model: a module on ``device`` whose forward takes one tensor of shape (B, *input_size).
        input_size: one sample's shape, without the batch axis, e.g. (1, 28, 28).
        device: "cpu", "cuda" or "cuda:N" (torchsummary takes only "cpu" or "cuda", and
            defaults to "cuda").
    Returns:
        The printed table, e.g. containing ``Total params: 61,706`` for LeNet5(); nothing
        is printed.
    """
    raise NotImplementedError("ex05_lenet5.summarize: 尚未实现 / not implemented yet")


def evaluate(model: nn.Module, loader: DataLoader, device: str = "cpu") -> float:
    """Accuracy of ``model`` on ``loader``: correct predictions / samples, in [0, 1].

    Args:
        model: a classifier on ``device`` returning (B, C) logits.
        loader: yields (images (B, ...) float32, labels (B,) int64); at least one sample.
        device: where the batches are moved.
    Returns:
        A Python float. Runs in eval mode without building a graph; the model's
        ``training`` flag is restored afterwards.
    """
    raise NotImplementedError("ex05_lenet5.evaluate: 尚未实现 / not implemented yet")


def train(
    model: nn.Module, train_loader: DataLoader, val_loader: DataLoader, *,
    epochs: int = 10, lr: float = 1e-3, device: str = "cpu", log_dir: str | None = None,
) -> dict[str, list[float]]:
    """Train ``model`` in place with cross-entropy; the per-epoch history.

    Args:
        model: a classifier returning (B, 10) logits; moved to ``device``.
        train_loader, val_loader: yield (images (B, 1, 28, 28) float32, labels (B,) int64).
        epochs: number of passes over ``train_loader``.
        lr: learning rate; with the default (1e-3, e.g. for Adam) LeNet-5 must learn.
        device: "cpu", "cuda" or "cuda:N".
        log_dir: if given, TensorBoard scalars ``Loss/train`` and ``Accuracy/val`` are
            written there at steps 0..epochs−1, and the writer is closed.
    Returns:
        ``{"train_loss": [...], "val_accuracy": [...]}``, one Python float per epoch: the
        mean per-sample training loss and the validation accuracy after the epoch.

    Graded by training ``LeNet5()`` with the default ``lr`` for 10 epochs on batches of 32
    (1,400 digits): it must then classify at least 85 % of held-out digits correctly.
    """
    raise NotImplementedError("ex05_lenet5.train: 尚未实现 / not implemented yet")
