"""练习 13：本章的训练循环 train_loop / eval_loop，StepLR 学习率调度，以及 TensorBoard 记录。

对整个数据集遍历一次称为一个 epoch；每个 epoch 分为训练阶段（参数优化）与验证阶段（性能评估）。
本章的 `train_loop` 在训练模式下对每个批次计算预测与损失、反向传播并更新参数，返回各批次损失的
平均值；`eval_loop` 在评估模式、`torch.no_grad()` 下计算各批次损失的平均值与准确率（预测正确的
样本数 / 样本总数）。`torch.optim.lr_scheduler.StepLR` 每经过 `step_size` 个 epoch 把学习率乘以
`gamma`：第 e 个 epoch（从 0 起）的学习率为 lr·gamma^(e // step_size)，`scheduler.step()` 每个
epoch 调用一次，放在该 epoch 的训练（optimizer 的各步）与记录之后。用
`torch.utils.tensorboard.SummaryWriter` 记录：标量（每个 epoch 的损失、准确率与学习率）、直方图
（每个参数）与超参数（`add_hparams`），最后关闭 writer。

约定（本章未写明之处）：
- 每一步先清零梯度再反向传播：调用前参数上残留的梯度不得影响第一步。
- 模型应已在 `device` 上；两个循环只把每个批次移到 `device`。损失与准确率以 Python float 返回。

Exercise 13: the chapter's training loop, train_loop / eval_loop, StepLR scheduling, and
TensorBoard logging.

One pass over the whole dataset is an epoch; each epoch has a training phase (optimising the
parameters) and a validation phase (measuring performance). The chapter's `train_loop` runs
the model in training mode and, for every batch, computes the predictions and the loss,
backpropagates and updates the parameters; it returns the mean of the batch losses.
`eval_loop` computes, in eval mode under `torch.no_grad()`, the mean of the batch losses and
the accuracy (correct predictions / samples). `torch.optim.lr_scheduler.StepLR` multiplies the
learning rate by `gamma` every `step_size` epochs: epoch e (from 0) trains with
lr·gamma^(e // step_size); `scheduler.step()` is called once per epoch, after that epoch's
training (the optimizer's steps) and logging. Log with `torch.utils.tensorboard.SummaryWriter`:
scalars (each epoch's losses, accuracy and learning rate), histograms (each parameter) and
hyperparameters (`add_hparams`); close the writer at the end.

Decisions (where the chapter is silent):
- Every step zeroes the gradients before its backward: a gradient left on the parameters
  before the call must not leak into the first step.
- The model is on `device` already; both loops move each batch there. Losses and accuracy are
  returned as Python floats.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.utils.data import DataLoader
from torch.utils.tensorboard import SummaryWriter


def train_loop(model: nn.Module, data_loader: DataLoader, loss_fn: nn.Module,
               optimizer: torch.optim.Optimizer, device: str = "cpu") -> float:
    """One epoch of training, as in the chapter: the mean of the batch losses.

    Args:
        model: on ``device``; switched to training mode (it may come in eval mode).
        data_loader: yields (inputs (B, ...) float32, labels (B,) int64); the last batch may
            be shorter.
        loss_fn: e.g. ``nn.CrossEntropyLoss()``, the mean loss of a batch as a 0-d tensor.
        optimizer: over ``model``'s parameters; one ``optimizer.step()`` per batch, the
            gradients zeroed before each backward.
        device: where each batch is moved.
    Returns:
        A Python float: Σ batch losses / number of batches.
    """
    ### BEGIN SOLUTION
    model.train()
    total_loss = 0.0
    for input_data, label_data in data_loader:
        input_data, label_data = input_data.to(device), label_data.to(device)
        optimizer.zero_grad()
        loss = loss_fn(model(input_data), label_data)
        loss.backward()
        optimizer.step()
        total_loss += loss.item()
    return total_loss / len(data_loader)
    ### END SOLUTION


def eval_loop(model: nn.Module, data_loader: DataLoader, loss_fn: nn.Module,
              device: str = "cpu") -> tuple[float, float]:
    """The chapter's evaluation: mean batch loss and accuracy, in eval mode without a graph.

    Args:
        model: a classifier on ``device`` returning (B, C) logits; switched to eval mode;
            its parameters are not changed.
        data_loader: yields (inputs (B, ...) float32, labels (B,) int64).
        loss_fn: as for ``train_loop``.
        device: where each batch is moved.
    Returns:
        ``(test_loss, accuracy)``, Python floats: Σ batch losses / number of batches, and
        correct predictions (argmax of the logits) / ``len(data_loader.dataset)``, in [0, 1].
    """
    ### BEGIN SOLUTION
    model.eval()
    test_loss, correct = 0.0, 0.0
    with torch.no_grad():
        for input_data, label_data in data_loader:
            input_data, label_data = input_data.to(device), label_data.to(device)
            preds = model(input_data)
            test_loss += loss_fn(preds, label_data).item()
            correct += (preds.argmax(1) == label_data).sum().item()
    return test_loss / len(data_loader), correct / len(data_loader.dataset)  # type: ignore[arg-type]
    ### END SOLUTION


def fit(model: nn.Module, train_loader: DataLoader, test_loader: DataLoader, loss_fn: nn.Module,
        optimizer: torch.optim.Optimizer, *, epochs: int, step_size: int, gamma: float, log_dir: str,
        device: str = "cpu") -> dict[str, list[float]]:
    """Train for ``epochs`` epochs with ``StepLR(optimizer, step_size, gamma)``, logging to TensorBoard.

    Each epoch e = 0, 1, …: ``train_loop``, then ``eval_loop`` on ``test_loader``, then, with
    a ``SummaryWriter(log_dir)``, at global step e:

    - scalars ``Loss/train``, ``Loss/test``, ``Accuracy/test`` and ``Learning Rate`` (the
      rate epoch e trained with, ``optimizer.param_groups[0]["lr"]``);
    - a histogram ``Parameters/<name>`` of every parameter of ``model.named_parameters()``,
      as it is after epoch e's training;

    then ``scheduler.step()``. After the last epoch, ``writer.add_hparams`` with the
    hyperparameters ``{"lr": <the initial rate>, "step_size": step_size, "gamma": gamma,
    "epochs": epochs}`` and the metrics ``{"hparam/test_loss": <last test loss>,
    "hparam/accuracy": <last accuracy>}``; then the writer is closed.

    Args:
        model: a classifier on ``device``.
        train_loader, test_loader: as for ``train_loop`` / ``eval_loop``.
        loss_fn: as for ``train_loop``.
        optimizer: over ``model``'s parameters; its rate at the call is the initial rate.
        epochs: number of epochs, ≥ 1.
        step_size, gamma: StepLR's: epoch e trains with lr·gamma^(e // step_size).
        log_dir: the folder the writer writes to.
        device: where each batch is moved.
    Returns:
        ``{"train_loss": [...], "test_loss": [...], "accuracy": [...], "lr": [...]}``, one
        Python float per epoch: the values logged as the four scalars.
    """
    ### BEGIN SOLUTION
    initial_lr = optimizer.param_groups[0]["lr"]
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=step_size, gamma=gamma)
    writer = SummaryWriter(log_dir)
    history: dict[str, list[float]] = {"train_loss": [], "test_loss": [], "accuracy": [], "lr": []}
    for epoch in range(epochs):
        lr = optimizer.param_groups[0]["lr"]
        train_loss = train_loop(model, train_loader, loss_fn, optimizer, device)
        test_loss, correct = eval_loop(model, test_loader, loss_fn, device)
        for key, value in zip(history, (train_loss, test_loss, correct, lr), strict=True):
            history[key].append(value)
        writer.add_scalar("Loss/train", train_loss, epoch)
        writer.add_scalar("Loss/test", test_loss, epoch)
        writer.add_scalar("Accuracy/test", correct, epoch)
        writer.add_scalar("Learning Rate", lr, epoch)
        for name, param in model.named_parameters():
            writer.add_histogram(f"Parameters/{name}", param.detach(), epoch)
        scheduler.step()
    writer.add_hparams({"lr": initial_lr, "step_size": step_size, "gamma": gamma, "epochs": epochs},
                       {"hparam/test_loss": history["test_loss"][-1], "hparam/accuracy": history["accuracy"][-1]})
    writer.close()
    return history
    ### END SOLUTION
